package experiments_test

import (
	"math"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
)

// Lesson 2's claims: the trained D matches D* within 0.05 on the support; V(D*, G)
// computed by quadrature equals -log 4 + 2·JSD; with p_g = p_data, D* = 1/2 and
// C(G) = -log 4.
func TestOptimalD(t *testing.T) {
	if testing.Short() {
		t.Skip("trains lesson 2's discriminator for 2,000 steps, twice")
	}
	r, err := experiments.MeasureOptimalD(testBackend(t), 1, 2000)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("gap %.4f at x=%.2f; V(D) %.5f, C %.6f, -log4+2JSD %.6f; equal: C %.6f, D gap %.4f", r.Gap, r.GapAt, r.VTrained, r.C, r.CFromJSD, r.CEqual, r.DEqualGap)
	if r.Gap > 0.05 {
		t.Errorf("trained D is %.3f away from D* at x=%.2f; want <= 0.05 on the support", r.Gap, r.GapAt)
	}
	if math.Abs(r.C-r.CFromJSD) > 1e-6 {
		t.Errorf("V(D*,G) = %.8f but -log 4 + 2·JSD = %.8f", r.C, r.CFromJSD)
	}
	if r.VTrained > r.C+1e-9 || r.C-r.VTrained > 0.01 {
		t.Errorf("V(trained D, G) = %.5f, want just below the maximum V(D*, G) = %.5f", r.VTrained, r.C)
	}
	if math.Abs(r.CEqual+math.Log(4)) > 1e-6 || r.DStarEqualGap > 1e-12 {
		t.Errorf("with p_g = p_data: C = %.8f (want -log 4 = %.8f), max |D* - 1/2| = %g", r.CEqual, -math.Log(4), r.DStarEqualGap)
	}
	if r.DEqualGap > 0.05 {
		t.Errorf("D trained with p_g = p_data is %.3f away from 1/2; want <= 0.05", r.DEqualGap)
	}
}
