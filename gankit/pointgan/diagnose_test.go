package pointgan_test

import (
	"slices"
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
)

func TestW1Estimates(t *testing.T) {
	got := pointgan.W1Estimates([]pointgan.Record{{DLoss: -0.5}, {DLoss: 0.25}})
	if !slices.Equal(got, []float64{0.5, -0.25}) {
		t.Errorf("W1Estimates = %v, want [0.5 -0.25]", got)
	}
}

// DiagnoseCritic measures a Wasserstein critic only, and its numbers are in range.
func TestDiagnoseCritic(t *testing.T) {
	b := testkit.Backend(t)
	if tr, err := pointgan.New(b, gaussianConfig()); err != nil {
		t.Fatal(err)
	} else if _, err := pointgan.DiagnoseCritic(tr, 10, 1); err == nil {
		t.Error("DiagnoseCritic of a standard-loss discriminator: no error")
	}
	cfg := gaussianConfig()
	cfg.Loss, cfg.Clip = losses.Wasserstein, 0.05
	tr, err := pointgan.New(b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(5); err != nil {
		t.Fatal(err)
	}
	c, err := pointgan.DiagnoseCritic(tr, 200, 1)
	if err != nil {
		t.Fatal(err)
	}
	if c.AtBound <= 0 || c.AtBound > 1 || !(c.GradNormMean > 0) || !(c.GradNormSD >= 0) {
		t.Errorf("critic report %+v: want 0 < AtBound <= 1 and a positive mean gradient norm", c)
	}
}

// ScoreModes depends on the generator only: scoring twice, or sampling between scores,
// gives the same report.
func TestScoreModes(t *testing.T) {
	ring := target.Ring(8, 2, 0.02)
	cfg := gaussianConfig()
	cfg.Target = ring
	cfg.Generator, cfg.Discriminator = nets.Generator(2, []int{16}, 2), nets.Discriminator(2, []int{16})
	tr, err := pointgan.New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	first, err := pointgan.ScoreModes(tr, ring, 500)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Sample(100); err != nil {
		t.Fatal(err)
	}
	again, err := pointgan.ScoreModes(tr, ring, 500)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(first.Nearest, again.Nearest) || first.Samples != 500 {
		t.Errorf("scores differ: %v and %v", first.Nearest, again.Nearest)
	}
	if _, err := pointgan.ScoreModes(tr, ring, 0); err == nil {
		t.Error("ScoreModes with 0 samples: no error")
	}
}
