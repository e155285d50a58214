package pointgan

import (
	"errors"
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
)

// Config describes one GAN training run.
type Config struct {
	// Target is p_data, the distribution of the real samples.
	Target target.Distribution
	// Generator maps noise (of Generator.InDim() coordinates) to Target.Dim() coordinates.
	Generator nets.Network
	// Discriminator maps Target.Dim() coordinates to one logit.
	Discriminator nets.Network
	// Fake, if set, replaces the generator by this fixed, known p_g: only D trains.
	Fake target.Distribution
	// Loss is the objective family: losses.Standard (the zero value, BCE), Wasserstein,
	// LeastSquares or Hinge.
	Loss losses.Family
	// GeneratorLoss is losses.NonSaturating (the zero value) or losses.Minimax; it applies
	// to the Standard family only.
	GeneratorLoss losses.Generator
	// Clip, if > 0, clips every discriminator weight to [-Clip, Clip] after each of its
	// steps: WGAN's way to keep the critic Lipschitz (0.01 in the paper).
	Clip float64
	// GradientPenalty is WGAN-GP's λ (10 in the paper): the weight of
	// E[(‖∇C(x̂)‖ - 1)²] in the critic's loss. 0 means no penalty.
	GradientPenalty float64
	// Pack is PacGAN's packing degree m: D judges m samples at once, concatenated into one
	// input of m·Dim() coordinates (so Discriminator.InDim() must be m·Target.Dim()).
	// 0 or 1 means no packing. BatchSize counts packed inputs: each step draws
	// BatchSize·m real and BatchSize·m generated samples.
	Pack int
	// Unroll is the unrolled GAN's k (Metz et al. 2017): the generator's loss is computed
	// against a copy of D advanced Unroll steps of gradient descent on fresh batches, and
	// differentiated through those steps. 0 means no unrolling. The discriminator must be
	// a nets.Functional (nets.MLP is).
	Unroll int
	// UnrollLearningRate is the step size of the unrolled (plain gradient descent) steps;
	// required > 0 when Unroll > 0.
	UnrollLearningRate float64
	// Stabilisers (lesson 15). Each is off at its zero value; see stabilisers.go.

	// LabelSmoothing is one-sided label smoothing's α (Salimans et al. 2016): D's target
	// for real samples is 1-α instead of 1 (generated samples keep 0). It needs the
	// Standard loss; 0 <= α < 0.5.
	LabelSmoothing float64
	// LabelNoise is the probability that each of D's labels is flipped (a real sample
	// labelled generated, a generated one labelled real with the real target 1-α), drawn
	// afresh at every discriminator step. It needs the Standard loss; 0 <= p <= 1.
	LabelNoise float64
	// Dropout is the rate p at which D's hidden units are dropped during D's own steps
	// (inverted dropout: kept units are scaled by 1/(1-p)); the generator's steps and
	// every evaluation see the whole D. The Discriminator must implement nets.Hidden
	// (nets.MLP does); 0 <= p < 1.
	Dropout float64
	// InstanceNoise is σ of instance noise (Sønderby et al. 2017, Arjovsky & Bottou 2017):
	// Gaussian noise N(0, σ²) is added to every real and generated sample D sees, in D's
	// steps and in G's. 0 means none.
	InstanceNoise float64
	// InstanceNoiseAnneal, if > 0, decays σ linearly to 0 over that many iterations
	// (see InstanceNoiseAt); 0 keeps σ constant.
	InstanceNoiseAnneal int
	// SpectralNorm divides each of D's weight matrices by an estimate of its largest
	// singular value (Miyato et al. 2018): one step of power iteration per discriminator
	// step, from a vector kept between steps. D must implement nets.Functional; its rank-2
	// parameters are the matrices. Miyato et al. pair it with the Hinge loss.
	SpectralNorm bool
	// R1 is γ of the R1 penalty (Mescheder et al. 2018): γ/2·E‖∇_x D(x)‖² on real samples,
	// with D's raw output (the logit), added to D's loss. 0 means none.
	R1 float64
	// EMA, if > 0, is the decay of an exponential moving average of the generator's
	// weights (Yazıcı et al. 2019), updated after every generator step and debiased as
	// Adam's moments are; every evaluation of samples (Generate, Sample, Snapshot,
	// ScoreModes, View's manifold) uses the averaged generator, while training and the
	// generator's gradients (View's arrows, GeneratorGradNorm) use the current one. The
	// Generator must implement nets.Functional; 0 <= decay < 1.
	EMA float64

	// BatchSize is the number of real and of generated samples per step.
	BatchSize int
	// DSteps is k, the number of discriminator steps per generator step (>= 1).
	DSteps int
	// GOptimizer and DOptimizer configure each network's optimizer: train.Adam,
	// train.SGD or train.RMSProp.
	GOptimizer, DOptimizer train.Optimizer
	// Seed fixes the initial weights, the real samples and the noise.
	Seed uint64
	// SnapshotSamples is how many generated samples a Snapshot keeps (default 1000).
	SnapshotSamples int
	// GridSize is the number of grid points per axis where a Snapshot evaluates D
	// (default 200 in 1-D, 60 in 2-D).
	GridSize int
}

