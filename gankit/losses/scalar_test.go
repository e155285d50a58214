package losses_test

import (
	"math"
	"testing"

	"github.com/gankit/kit/gankit/losses"
	. "github.com/gomlx/gomlx/core/graph"
)

// Family.DiscriminatorValue computes, on plain Go values, what DiscriminatorLoss
// computes in a graph.
func TestFamilyDiscriminatorValueMatchesGraph(t *testing.T) {
	b := testBackend(t)
	real := []float64{-1.5, 0.2, 0.9, 2.5}
	fake := []float64{-3, -0.4, 0.1}
	for _, f := range []losses.Family{losses.Standard, losses.Wasserstein, losses.LeastSquares, losses.Hinge} {
		exec, err := NewExec(b, func(r, fk *Node) *Node { return f.DiscriminatorLoss(r, fk) })
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Call(real, fake)
		exec.Finalize()
		if err != nil {
			t.Fatal(err)
		}
		want := out[0].Value().(float64)
		if got := f.DiscriminatorValue(real, fake); math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: DiscriminatorValue %.15g, graph %.15g", f, got, want)
		}
	}
	// By hand: hinge on real 2.5 and fake -3 is 0 (both beyond the margin);
	// least squares on real 1, fake 0 is 0; Wasserstein is mean(fake) - mean(real).
	if v := losses.Hinge.DiscriminatorValue([]float64{2.5}, []float64{-3}); v != 0 {
		t.Errorf("hinge beyond the margin: %g, want 0", v)
	}
	if v := losses.LeastSquares.DiscriminatorValue([]float64{1}, []float64{0}); v != 0 {
		t.Errorf("least squares at the targets: %g, want 0", v)
	}
	if v := losses.Wasserstein.DiscriminatorValue([]float64{1, 3}, []float64{0}); v != -2 {
		t.Errorf("Wasserstein: %g, want -2", v)
	}
}

func TestPenaltyValue(t *testing.T) {
	// Norms 1, 2 and 0: (0 + 1 + 1) / 3, times λ = 10.
	grads := [][]float64{{0.6, 0.8}, {0, 2}, {0, 0}}
	if got, want := losses.PenaltyValue(grads, 10), 20.0/3; math.Abs(got-want) > 1e-12 {
		t.Errorf("PenaltyValue = %.15g, want %.15g", got, want)
	}
	if !math.IsNaN(losses.PenaltyValue(nil, 10)) {
		t.Error("PenaltyValue of no gradients is not NaN")
	}
}
