package experiments_test

import (
	"math"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/losses"
)

// Lesson 6's claims: a generated sample that lies beyond the data, on the side D calls
// real, gets (almost) no gradient from the standard GAN, whose sigmoid has saturated,
// while LSGAN's least-squares loss still pulls it back towards the data.
func TestBoundaries(t *testing.T) {
	if testing.Short() {
		t.Skip("trains lesson 6's discriminators, one per loss family")
	}
	r, err := experiments.MeasureBoundaries(testBackend(t), 1, 1500)
	if err != nil {
		t.Fatal(err)
	}
	grad := map[losses.Family]float64{}
	for i, f := range r.ByFamily {
		grad[f.Family] = r.GradAt(i, r.FarX)
		t.Logf("%s: dℓ/dx at x=%g %.4g, at the generated mode x=%g %.4g", f.Family, r.FarX, grad[f.Family], r.Fake, r.GradAt(i, r.Fake))
	}
	if g := math.Abs(grad[losses.Standard]); g > 1e-6 {
		t.Errorf("standard GAN: |dℓ/dx| beyond the data = %.3g, want < 1e-6 (saturated)", g)
	}
	// A sample at x = 6 moves along -dℓ/dx: towards the data at 2 means dℓ/dx > 0.
	if g := grad[losses.LeastSquares]; g < 1e-3 {
		t.Errorf("LSGAN: dℓ/dx beyond the data = %.3g, want > 1e-3 (pulling the sample back towards the data)", g)
	}
}
