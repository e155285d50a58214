package experiments_test

import (
	"testing"

	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/trainer"
)

// Lesson 5's claims: clipping pins many critic weights at ±c (weights spread evenly over
// [-c, c] would put 1% there) and leaves the critic's gradient far below the Lipschitz
// bound it is meant to approach, while the gradient penalty keeps the gradient norm
// near 1 between real and generated samples.
func TestClippingVersusPenalty(t *testing.T) {
	ring := target.Ring(8, 2, 0.02)
	b := testBackend(t)
	diag := func(cfg trainer.Config, iters int) experiments.Critic {
		tr, err := trainer.New(b, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Run(iters); err != nil {
			t.Fatal(err)
		}
		c, err := experiments.DiagnoseCritic(tr, 2000, 7)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	clip := diag(experiments.WGANClip(ring, 1), experiments.WGANClipIterations)
	gp := diag(experiments.WGANGP(ring, 1), experiments.WGANGPIterations)
	t.Logf("clipping: %.1f%% of weights at ±c, ‖∇C‖ %.3f ± %.3f; penalty: ‖∇C‖ %.3f ± %.3f",
		100*clip.AtBound, clip.GradNormMean, clip.GradNormSD, gp.GradNormMean, gp.GradNormSD)
	if clip.AtBound < 0.15 {
		t.Errorf("after clipped training %.1f%% of the critic's weights are at ±c; want > 15%%", 100*clip.AtBound)
	}
	if clip.GradNormMean > 0.1 {
		t.Errorf("clipped critic's mean gradient norm %.3f, want < 0.1", clip.GradNormMean)
	}
	if gp.GradNormMean < 0.7 || gp.GradNormMean > 1.3 {
		t.Errorf("WGAN-GP critic's mean gradient norm %.3f, want within 0.3 of 1", gp.GradNormMean)
	}
}
