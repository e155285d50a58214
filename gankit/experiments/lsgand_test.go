package experiments_test

import (
	"errors"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
)

// Lesson 6's claim: LSGAN's discriminator, trained against a frozen p_g, reaches
// (b·p_data + a·p_g)/(p_data + p_g) within LSGANMaxGap on the support.
func TestLSGANOptimalD(t *testing.T) {
	if testing.Short() {
		t.Skip("trains lesson 6's LSGAN discriminator")
	}
	r, err := experiments.MeasureLSGANOptimalD(testBackend(t), 1, experiments.LSGANOptimalDSteps)
	if err != nil {
		t.Fatal(err)
	}
	d, ds := r.At(0)
	t.Logf("gap %.4f at x=%.2f; at x=0 D %.4f, D* %.4f", r.Gap, r.GapAt, d, ds)
	if err := experiments.CheckLSGANOptimalD(r, experiments.LSGANMaxGap); err != nil {
		t.Error(err)
	}
	if err := experiments.CheckLSGANOptimalD(&experiments.LSGANOptimalD{Gap: 1, GapAt: 0}, experiments.LSGANMaxGap); !errors.Is(err, experiments.ErrClaim) {
		t.Errorf("CheckLSGANOptimalD with a gap of 1 = %v, want an error wrapping ErrClaim", err)
	}
}