// PackSize is the effective pack size: Pack, or 1 when Pack is 0.
func (c *Config) PackSize() int { return max(c.Pack, 1) }

// Validate reports every impossible setting, with the field's name.
func (c *Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Target == nil {
		add("Target is required")
	}
	if c.Discriminator == nil {
		add("Discriminator is required")
	}
	if c.Generator == nil && c.Fake == nil {
		add("Generator (or a fixed Fake distribution) is required")
	}
	if c.Unroll < 0 {
		add("Unroll (unrolled discriminator steps) must be >= 0, got %d", c.Unroll)
	}
	if c.Unroll > 0 {
		if !(c.UnrollLearningRate > 0) || math.IsInf(c.UnrollLearningRate, 0) {
			add("UnrollLearningRate must be positive and finite when Unroll > 0, got %g", c.UnrollLearningRate)
		}
		if _, ok := c.Discriminator.(nets.Functional); c.Discriminator != nil && !ok {
			add("Unroll needs a Discriminator that implements nets.Functional (nets.MLP does)")
		}
		if c.Fake != nil {
			add("Unroll needs a generator to train, but Fake fixes p_g")
		}
	}
	if c.Pack < 0 {
		add("Pack (PacGAN's pack size) must be >= 1 (or 0 for no packing), got %d", c.Pack)
	}
	if c.Target != nil {
		dim := c.Target.Dim()
		if c.Discriminator != nil && c.Discriminator.InDim() != c.PackSize()*dim {
			if c.PackSize() > 1 {
				add("Discriminator takes %d coordinates but packing %d samples of Target %q needs %d", c.Discriminator.InDim(), c.PackSize(), c.Target.Name(), c.PackSize()*dim)
			} else {
				add("Discriminator takes %d coordinates but Target %q has %d", c.Discriminator.InDim(), c.Target.Name(), dim)
			}
		}
		if c.Generator != nil && c.Fake == nil && c.Generator.OutDim() != dim {
			add("Generator produces %d coordinates but Target %q has %d", c.Generator.OutDim(), c.Target.Name(), dim)
		}
		if c.Fake != nil && c.Fake.Dim() != dim {
			add("Fake %q has %d coordinates but Target %q has %d", c.Fake.Name(), c.Fake.Dim(), c.Target.Name(), dim)
		}
		if dim != 1 && dim != 2 && (c.GridSize > 0 || c.SnapshotSamples > 0) {
			// Snapshots grid only 1-D and 2-D targets; samples work in any dimension.
		}
	}
	if c.Discriminator != nil && c.Discriminator.OutDim() != 1 {
		add("Discriminator must output 1 logit, got %d", c.Discriminator.OutDim())
	}
	if c.BatchSize < 1 {
		add("BatchSize must be >= 1, got %d", c.BatchSize)
	}
	if c.DSteps < 1 {
		add("DSteps (k) must be >= 1, got %d", c.DSteps)
	}
	if err := c.GeneratorLoss.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Loss.Validate(); err != nil {
		errs = append(errs, err)
	}
	if !(c.Clip >= 0) || math.IsInf(c.Clip, 0) {
		add("Clip (the weight-clipping value) must be > 0, or 0 for no clipping; got %g", c.Clip)
	}
	if !(c.GradientPenalty >= 0) || math.IsInf(c.GradientPenalty, 0) {
		add("GradientPenalty (λ) must be >= 0, got %g", c.GradientPenalty)
	}
	if c.Loss == losses.Wasserstein && c.Clip == 0 && c.GradientPenalty == 0 {
		add("the Wasserstein loss needs a Lipschitz constraint: set Clip > 0 (WGAN) or GradientPenalty > 0 (WGAN-GP)")
	}
	if err := c.DOptimizer.Validate(); err != nil {
		add("DOptimizer: %w", err)
	}
	if c.Fake == nil {
		if err := c.GOptimizer.Validate(); err != nil {
			add("GOptimizer: %w", err)
		}
	}
	if c.SnapshotSamples < 0 || c.GridSize < 0 {
		add("SnapshotSamples and GridSize must be >= 0 (0 means the default), got %d and %d", c.SnapshotSamples, c.GridSize)
	}
	errs = append(errs, c.validateStabilisers()...)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("pointgan: invalid config: %w", err)
	}
	return nil
}
