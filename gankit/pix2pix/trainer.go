package pix2pix

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/i2i"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Objective chooses the generator's loss: pix2pix's ablation.
type Objective int

const (
	// CGANAndL1 is pix2pix: the conditional GAN loss plus Lambda times the L1 distance to
	// the target.
	CGANAndL1 Objective = iota
	// L1Only trains the generator on the L1 distance alone (no discriminator): a plain
	// regression, which averages the plausible outputs and blurs.
	L1Only
	// CGANOnly trains the generator on the conditional GAN loss alone: outputs that look
	// real next to their input but need not match their target.
	CGANOnly
)

// String implements fmt.Stringer.
func (o Objective) String() string {
	switch o {
	case CGANAndL1:
		return "cGAN + L1"
	case L1Only:
		return "L1 only"
	case CGANOnly:
		return "cGAN only"
	}
	return fmt.Sprintf("Objective(%d)", int(o))
}

// Defaults filled in by Config.WithDefaults for fields left at 0.
const (
	DefaultLambda          = 100 // the paper's λ
	DefaultWidth           = 16
	DefaultDWidth          = 16
	DefaultBatchSize       = 32
	DefaultSnapshotSamples = 10
)

// DefaultOptimizer is the paper's optimizer, both networks': Adam with learning rate 2e-4
// and betas (0.5, 0.999).
var DefaultOptimizer = train.Adam(2e-4, 0.5, 0.999)

// Config describes one pix2pix training run. Fields left at 0 take their defaults.
type Config struct {
	// Pairs are the training pairs (NewPairs, MakePairs).
	Pairs *Pairs
	// Objective is CGANAndL1 (the zero value), L1Only or CGANOnly.
	Objective Objective
	// Lambda is the weight of the L1 term in CGANAndL1 (default 100, the paper's). It must
	// be positive and finite there, and is left at 0 by the other objectives.
	Lambda float64
	// Width is the U-Net's channels at 14×14 (i2i.UNet.Width). Default 16.
	Width int
	// DWidth is the PatchGAN's first channels (i2i.PatchGAN.Width). Default 16.
	DWidth int
	// BatchSize is the number of pairs per step. Default 32.
	BatchSize int
	// GOptimizer and DOptimizer are the networks' optimizers; the zero value means
	// DefaultOptimizer.
	GOptimizer, DOptimizer train.Optimizer
	// Seed fixes the initial weights and the batches.
	Seed uint64
	// SnapshotSamples is how many pairs a Snapshot translates: the first ones of Pairs (all
	// of them if there are fewer). Default 10.
	SnapshotSamples int
}

// WithDefaults returns c with every field left at 0 set to its default (Lambda only for
// CGANAndL1).
func (c Config) WithDefaults() Config {
	if c.Lambda == 0 && c.Objective == CGANAndL1 {
		c.Lambda = DefaultLambda
	}
	if c.Width == 0 {
		c.Width = DefaultWidth
	}
	if c.DWidth == 0 {
		c.DWidth = DefaultDWidth
	}
	if c.BatchSize == 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.GOptimizer == (train.Optimizer{}) {
		c.GOptimizer = DefaultOptimizer
	}
	if c.DOptimizer == (train.Optimizer{}) {
		c.DOptimizer = DefaultOptimizer
	}
	if c.SnapshotSamples == 0 {
		c.SnapshotSamples = DefaultSnapshotSamples
	}
	return c
}

// Validate reports every impossible setting of c, naming the field.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Pairs == nil || c.Pairs.N() == 0 {
		add("Pairs (the training pairs) are required: use MakePairs or NewPairs")
	}
	switch c.Objective {
	case CGANAndL1:
		if !(c.Lambda > 0) || math.IsInf(c.Lambda, 0) {
			add("Lambda (the L1 term's weight) must be positive and finite with %v, got %g (for the ablations use Objective L1Only or CGANOnly)", c.Objective, c.Lambda)
		}
	case L1Only, CGANOnly:
		if c.Lambda != 0 {
			add("Lambda weighs the L1 term against the GAN's; with Objective %v it must be left at 0, got %g", c.Objective, c.Lambda)
		}
	default:
		add("unknown Objective %d (use CGANAndL1, L1Only or CGANOnly)", int(c.Objective))
	}
	if c.Width < 2 {
		add("Width (the U-Net's channels) must be >= 2, got %d", c.Width)
	}
	if c.DWidth < 1 {
		add("DWidth (the PatchGAN's channels) must be >= 1, got %d", c.DWidth)
	}
	if c.BatchSize < 1 {
		add("BatchSize must be >= 1, got %d", c.BatchSize)
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
		return fmt.Errorf("pix2pix: invalid config: %w", err)
	}
	return nil
}

