package experiments

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

// ImageData adapts an image set (for example an mnist.Set's Batch method, [-1, 1] pixels)
// to target.Distribution, so that DAlone can take it as its Target. Its Bounds are the
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

// DigitsDAlone is lesson 13's discriminator alone on 28×28 digits, at the same tiny
// budget as on the ring: D 784 → 256 → 1, 200 rounds of 64 negatives and one D step,
// samples by 30 ascent steps of 0.05 from N(0, 0.5²) noise, pixels kept in [-1, 1].
func DigitsDAlone(batch func(rng *rand.Rand, n int) []float32, seed uint64) DAlone {
	c := RingDAlone(ImageData{Pixels: 28 * 28, Batch: batch}, seed)
	c.Discriminator = nets.Discriminator(28*28, []int{256})
	c.Rounds, c.StartStd, c.Box = 200, 0.5, 1
	return c
}

// Lesson 13's bounds on the discriminator alone on digits: its samples are at least
// NoiseMinSharpness times as "sharp" as real digits (pixel noise, not strokes), and the
// classifier puts at least DigitsMinTopShare of them in one class.
const (
	NoiseMinSharpness = 2
	DigitsMinTopShare = 0.8
)

// CheckDigitsDAlone checks that the discriminator alone, at lesson 13's budget, does not
// generate digits: its samples are pixel noise (sharpness at least NoiseMinSharpness × the
// real digits') that the classifier lumps into one class (at least DigitsMinTopShare). A
// failed claim wraps ErrClaim.
func CheckDigitsDAlone(gen, real Reading) error {
	top := 0
	for _, c := range gen.Classes.Counts {
		top = max(top, c)
	}
	share := float64(top) / float64(max(gen.Classes.N, 1))
	switch {
	case gen.Sharpness < NoiseMinSharpness*real.Sharpness:
		return fmt.Errorf("%w: the samples' sharpness %.3f is below %g × the digits' %.3f: not noise", ErrClaim, gen.Sharpness, float64(NoiseMinSharpness), real.Sharpness)
	case share < DigitsMinTopShare:
		return fmt.Errorf("%w: the classifier's most frequent class holds %.1f%% of the samples, below %g%%", ErrClaim, 100*share, 100*DigitsMinTopShare)
	}
	return nil
}
