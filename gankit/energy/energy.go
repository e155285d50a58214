package energy

import (
	"fmt"
	"math/rand/v2"
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

// Config is a discriminator that generates by itself (the energy-based view of Hung-yi
// Lee's "GAN as structured learning"): a sample is x* = argmax_x D(x), found by gradient
// ascent on D's score from a noise starting point. D learns which points are good from
// real samples (positives) and from its own current samples (negatives), round after
// round: each round draws BatchSize negatives by ascent, then takes DSteps steps of the
// standard discriminator loss, which lowers D where it now generates and raises it on the
// data, until its maxima sit on the data.
type Config struct {
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

// Result is a trained discriminator's samples and their cost.
type Result struct {
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
func (c Config) Run(b compute.Backend, n int) (Result, error) {
	D, dim := c.Discriminator, c.Target.Dim()
	if err := D.Validate(); err != nil {
		return Result{}, fmt.Errorf("energy: %w", err)
	}
	if c.Rounds < 1 || c.DSteps < 1 || c.AscentSteps < 1 || c.BatchSize < 1 || c.StepSize <= 0 {
		return Result{}, fmt.Errorf("energy needs positive rounds, D steps, ascent steps, batch and step size, got %+v", c)
	}
	t0 := time.Now()
	store := model.NewStore()
	if err := D.Init(store.RootScope().At("discriminator"), train.Rand(c.Seed, 3)); err != nil {
		return Result{}, err
	}
	opt := c.Optimizer.Build("adam_d")
	dStep, err := model.NewExec(b, store, func(scope *model.Scope, real, fake *Node) *Node {
		ds := scope.At("discriminator")
		loss := losses.Discriminator(D.Apply(ds, real), D.Apply(ds, fake))
		opt.UpdateGraph(ds, real.Graph(), loss)
		return loss
	})
	if err != nil {
		return Result{}, fmt.Errorf("energy D step: %w", err)
	}
	ascend, err := model.NewExec(b, store, func(scope *model.Scope, x *Node) *Node {
		ds := scope.At("discriminator")
		return Ascend(func(x *Node) *Node { return D.Apply(ds, x) }, x, c.StepSize, c.Box)
	})
	if err != nil {
		return Result{}, fmt.Errorf("energy ascent: %w", err)
	}
	var res Result
	generate := func(start []float32) (*tensors.Tensor, error) {
		x := tensors.FromFlatDataAndDimensions(start, len(start)/dim, dim)
		for range c.AscentSteps {
			out, err := ascend.Call(x)
			if err != nil {
				return nil, fmt.Errorf("energy ascent: %w", err)
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
			return Result{}, err
		}
		for range c.DSteps {
			real := tensors.FromFlatDataAndDimensions(c.Target.Sample(dataRng, c.BatchSize), c.BatchSize, dim)
			if _, err := dStep.Call(real, fake); err != nil {
				return Result{}, fmt.Errorf("energy D step: %w", err)
			}
			res.DSteps++
		}
	}
	x, err := generate(noise(train.Rand(c.Seed, 4), n))
	if err != nil {
		return Result{}, err
	}
	res.Samples = tensors.MustCopyFlatData[float32](x)
	res.Seconds = time.Since(t0).Seconds()
	return res, nil
}

// ImageData adapts an image set (for example an mnist.Set's Batch method, [-1, 1] pixels)
// to target.Distribution, so that a Config can take it as its Target. Its Bounds are the
// pixel range in every coordinate.
type ImageData struct {
	Pixels int
	Batch  func(rng *rand.Rand, n int) []float32
}

// Name implements target.Distribution.
func (d ImageData) Name() string { return fmt.Sprintf("images of %d pixels", d.Pixels) }

// Dim implements target.Distribution.
func (d ImageData) Dim() int { return d.Pixels }

// Sample implements target.Distribution.
func (d ImageData) Sample(rng *rand.Rand, n int) []float32 { return d.Batch(rng, n) }

// Bounds implements target.Distribution: [-1, 1] per pixel.
func (d ImageData) Bounds() (lo, hi []float64) {
	lo, hi = make([]float64, d.Pixels), make([]float64, d.Pixels)
	for i := range lo {
		lo[i], hi[i] = -1, 1
	}
	return lo, hi
}
