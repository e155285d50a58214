package experiments_test

import (
	"math"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gomlx/compute"
)

func testBackend(t *testing.T) compute.Backend {
	t.Helper()
	return testkit.Backend(t)
}

// Lesson 1's claim: early in training the minimax loss's gradient is orders of
// magnitude smaller than the non-saturating one's.
func TestSaturation(t *testing.T) {
	s, err := experiments.MeasureSaturation(testBackend(t), 1, 300)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("mean D(G(z)) = %.4f, |grad| minimax %.3g, non-saturating %.3g, ratio %.3g", s.MeanDFake, s.NormMinimax, s.NormNonSaturating, s.Ratio)
	if s.MeanDFake > 0.05 {
		t.Errorf("after %d D steps mean D(G(z)) = %.3f; want < 0.05 (D confidently rejects G)", s.DSteps, s.MeanDFake)
	}
	if s.Ratio > 0.05 {
		t.Errorf("gradient ratio minimax/non-saturating = %.3g, want < 0.05", s.Ratio)
	}
	// The autodiff curves match the analytic derivatives D and 1-D.
	for i, d := range s.Ds {
		if math.Abs(s.GradMinimax[i]-d) > 1e-5 || math.Abs(s.GradNonSaturating[i]-(1-d)) > 1e-5 {
			t.Fatalf("at D=%g: |grad| minimax %g (want %g), non-saturating %g (want %g)", d, s.GradMinimax[i], d, s.GradNonSaturating[i], 1-d)
		}
	}
}
