package metrics

import (
	"math"
	"testing"
)

func TestShiftImage(t *testing.T) {
	img := make([]float32, 9)
	for i := range img {
		img[i] = float32(i)
	}
	got := ShiftImage(img, 3, 1, 0)
	want := []float32{-1, 0, 1, -1, 3, 4, -1, 6, 7}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Shift right by 1: got %v, want %v", got, want)
		}
	}
}

func TestMeanImageMSEAndSpread(t *testing.T) {
	xs := []float32{0, 2, 2, 4} // two images of two pixels: (0, 2) and (2, 4)
	m := MeanImage(xs, 2)
	if m[0] != 1 || m[1] != 3 {
		t.Errorf("MeanImage: got %v, want [1 3]", m)
	}
	if got := MSE(xs[:2], xs[2:]); got != 4 {
		t.Errorf("MSE((0, 2), (2, 4)) = %g, want 4", got)
	}
	// Each image is √2 from the mean (1, 3).
	if got := Spread(xs, 2); math.Abs(got-math.Sqrt2) > 1e-12 {
		t.Errorf("Spread = %g, want √2", got)
	}
}
