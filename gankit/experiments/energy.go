package experiments

import (
	"fmt"
	"time"

	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// DAlone is a discriminator that generates by itself (the energy-based view of Hung-yi
// Lee's "GAN as structured learning"): a sample is x* = argmax_x D(x), found by gradient
// ascent on D's score from a noise starting point. D learns which points are good from
// real samples (positives) and from its own current samples (negatives), round after
// round: each round draws BatchSize negatives by ascent, then takes DSteps steps of the
// standard discriminator loss, which lowers D where it now generates and raises it on the
// data, until its maxima sit on the data.
type DAlone struct {
	Target        target.Distribution
	Discriminator nets.MLP
	Rounds        int     // rounds of (generate negatives, train D)
	DSteps        int     // D steps per round
	AscentSteps   int     // gradient-ascent steps per sample
	StepSize      float64 // x ← x + StepSize·∇D(x)
	StartStd      float64 // negatives start from N(0, StartStd² I)
	Box           float64 // ascent keeps every coordinate in [-Box, Box]
	BatchSize     int
	Optimizer     train.Optimizer
	Seed          uint64
}

// RingDAlone is lesson 13's D-alone generator on a 2-D target: CollapseGAN's
// discriminator (2 → 64 → 64 → 1) and batch, Adam(1e-3, 0.5, 0.999), 400 rounds of one D
// step each, 30 ascent steps of 0.05.
func RingDAlone(data target.Distribution, seed uint64) DAlone {
	return DAlone{Target: data, Discriminator: nets.Discriminator(data.Dim(), []int{64, 64}), Rounds: 400, DSteps: 1,
		AscentSteps: 30, StepSize: 0.05, StartStd: 1.5, Box: 3, BatchSize: CollapseBatch,
		Optimizer: train.Adam(1e-3, 0.5, 0.999), Seed: seed}
}

// DAloneResult is a trained DAlone's samples and its cost.
type DAloneResult struct {
	Samples []float32
	// AscentEvals counts D gradient evaluations (one per point per ascent step) during
	// training and sampling; DSteps the discriminator's training steps.
	AscentEvals, DSteps int
	// Seconds is the wall time of training and sampling.
	Seconds float64
}

// Ascend builds one ascent step in graph code: x + η·∇ₓ Σ D(x), each coordinate clipped to
// [-box, box]. Its gradient is taken with D's weights fixed.
func Ascend(d func(x *Node) *Node, x *Node, eta, box float64) *Node {
	g := Gradient(ReduceAllSum(d(x)), x)[0]
	return ClipScalar(Add(x, MulScalar(g, eta)), -box, box)
}

// Run trains D and returns n samples, each the end of AscentSteps ascent steps from noise.
func (c DAlone) Run(b compute.Backend, n int) (DAloneResult, error) {
	D, dim := c.Discriminator, c.Target.Dim()
	if err := D.Validate(); err != nil {
		return DAloneResult{}, fmt.Errorf("experiments: DAlone: %w", err)
	}
	if c.Rounds < 1 || c.DSteps < 1 || c.AscentSteps < 1 || c.BatchSize < 1 || c.StepSize <= 0 {
		return DAloneResult{}, fmt.Errorf("experiments: DAlone needs positive rounds, D steps, ascent steps, batch and step size, got %+v", c)
	}
	t0 := time.Now()
	store := model.NewStore()
	if err := D.Init(store.RootScope().At("discriminator"), train.Rand(c.Seed, 3)); err != nil {
		return DAloneResult{}, err
	}
	opt := c.Optimizer.Build("adam_d")
	dStep, err := model.NewExec(b, store, func(scope *model.Scope, real, fake *Node) *Node {
		ds := scope.At("discriminator")
		loss := losses.Discriminator(D.Apply(ds, real), D.Apply(ds, fake))
		opt.UpdateGraph(ds, real.Graph(), loss)
		return loss
	})
	if err != nil {
		return DAloneResult{}, fmt.Errorf("experiments: DAlone D step: %w", err)
	}
	ascend, err := model.NewExec(b, store, func(scope *model.Scope, x *Node) *Node {
		ds := scope.At("discriminator")
		return Ascend(func(x *Node) *Node { return D.Apply(ds, x) }, x, c.StepSize, c.Box)
	})
	if err != nil {
		return DAloneResult{}, fmt.Errorf("experiments: DAlone ascent: %w", err)
	}
	var res DAloneResult
	generate := func(start []float32) (*tensors.Tensor, error) {
		x := tensors.FromFlatDataAndDimensions(start, len(start)/dim, dim)
		for range c.AscentSteps {
			out, err := ascend.Call(x)
			if err != nil {
				return nil, fmt.Errorf("experiments: DAlone ascent: %w", err)
			}
			x = out[0]
			res.AscentEvals += len(start) / dim
		}
		return x, nil
	}
	noise := func(rng interface{ NormFloat64() float64 }, k int) []float32 {
		z := make([]float32, k*dim)
		for i := range z {
			z[i] = float32(c.StartStd * rng.NormFloat64())
		}
		return z
	}
	dataRng, noiseRng := train.Rand(c.Seed, 1), train.Rand(c.Seed, 2)
	for range c.Rounds {
		fake, err := generate(noise(noiseRng, c.BatchSize))
		if err != nil {
			return DAloneResult{}, err
		}
		for range c.DSteps {
			real := tensors.FromFlatDataAndDimensions(c.Target.Sample(dataRng, c.BatchSize), c.BatchSize, dim)
			if _, err := dStep.Call(real, fake); err != nil {
				return DAloneResult{}, fmt.Errorf("experiments: DAlone D step: %w", err)
			}
			res.DSteps++
		}
	}
	x, err := generate(noise(train.Rand(c.Seed, 4), n))
	if err != nil {
		return DAloneResult{}, err
	}
	res.Samples = tensors.MustCopyFlatData[float32](x)
	res.Seconds = time.Since(t0).Seconds()
	return res, nil
}