// Record is one training iteration.
type Record struct {
	Iteration int
	// DLoss is the discriminator's loss (half the sum of the real and fake BCEs, as in the
	// paper), 0 with L1Only.
	DLoss float64
	// GAN is the generator's non-saturating GAN loss (computed with every objective, but
	// trained on only where the objective has it).
	GAN float64
	// L1 is the mean absolute difference between G's outputs and the targets, per pixel.
	L1 float64
	// DReal and DFake are D's mean outputs (sigmoid of the patch logits) on real and
	// generated pairs; 0 with L1Only.
	DReal, DFake float64
}

// Snapshot is G's translation of a fixed handful of inputs at one iteration.
type Snapshot struct {
	Iteration int
	// Inputs, Targets and Outputs are the first SnapshotSamples pairs of Config.Pairs (all
	// of them if there are fewer) and G's translations of the inputs: n images
	// [n, 28, 28, 1] each, flat, in [-1, 1]. Inputs and Targets share Pairs' memory.
	Inputs, Targets, Outputs []float32
}

// Trainer trains one pix2pix model.
type Trainer struct {
	cfg       Config
	backend   compute.Backend
	store     *model.Store
	g         i2i.UNet
	d         i2i.PatchGAN
	dStep     *model.Exec
	gStep     *model.Exec
	translate *model.Exec
	rng       *rand.Rand
	loop      train.Loop[Record, Snapshot] // history, snapshots, divergence guard, clock
}

// Seeded streams (train.Rand): all derived from Config.Seed.
const (
	streamData = iota + 1
	streamG
	streamD
)

// New validates cfg (after WithDefaults), creates the variables on backend b (nil: the
// default backend) and compiles the steps.
func New(b compute.Backend, cfg Config) (*Trainer, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if b == nil {
		var err error
		if b, err = backend.New(); err != nil {
			return nil, err
		}
	}
	t := &Trainer{cfg: cfg, backend: b, store: model.NewStore(), g: i2i.UNet{Width: cfg.Width}, d: i2i.PatchGAN{Width: cfg.DWidth},
		rng:  train.Rand(cfg.Seed, streamData),
		loop: train.Loop[Record, Snapshot]{Name: "pix2pix", Advice: "lower the learning rates (the paper's is 2e-4)"}}
	root := t.store.RootScope()
	if err := t.g.Init(root.At(scopeG), train.Rand(cfg.Seed, streamG)); err != nil {
		return nil, err
	}
	if err := t.d.Init(root.At(scopeD), train.Rand(cfg.Seed, streamD)); err != nil {
		return nil, err
	}
	if err := t.compile(); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Trainer) compile() (err error) {
	cfg := t.cfg
	dOpt, gOpt := cfg.DOptimizer.Build(dOptimizerScope), cfg.GOptimizer.Build(gOptimizerScope)
	if cfg.Objective != L1Only {
		t.dStep, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, x, y *Node) []*Node {
			return t.discriminatorStep(scope, dOpt, x, y)
		})
		if err != nil {
			return fmt.Errorf("pix2pix: discriminator step: %w", err)
		}
	}
	t.gStep, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, x, y *Node) []*Node {
		return t.generatorStep(scope, gOpt, x, y)
	})
	if err != nil {
		return fmt.Errorf("pix2pix: generator step: %w", err)
	}
	t.translate, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, x *Node) *Node {
		return t.g.Apply(scope.At(scopeG), x)
	})
	if err != nil {
		return fmt.Errorf("pix2pix: translation: %w", err)
	}
	return nil
}

// Config returns the configuration in use, defaults filled in.
func (t *Trainer) Config() Config { return t.cfg }

// Iteration is the number of iterations taken.
func (t *Trainer) Iteration() int { return t.loop.Iteration() }

// History returns one Record per iteration.
func (t *Trainer) History() []Record { return t.loop.History() }

// Snapshots returns the snapshots taken by Run, in order.
func (t *Trainer) Snapshots() []Snapshot { return t.loop.Snapshots() }

// Err is the error that stopped training (a diverged run, wrapping train.ErrDiverged),
// or nil.
func (t *Trainer) Err() error { return t.loop.Err() }

// ItersPerSecond is the measured training speed, the first iteration (which compiles)
// excluded; 0 before two iterations.
func (t *Trainer) ItersPerSecond() float64 { return t.loop.ItersPerSecond() }

