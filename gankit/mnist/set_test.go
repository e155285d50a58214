package mnist_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/target"
)

// A tiny set whose every pixel value is known: image i is filled with the byte 85·i
// (0, 85, 170, 255) and has label i%2.
func tinySet(t *testing.T) *mnist.Set {
	t.Helper()
	im := &mnist.Images{N: 4, Rows: 2, Cols: 3}
	for i := range 4 {
		for range 6 {
			im.Pixels = append(im.Pixels, uint8(85*i))
		}
	}
	s, err := mnist.NewSet("tiny", im, []uint8{0, 1, 0, 1}, []string{"even", "odd"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFloat32(t *testing.T) {
	s := tinySet(t)
	for _, tc := range []struct {
		lo, hi float32
		want   []float32 // per image
	}{
		{-1, 1, []float32{-1, -1.0 / 3, 1.0 / 3, 1}},
		{0, 1, []float32{0, 1.0 / 3, 2.0 / 3, 1}},
	} {
		x := s.Float32(tc.lo, tc.hi)
		if len(x) != 4*6 {
			t.Fatalf("Float32(%g, %g) has %d values, want 24", tc.lo, tc.hi, len(x))
		}
		for i, v := range x {
			if w := tc.want[i/6]; math.Abs(float64(v-w)) > 1e-7 {
				t.Errorf("Float32(%g, %g)[%d] = %v, want %v", tc.lo, tc.hi, i, v, w)
			}
		}
		// The ends are exact: a tanh generator can reach them.
		if x[0] != tc.lo || x[23] != tc.hi {
			t.Errorf("Float32(%g, %g) maps 0 and 255 to %v and %v", tc.lo, tc.hi, x[0], x[23])
		}
	}
}

func TestBatch(t *testing.T) {
	s := load(t, "mnist")
	a := s.Batch(target.NewRand(3), 64)
	b := s.Batch(target.NewRand(3), 64)
	c := s.Batch(target.NewRand(4), 64)
	if len(a) != 64*784 {
		t.Fatalf("Batch(64) has %d values, want %d", len(a), 64*784)
	}
	if !slices.Equal(a, b) {
		t.Error("Batch with the same seed drew different images")
	}
	if slices.Equal(a, c) {
		t.Error("Batch with seeds 3 and 4 drew the same images")
	}
	// BatchWithLabels draws the same images, and each label is that of its image.
	x, labels := s.BatchWithLabels(target.NewRand(3), 64)
	if !slices.Equal(x, a) {
		t.Error("BatchWithLabels drew other images than Batch from the same seed")
	}
	rng := target.NewRand(3)
	all := s.Float32(-1, 1)
	for k := range 64 {
		i := rng.IntN(s.N)
		if labels[k] != s.Labels[i] || !slices.Equal(x[k*784:(k+1)*784], all[i*784:(i+1)*784]) {
			t.Fatalf("batch item %d is not image %d with its label %d", k, i, s.Labels[i])
		}
	}
	// A large batch has the subset's statistics: mean pixel 2·0.131 - 1 in [-1, 1].
	big := s.Batch(target.NewRand(5), 2000)
	mean := 0.0
	for _, v := range big {
		if v < -1 || v > 1 {
			t.Fatalf("batch value %v outside [-1, 1]", v)
		}
		mean += float64(v)
	}
	mean /= float64(len(big))
	if want := 2*s.PixelMean() - 1; math.Abs(mean-want) > 0.02 {
		t.Errorf("mean of a 2000-image batch %.4f, want %.4f ± 0.02", mean, want)
	}
}

func TestClassAndImage(t *testing.T) {
	s := load(t, "fashion")
	counts := s.ClassCounts()
	for c := range 10 {
		sub := s.Class(c)
		if sub.N != counts[c] || len(sub.Images) != counts[c]*784 || len(sub.Labels) != counts[c] {
			t.Errorf("Class(%d) has %d images (%d pixels), want %d", c, sub.N, len(sub.Images), counts[c])
		}
		if want := "fashion/" + mnist.FashionClasses[c]; sub.Name != want {
			t.Errorf("Class(%d).Name = %q, want %q", c, sub.Name, want)
		}
		if got := sub.ClassCounts(); got[c] != sub.N {
			t.Errorf("Class(%d) holds labels %v", c, got)
		}
	}
	// The first ankle boot (label 9) of the subset is image 0: Class keeps the order.
	if !slices.Equal(s.Class(9).Image(0), s.Image(0)) {
		t.Error("Class(9).Image(0) is not the set's image 0")
	}
	if got := len(s.Image(9999)); got != 784 {
		t.Errorf("Image(9999) has %d pixels", got)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "classes 0-9, not 10") {
			t.Errorf("Class(10) panicked with %v, want a message naming the valid classes", r)
		}
	}()
	s.Class(10)
}

func TestBatchIsUniform(t *testing.T) {
	s := tinySet(t)
	rng := rand.New(rand.NewPCG(1, 2))
	_, labels := s.BatchWithLabels(rng, 4000)
	odd := 0
	for _, l := range labels {
		odd += int(l)
	}
	// Half the images are odd: 2000 ± 4 standard deviations (sqrt(4000/4) ≈ 32).
	if odd < 2000-128 || odd > 2000+128 {
		t.Errorf("%d of 4000 draws were odd, want about 2000", odd)
	}
}
