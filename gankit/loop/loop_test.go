package loop_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gankit/kit/gankit/loop"
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
		if got := loop.Diverged(c.limit, c.losses...); got != c.want {
			t.Errorf("%s: Diverged(%g, %v) = %v, want %v", c.name, c.limit, c.losses, got, c.want)
		}
	}
}

// train runs a fake trainer whose iteration i (from 0) reports losses[i], the way the
// gankit trainers use Run: Begin, check the loss, Fail or End.
func train(r *loop.Run, losses []float64, limit float64) func() error {
	return func() error {
		if err := r.Begin(); err != nil {
			return err
		}
		i := r.Iteration()
		if loop.Diverged(limit, losses[i]) {
			return r.Fail(fmt.Errorf("training diverged at iteration %d: the loss is %v", i+1, losses[i]))
		}
		r.End()
		return nil
	}
}

func TestStickyError(t *testing.T) {
	const maxLoss = 1e6
	for _, c := range []struct {
		name   string
		losses []float64
		limit  float64
		// stop is the number of iterations completed before the error; -1: none.
		stop int
	}{
		{"finite", []float64{1, 0.5, 0.25, 0.1}, maxLoss, -1},
		{"NaN", []float64{1, 0.5, math.NaN(), 0.1}, maxLoss, 2},
		{"+Inf", []float64{math.Inf(1), 0.5, 0.25, 0.1}, maxLoss, 0},
		{"-Inf", []float64{1, math.Inf(-1), 0.25, 0.1}, maxLoss, 1},
		{"above MaxLoss", []float64{1, 0.5, 0.25, 2e6}, maxLoss, 3},
		{"above MaxLoss, no limit", []float64{1, 2e6, 3e6, 4e6}, math.Inf(1), -1},
	} {
		r := loop.Run{Name: "test"}
		step := train(&r, c.losses, c.limit)
		err := r.Repeat(len(c.losses), step, nil)
		if c.stop < 0 {
			if err != nil || r.Err() != nil || r.Iteration() != len(c.losses) {
				t.Errorf("%s: Repeat = %v, Err = %v, %d iterations; want no error and %d", c.name, err, r.Err(), r.Iteration(), len(c.losses))
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("diverged at iteration %d", c.stop+1)) {
			t.Errorf("%s: Repeat = %v, want the divergence at iteration %d", c.name, err, c.stop+1)
			continue
		}
		if r.Iteration() != c.stop {
			t.Errorf("%s: %d iterations completed, want %d", c.name, r.Iteration(), c.stop)
		}
		// Sticky: the same error, from Err, Begin, another step and another Repeat,
		// and nothing more is counted.
		for what, got := range map[string]error{"Err": r.Err(), "Begin": r.Begin(), "step": step(), "Repeat": r.Repeat(3, step, nil)} {
			if got != err {
				t.Errorf("%s: %s after divergence = %v, want the sticky %v", c.name, what, got, err)
			}
		}
		if r.Iteration() != c.stop {
			t.Errorf("%s: %d iterations after the sticky error, want still %d", c.name, r.Iteration(), c.stop)
		}
	}
}

func TestItersPerSecond(t *testing.T) {
	var r loop.Run
	if got := r.ItersPerSecond(); got != 0 {
		t.Errorf("before any iteration: %v, want 0", got)
	}
	iterate := func(d time.Duration) {
		if err := r.Begin(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(d)
		r.End()
	}
	// The first iteration (which compiles, in a trainer) is slow and left out.
	iterate(200 * time.Millisecond)
	if got := r.ItersPerSecond(); got != 0 {
		t.Errorf("after one iteration: %v, want 0", got)
	}
	iterate(time.Millisecond)
	got := r.ItersPerSecond()
	// At most 1/1 ms; counting the first iteration would give at most 2/201 ms < 10.
	if !(got > 10 && got <= 1000) {
		t.Errorf("after a 200 ms and a 1 ms iteration: %v it/s, want in (10, 1000]", got)
	}
	if r.Iteration() != 2 {
		t.Errorf("Iteration = %d, want 2", r.Iteration())
	}
}

func TestRepeat(t *testing.T) {
	boom := errors.New("boom")
	for _, c := range []struct {
		name      string
		n         int
		failStep  int // the step (from 1) that fails; 0: none
		failWatch int // the observe call (from 1) that fails; 0: none
		observe   bool
		wantSteps int
		wantObs   int
		wantErr   string // "" for none; "boom" for the callbacks' error as it is
	}{
		{"zero", 0, 0, 0, true, 0, 1, ""},
		{"three", 3, 0, 0, true, 3, 4, ""},
		{"no observer", 3, 0, 0, false, 3, 0, ""},
		{"negative", -1, 0, 0, true, 0, 0, "test: cannot run -1 iterations"},
		{"step fails", 5, 2, 0, true, 2, 2, "boom"},
		{"observer fails first", 5, 0, 1, true, 0, 1, "boom"},
		{"observer fails later", 5, 0, 3, true, 2, 3, "boom"},
	} {
		r := loop.Run{Name: "test"}
		steps, obs := 0, 0
		step := func() error {
			steps++
			if steps == c.failStep {
				return boom
			}
			return nil
		}
		var observe func() error
		if c.observe {
			observe = func() error {
				obs++
				if obs == c.failWatch {
					return boom
				}
				return nil
			}
		}
		err := r.Repeat(c.n, step, observe)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.wantErr == "boom" && err != boom:
			t.Errorf("%s: err = %v, want the callback's error as it is", c.name, err)
		case c.wantErr != "" && c.wantErr != "boom" && (err == nil || err.Error() != c.wantErr):
			t.Errorf("%s: err = %v, want %q", c.name, err, c.wantErr)
		}
		if steps != c.wantSteps || obs != c.wantObs {
			t.Errorf("%s: %d steps and %d observations, want %d and %d", c.name, steps, obs, c.wantSteps, c.wantObs)
		}
	}
	var anonymous loop.Run
	if err := anonymous.Repeat(-2, nil, nil); err == nil || err.Error() != "cannot run -2 iterations" {
		t.Errorf("without a Name: %v", err)
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
		err := loop.Chunks(c.n, c.size, func(start, end int) error {
			got = append(got, [2]int{start, end})
			return nil
		})
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("Chunks(%d, %d): %v, %v; want %v", c.n, c.size, got, err, c.want)
		}
	}
	for _, size := range []int{0, -1} {
		called := false
		if err := loop.Chunks(10, size, func(int, int) error { called = true; return nil }); err == nil || called {
			t.Errorf("Chunks(10, %d): err %v, called %v; want an error and no call", size, err, called)
		}
	}
}

func TestChunksError(t *testing.T) {
	boom := errors.New("the backend failed")
	var calls [][2]int
	err := loop.Chunks(700, 256, func(start, end int) error {
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
		got := loop.Scalar(c.x)
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
		got, err := loop.Collect(c.n, c.size, items)
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
	got, err := loop.Collect(10, 4, func(start, end int) (*tensors.Tensor, error) {
		if start == 8 {
			return nil, boom
		}
		return items(start, end)
	})
	if got != nil || !errors.Is(err, boom) || !strings.Contains(err.Error(), "items [8, 10) of 10") {
		t.Errorf("failing last chunk: %v, %v; want no values and the error with its range", got, err)
	}
}
