package pointgan_test

import (
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
)

// TestFingerprint trains one small run of every kind the trainer has (each loss family,
// both generator losses, clipping, the gradient penalty, unrolling, packing, a 2-D view,
// a fixed Fake, lesson 15's stabilisers) and hashes the exact bits of its history, its snapshots and a few
// evaluations: a refactoring that keeps the numbers of a run leaves every hash as
// recorded in testdata/fingerprint-<backend>.txt. Run with -fingerprint=check (or
// =update on the code whose numbers are the reference).
func TestFingerprint(t *testing.T) {
	b, finish := testkit.Fingerprints(t)
	base := func() pointgan.Config {
		return pointgan.Config{
			Target:          target.Gaussian(2, 0.5),
			Generator:       nets.Generator(1, []int{8, 8}, 1),
			Discriminator:   nets.Discriminator(1, []int{8, 8}),
			BatchSize:       32,
			DSteps:          2,
			GOptimizer:      train.Adam(1e-3, 0.5, 0.999),
			DOptimizer:      train.Adam(1e-3, 0.5, 0.999),
			Seed:            11,
			SnapshotSamples: 50,
			GridSize:        20,
		}
	}
	runs := map[string]func(c *pointgan.Config){
		"standard-nonsaturating": func(c *pointgan.Config) {},
		"standard-minimax":       func(c *pointgan.Config) { c.GeneratorLoss = losses.Minimax },
		"wasserstein-clip": func(c *pointgan.Config) {
			c.Loss, c.Clip = losses.Wasserstein, 0.05
			c.GOptimizer, c.DOptimizer = train.RMSProp(5e-4), train.RMSProp(5e-4)
		},
		"wasserstein-gp": func(c *pointgan.Config) { c.Loss, c.GradientPenalty = losses.Wasserstein, 10 },
		"least-squares":  func(c *pointgan.Config) { c.Loss = losses.LeastSquares },
		"hinge":          func(c *pointgan.Config) { c.Loss = losses.Hinge },
		"unrolled":       func(c *pointgan.Config) { c.Unroll, c.UnrollLearningRate = 3, 0.05 },
		"pack":           func(c *pointgan.Config) { c.Pack, c.Discriminator = 2, nets.Discriminator(2, []int{8, 8}) },
		"sgd":            func(c *pointgan.Config) { c.GOptimizer, c.DOptimizer = train.SGD(1e-2), train.SGD(2e-2) },
		"ring-2d": func(c *pointgan.Config) {
			c.Target, c.Generator, c.Discriminator = target.Ring(8, 2, 0.02), nets.Generator(2, []int{8, 8}, 2), nets.Discriminator(2, []int{8, 8})
		},
		"fake": func(c *pointgan.Config) { c.Generator, c.Fake = nil, target.Gaussian(-1, 0.5) },
		"stabilisers": func(c *pointgan.Config) { // lesson 15's, all at once
			c.LabelSmoothing, c.LabelNoise, c.Dropout, c.R1, c.EMA = 0.1, 0.1, 0.3, 1, 0.9
			c.InstanceNoise, c.InstanceNoiseAnneal = 0.3, 25
		},
		"spectral-norm-hinge": func(c *pointgan.Config) { c.Loss, c.SpectralNorm = losses.Hinge, true },
	}
	got := map[string]string{}
	for name, change := range runs {
		cfg := base()
		change(&cfg)
		tr, err := pointgan.New(b, cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var h testkit.Hash
		if cfg.Fake != nil {
			s, err := tr.TrainD(30)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			h.Float64(s.Loss, s.DReal, s.DFake)
			snap, err := tr.Snapshot()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			h.Float32(snap.Samples...)
			h.Float64(snap.Critic...)
			got[name] = h.String()
			continue
		}
		if err := tr.Run(20, 0, 10, 20); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := tr.SetLearningRate(pointgan.DiscriminatorScope, 1e-4); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := tr.Run(10, 30); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r, err := tr.Steps(1, 1)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h.Float64(r.D.Loss, r.D.DReal, r.D.DFake, r.GLoss, r.DFake)
		for _, rec := range tr.History() {
			h.Int(rec.Iteration)
			h.Float64(rec.DLoss, rec.GLoss, rec.DReal, rec.DFake)
		}
		for _, s := range tr.Snapshots() {
			h.Int(s.Iteration)
			h.Float32(s.Samples...)
			h.Float64(s.Critic...)
			h.Float64(s.D...)
		}
		samples, err := tr.Sample(40)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h.Float32(samples...)
		norm, dFake, err := tr.GeneratorGradNorm(losses.Minimax)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h.Float64(norm, dFake)
		grads, err := tr.SampleGradients(samples)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h.Float32(grads...)
		got[name] = h.String()
	}
	finish(got)
}
