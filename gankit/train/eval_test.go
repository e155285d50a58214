package train_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/gomlx/core/tensors"
)

func TestDiverged(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, c := range []struct {
		name   string
		limit  float64
		losses []float64
		want   bool
	}{
		{"none", 1e6, nil, false},
		{"finite, below the limit", 1e6, []float64{0.69, -3, 1e6}, false},
		{"NaN", 1e6, []float64{nan}, true},
		{"+Inf", 1e6, []float64{inf}, true},
		{"-Inf", 1e6, []float64{-inf}, true},
		{"above the limit", 1e6, []float64{1e6 + 1}, true},
		{"below minus the limit", 1e6, []float64{-2e6}, true},
		{"the last of several", 1e6, []float64{1, 2, nan}, true},
		{"no limit: huge is fine", inf, []float64{1e300, -1e300}, false},
		{"no limit: NaN is not", inf, []float64{1, nan}, true},
		{"no limit: Inf is not", inf, []float64{inf}, true},
		{"no limit: -Inf is not", inf, []float64{1, -inf}, true},
	} {
		if got := train.Diverged(c.limit, c.losses...); got != c.want {
			t.Errorf("%s: Diverged(%g, %v) = %v, want %v", c.name, c.limit, c.losses, got, c.want)
		}
	}
}

func TestChunks(t *testing.T) {
	for _, c := range []struct {
		n, size int
		want    [][2]int
	}{
		{0, 256, nil},
		{1, 256, [][2]int{{0, 1}}},
		{256, 256, [][2]int{{0, 256}}},
		{300, 256, [][2]int{{0, 256}, {256, 300}}},
		{512, 256, [][2]int{{0, 256}, {256, 512}}},
		{5, 2, [][2]int{{0, 2}, {2, 4}, {4, 5}}},
		{3, 1, [][2]int{{0, 1}, {1, 2}, {2, 3}}},
	} {
		var got [][2]int
		err := train.Chunks(c.n, c.size, func(start, end int) error {
			got = append(got, [2]int{start, end})
			return nil
		})
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("Chunks(%d, %d): %v, %v; want %v", c.n, c.size, got, err, c.want)
		}
	}
	for _, size := range []int{0, -1} {
		called := false
		if err := train.Chunks(10, size, func(int, int) error { called = true; return nil }); err == nil || called {
			t.Errorf("Chunks(10, %d): err %v, called %v; want an error and no call", size, err, called)
		}
	}
}

func TestChunksError(t *testing.T) {
	boom := errors.New("the backend failed")
	var calls [][2]int
	err := train.Chunks(700, 256, func(start, end int) error {
		calls = append(calls, [2]int{start, end})
		if start == 256 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want one wrapping %v", err, boom)
	}
	if want := "items [256, 512) of 700: the backend failed"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if want := [][2]int{{0, 256}, {256, 512}}; !slices.Equal(calls, want) {
		t.Errorf("calls %v, want %v (none after the error)", calls, want)
	}
}

func TestScalar(t *testing.T) {
	for _, c := range []struct {
		name string
		x    *tensors.Tensor
		want float64
	}{
		{"float32", tensors.FromValue(float32(0.1)), float64(float32(0.1))},
		{"float64", tensors.FromValue(0.1), 0.1},
		{"float32 Inf", tensors.FromValue(float32(math.Inf(-1))), math.Inf(-1)},
		{"int32", tensors.FromValue(int32(3)), math.NaN()},
	} {
		got := train.Scalar(c.x)
		if got != c.want && !(math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s: Scalar = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCollect(t *testing.T) {
	// Item i's value is i; each chunk's tensor holds its items' values, so the result
	// is 0, 1, ..., n-1 exactly when the chunks are collected whole and in order.
	items := func(start, end int) (*tensors.Tensor, error) {
		v := make([]float32, end-start)
		for i := range v {
			v[i] = float32(start + i)
		}
		return tensors.FromFlatDataAndDimensions(v, end-start, 1), nil
	}
	for _, c := range []struct{ n, size int }{{0, 4}, {1, 4}, {4, 4}, {10, 4}, {7, 3}} {
		got, err := train.Collect(c.n, c.size, items)
		if err != nil || len(got) != c.n {
			t.Errorf("Collect(%d, %d): %d values, %v; want %d", c.n, c.size, len(got), err, c.n)
			continue
		}
		for i, v := range got {
			if v != float32(i) {
				t.Errorf("Collect(%d, %d): value %d is %v", c.n, c.size, i, v)
				break
			}
		}
	}
	boom := errors.New("out of memory")
	got, err := train.Collect(10, 4, func(start, end int) (*tensors.Tensor, error) {
		if start == 8 {
			return nil, boom
		}
		return items(start, end)
	})
	if got != nil || !errors.Is(err, boom) || !strings.Contains(err.Error(), "items [8, 10) of 10") {
		t.Errorf("failing last chunk: %v, %v; want no values and the error with its range", got, err)
	}
}
