package experiments_test

import (
	"testing"

	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/trainer"
)

// Lesson 4's claims: the critic's W1 estimate falls during WGAN training on the ring, and
// the generator spreads over most of the ring's modes.
func TestWGANClipW1Falls(t *testing.T) {
	ring := target.Ring(8, 2, 0.02)
	tr, err := trainer.New(testBackend(t), experiments.WGANClip(ring, 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(experiments.WGANClipIterations); err != nil {
		t.Fatal(err)
	}
	w := experiments.W1Estimates(tr.History())
	early, late := experiments.Mean(w[:100]), experiments.Mean(w[len(w)-100:])
	xs, err := tr.Sample(2500)
	if err != nil {
		t.Fatal(err)
	}
	r, err := metrics.Modes(xs, ring, metrics.ModeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("W1 estimate: first 100 iterations %.4g, last 100 %.4g; %s", early, late, r)
	if !(late > 0) || late > early/2 {
		t.Errorf("critic's W1 estimate went from %.4g to %.4g; want it positive and at least halved", early, late)
	}
	if r.Captured < 5 {
		t.Errorf("WGAN covers %d of 8 ring modes after %d iterations; want >= 5", r.Captured, experiments.WGANClipIterations)
	}
}
