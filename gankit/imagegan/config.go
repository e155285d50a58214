package imagegan

import (
	"errors"
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/train"
)

// Mode chooses what the generator is given besides noise.
type Mode int

const (
	// Unconditional is DCGAN: G(z) from noise alone.
	Unconditional Mode = iota
	// Conditional is a conditional GAN (Mirza & Osindero 2014): G(z, y) and D(x, y) both
	// see the class label y, as a one-hot vector.
	Conditional
	// InfoGAN (Chen et al. 2016): G(z, c) gets latent codes c (a categorical one and
	// continuous ones) that nothing tells it the meaning of; a Q head on D's body predicts
	// c from G(z, c), and the mutual-information loss rewards G for keeping c readable.
	InfoGAN
)

// String implements fmt.Stringer.
func (m Mode) String() string {
	switch m {
	case Unconditional:
		return "unconditional (DCGAN)"
	case Conditional:
		return "conditional"
	case InfoGAN:
		return "InfoGAN"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// DefaultOptimizer is DCGAN's optimizer, both networks': Adam with learning rate 2e-4 and
// betas (0.5, 0.999).
var DefaultOptimizer = train.Adam(2e-4, 0.5, 0.999)

// Defaults filled in by Config.WithDefaults for fields left at 0.
const (
	DefaultNoiseDim        = 64
	DefaultGWidth          = 64
	DefaultDWidth          = 32
	DefaultBatchSize       = 64
	DefaultCategorical     = 10 // InfoGAN on MNIST: one 10-way code
	DefaultContinuous      = 2  // and two continuous codes, uniform in [-1, 1]
	DefaultInfoWeight      = 1.0
	DefaultSnapshotSamples = 100
)

// Config describes one image-GAN training run. Fields left at 0 take the defaults listed
// with them (see WithDefaults); negative or non-finite values are errors.
type Config struct {
	// Set is the training data: 28×28 grey images (gankit/mnist), scaled to [-1, 1].
	Set *mnist.Set
	// Mode is Unconditional (the zero value), Conditional or InfoGAN.
	Mode Mode
	// NoiseDim is the size of the noise z, drawn from N(0, 1). Default 64.
	NoiseDim int
	// Categorical is the number of values of InfoGAN's categorical code (one-hot in G's
	// input, predicted by Q's softmax), 0 for none. Continuous is the number of InfoGAN's
	// continuous codes, each uniform in [-1, 1], 0 for none. They apply to the InfoGAN mode
	// only, which needs at least one code; with both left at 0 in that mode they default to
	// DefaultCategorical and DefaultContinuous (the paper's MNIST setting: 10 and 2).
	Categorical, Continuous int
	// InfoWeight is λ, the weight of the mutual-information loss in both G's and D/Q's
	// losses (InfoGAN only). Default 1, as in the paper for discrete codes.
	InfoWeight float64
	// GWidth is the number of channels of the generator at 7×7 (its 14×14 layer has half
	// as many). Default 64. It must be at least 2.
	GWidth int
	// DWidth is the number of channels of the discriminator's first convolution (its
	// second has twice as many). Default 32.
	DWidth int
	// BatchSize is the number of real and of generated images per step. Default 64. Batch
	// norm needs at least 2.
	BatchSize int
	// GOptimizer and DOptimizer are the networks' optimizers; the zero value means
	// DefaultOptimizer. In InfoGAN mode the Q head trains with D's optimizer.
	GOptimizer, DOptimizer train.Optimizer
	// Seed fixes the initial weights, the batches, the noise and FixedNoise.
	Seed uint64
	// SnapshotSamples is how many images a Snapshot generates (from FixedNoise). Default 100.
	SnapshotSamples int
}

// DefaultConfig is the configuration of the lessons for set in the given mode, with every
// default filled in.
func DefaultConfig(set *mnist.Set, mode Mode) Config {
	return Config{Set: set, Mode: mode}.WithDefaults()
}

// WithDefaults returns c with every field left at 0 set to its default. Negative values
// are kept, for Validate to report.
func (c Config) WithDefaults() Config {
	set := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	set(&c.NoiseDim, DefaultNoiseDim)
	set(&c.GWidth, DefaultGWidth)
	set(&c.DWidth, DefaultDWidth)
	set(&c.BatchSize, DefaultBatchSize)
	set(&c.SnapshotSamples, DefaultSnapshotSamples)
	if c.Mode == InfoGAN {
		if c.Categorical == 0 && c.Continuous == 0 {
			c.Categorical, c.Continuous = DefaultCategorical, DefaultContinuous
		}
		if c.InfoWeight == 0 {
			c.InfoWeight = DefaultInfoWeight
		}
	}
	if c.GOptimizer == (train.Optimizer{}) {
		c.GOptimizer = DefaultOptimizer
	}
	if c.DOptimizer == (train.Optimizer{}) {
		c.DOptimizer = DefaultOptimizer
	}
	return c
}

// Classes is the number of classes of the data set (the conditional GAN's labels).
func (c Config) Classes() int {
	if c.Set == nil {
		return 0
	}
	return len(c.Set.ClassNames)
}

// CondDim is the size of the conditioning vector given to G besides the noise: the
// one-hot label (Conditional), the codes (InfoGAN: Categorical one-hot values then
// Continuous values), or 0.
func (c Config) CondDim() int {
	switch c.Mode {
	case Conditional:
		return c.Classes()
	case InfoGAN:
		return c.Categorical + c.Continuous
	}
	return 0
}

// Validate reports every impossible setting of c as it stands (after WithDefaults, as New
// applies it), naming the field.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Set == nil {
		add("Set (the training images) is required: use mnist.Load(\"mnist\")")
	} else {
		if c.Set.N == 0 {
			add("Set %q has no images", c.Set.Name)
		}
		if c.Set.Rows != mnist.Side || c.Set.Cols != mnist.Side {
			add("Set %q has %d×%d images; the networks take 28×28", c.Set.Name, c.Set.Rows, c.Set.Cols)
		}
	}
	switch c.Mode {
	case Unconditional, Conditional, InfoGAN:
	default:
		add("unknown Mode %d (use Unconditional, Conditional or InfoGAN)", int(c.Mode))
	}
	if c.NoiseDim < 1 {
		add("NoiseDim must be >= 1, got %d", c.NoiseDim)
	}
	if c.Categorical < 0 || c.Continuous < 0 {
		add("Categorical and Continuous (InfoGAN's codes) must be >= 0, got %d and %d", c.Categorical, c.Continuous)
	}
	if c.Mode == InfoGAN {
		if c.Categorical == 0 && c.Continuous == 0 {
			add("InfoGAN needs at least one latent code: set Categorical and/or Continuous (the paper's MNIST: 10 and 2)")
		}
		if c.Categorical == 1 {
			add("a Categorical code with 1 value carries no information: use 0 (none) or >= 2")
		}
		if !(c.InfoWeight > 0) || math.IsInf(c.InfoWeight, 0) {
			add("InfoWeight (λ) must be positive and finite in InfoGAN mode, got %g", c.InfoWeight)
		}
	} else if c.Categorical != 0 || c.Continuous != 0 || c.InfoWeight != 0 {
		add("Categorical, Continuous and InfoWeight are InfoGAN settings, but Mode is %v", c.Mode)
	}
	if c.GWidth < 2 {
		add("GWidth (the generator's channels at 7×7) must be >= 2, got %d", c.GWidth)
	}
	if c.DWidth < 1 {
		add("DWidth (the discriminator's first channels) must be >= 1, got %d", c.DWidth)
	}
	if c.BatchSize < 2 {
		add("BatchSize must be >= 2: batch norm cannot normalise a batch of %d", c.BatchSize)
	}
	if err := c.GOptimizer.Validate(); err != nil {
		add("GOptimizer: %w", err)
	}
	if err := c.DOptimizer.Validate(); err != nil {
		add("DOptimizer: %w", err)
	}
	if c.SnapshotSamples < 1 {
		add("SnapshotSamples must be >= 1, got %d", c.SnapshotSamples)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("imagegan: invalid config: %w", err)
	}
	return nil
}