// batch draws BatchSize pairs uniformly with replacement.
func (t *Trainer) batch() (x, y *tensors.Tensor) {
	n, p := t.cfg.BatchSize, t.cfg.Pairs
	const px = mnist.Pixels
	xs, ys := make([]float32, 0, n*px), make([]float32, 0, n*px)
	for range n {
		i := t.rng.IntN(p.N())
		xs = append(xs, p.Inputs[i*px:(i+1)*px]...)
		ys = append(ys, p.Targets[i*px:(i+1)*px]...)
	}
	return images(xs, n), images(ys, n)
}

// images wraps n flat images as a [n, 28, 28, 1] tensor.
func images(flat []float32, n int) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(flat, n, mnist.Side, mnist.Side, 1)
}

// Iterate runs one iteration: a discriminator step (not with L1Only) and a generator step
// on one batch of pairs. A NaN, infinite or exploded (above train.MaxLoss) loss stops
// training with an error wrapping train.ErrDiverged that Err and every later Iterate
// return.
func (t *Trainer) Iterate() error { return t.loop.Iterate(t.step) }

// step is iteration it: one batch, the compiled steps and their record.
func (t *Trainer) step(it int) (Record, error) {
	x, y := t.batch()
	rec := Record{Iteration: it}
	if t.dStep != nil {
		out, err := t.dStep.Call(x, y)
		if err != nil {
			return rec, fmt.Errorf("pix2pix: discriminator step at iteration %d: %w", it, err)
		}
		rec.DLoss, rec.DReal, rec.DFake = train.Scalar(out[0]), train.Scalar(out[1]), train.Scalar(out[2])
		if err := t.loop.Guard("the discriminator loss", rec.DLoss); err != nil {
			return rec, err
		}
	}
	out, err := t.gStep.Call(x, y)
	if err != nil {
		return rec, fmt.Errorf("pix2pix: generator step at iteration %d: %w", it, err)
	}
	rec.GAN, rec.L1 = train.Scalar(out[0]), train.Scalar(out[1])
	if t.cfg.Objective != L1Only {
		if err := t.loop.Guard("the generator's GAN loss", rec.GAN); err != nil {
			return rec, err
		}
	}
	return rec, t.loop.Guard("the L1 loss", rec.L1)
}

// Run runs n iterations. Before the first one and after each iteration listed in
// snapshotAt (0 means "before training") it takes a Snapshot, kept in Snapshots (one per
// iteration however often it is listed).
func (t *Trainer) Run(n int, snapshotAt ...int) error {
	return t.loop.Run(n, t.Iterate, t.Snapshot, snapshotAt...)
}

// Snapshot translates the inputs of the first SnapshotSamples pairs.
func (t *Trainer) Snapshot() (Snapshot, error) {
	n := min(t.cfg.SnapshotSamples, t.cfg.Pairs.N()) * mnist.Pixels
	in := t.cfg.Pairs.Inputs[:n]
	out, err := t.Translate(in)
	if err != nil {
		return Snapshot{}, err
	}
	return Snapshot{Iteration: t.loop.Iteration(), Inputs: in, Targets: t.cfg.Pairs.Targets[:n], Outputs: out}, nil
}

// Translate returns G's outputs for inputs (n images [n, 28, 28, 1], flat, in [-1, 1]).
func (t *Trainer) Translate(inputs []float32) ([]float32, error) {
	const px = mnist.Pixels
	if len(inputs) == 0 || len(inputs)%px != 0 {
		return nil, fmt.Errorf("pix2pix: Translate: %d values is not a positive whole number of 28×28 images", len(inputs))
	}
	out, err := train.Collect(len(inputs)/px, evalChunk, func(s, e int) (*tensors.Tensor, error) {
		return t.translate.Call1(images(inputs[s*px:e*px], e-s))
	})
	if err != nil {
		return nil, fmt.Errorf("pix2pix: Translate: %w", err)
	}
	return out, nil
}

// L1 is the mean absolute difference per pixel between outputs and targets, two sets of
// images of the same size.
func L1(outputs, targets []float32) (float64, error) {
	if len(outputs) != len(targets) || len(outputs) == 0 {
		return 0, fmt.Errorf("pix2pix: L1 needs two non-empty sets of the same size, got %d and %d values", len(outputs), len(targets))
	}
	s := 0.0
	for i := range outputs {
		s += math.Abs(float64(outputs[i] - targets[i]))
	}
	return s / float64(len(outputs)), nil
}
