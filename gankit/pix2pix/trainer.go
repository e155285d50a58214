package pix2pix

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/loop"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
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
	DefaultLambda       = 100 // the paper's λ
	DefaultWidth        = 16
	DefaultDWidth       = 16
	DefaultBatchSize    = 32
	DefaultLearningRate = 2e-4 // with betas (0.5, 0.999), as the paper
)

// Config describes one pix2pix training run. Fields left at 0 take their defaults.
type Config struct {
	// Pairs are the training pairs (NewPairs, MakePairs).
	Pairs *Pairs
	// Objective is CGANAndL1 (the zero value), L1Only or CGANOnly.
	Objective Objective
	// Lambda is the weight of the L1 term in CGANAndL1 (default 100, the paper's). It must
	// be positive and finite there, and is left at 0 by the other objectives.
	Lambda float64
	// Width is the U-Net's channels at 14×14 (UNet.Width). Default 16.
	Width int
	// DWidth is the PatchGAN's first channels (PatchGAN.Width). Default 16.
	DWidth int
	// BatchSize is the number of pairs per step. Default 32.
	BatchSize int
	// LearningRate is both networks' Adam learning rate, betas (0.5, 0.999). Default 2e-4.
	LearningRate float64
	// Seed fixes the initial weights and the batches.
	Seed uint64
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
	if c.LearningRate == 0 {
		c.LearningRate = DefaultLearningRate
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
	if !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 0) {
		add("LearningRate must be positive and finite, got %g", c.LearningRate)
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

// Trainer trains one pix2pix model.
type Trainer struct {
	cfg       Config
	backend   compute.Backend
	store     *model.Store
	g         UNet
	d         PatchGAN
	dStep     *model.Exec
	gStep     *model.Exec
	translate *model.Exec
	rng       *rand.Rand
	training  loop.Run // iterations, training time, the sticky error of a diverged run
	history   []Record
}

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
	t := &Trainer{cfg: cfg, backend: b, store: model.NewStore(), g: UNet{Width: cfg.Width}, d: PatchGAN{Width: cfg.DWidth},
		rng: rand.New(rand.NewPCG(cfg.Seed, 1)), training: loop.Run{Name: "pix2pix"}}
	root := t.store.RootScope()
	if err := t.g.Init(root.At("generator"), rand.New(rand.NewPCG(cfg.Seed, 2))); err != nil {
		return nil, err
	}
	if err := t.d.Init(root.At("discriminator"), rand.New(rand.NewPCG(cfg.Seed, 3))); err != nil {
		return nil, err
	}
	if err := t.compile(); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Trainer) adam(scope string) optimizer.Interface {
	return optimizer.Adam().LearningRate(t.cfg.LearningRate).Betas(0.5, 0.999).Epsilon(1e-8).Scope(scope).Done()
}

func (t *Trainer) compile() (err error) {
	cfg := t.cfg
	dOpt, gOpt := t.adam("adam_d"), t.adam("adam_g")
	if cfg.Objective != L1Only {
		t.dStep, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, x, y *Node) []*Node {
			g := x.Graph()
			fake := StopGradient(t.g.Apply(scope.At("generator"), x))
			ds := scope.At("discriminator")
			real, gen := t.d.Apply(ds, x, y), t.d.Apply(ds, x, fake)
			loss := MulScalar(losses.Discriminator(real, gen), 0.5)
			dOpt.UpdateGraph(ds, g, loss)
			return []*Node{loss, ReduceAllMean(Sigmoid(real)), ReduceAllMean(Sigmoid(gen))}
		})
		if err != nil {
			return fmt.Errorf("pix2pix: discriminator step: %w", err)
		}
	}
	t.gStep, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, x, y *Node) []*Node {
		g := x.Graph()
		gs := scope.At("generator")
		out := t.g.Apply(gs, x)
		l1 := ReduceAllMean(Abs(Sub(out, y)))
		var gan *Node
		if cfg.Objective == L1Only {
			// Reported, not trained on: D is untrained here, its scope untouched.
			gan = StopGradient(losses.NonSaturating.Graph(t.d.Apply(scope.At("discriminator"), x, out)))
		} else {
			gan = losses.NonSaturating.Graph(t.d.Apply(scope.At("discriminator"), x, out))
		}
		var loss *Node
		switch cfg.Objective {
		case CGANAndL1:
			loss = Add(gan, MulScalar(l1, cfg.Lambda))
		case L1Only:
			loss = l1
		case CGANOnly:
			loss = gan
		}
		gOpt.UpdateGraph(gs, g, loss)
		return []*Node{gan, l1}
	})
	if err != nil {
		return fmt.Errorf("pix2pix: generator step: %w", err)
	}
	t.translate, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, x *Node) *Node {
		return t.g.Apply(scope.At("generator"), x)
	})
	if err != nil {
		return fmt.Errorf("pix2pix: translation: %w", err)
	}
	return nil
}

// Config returns the configuration in use, defaults filled in.
func (t *Trainer) Config() Config { return t.cfg }

// Iteration is the number of iterations taken.
func (t *Trainer) Iteration() int { return t.training.Iteration() }

// History returns one Record per iteration.
func (t *Trainer) History() []Record { return t.history }

// Err is the error that stopped training, if any.
func (t *Trainer) Err() error { return t.training.Err() }

// ItersPerSecond is the measured training speed, the first iteration (which compiles)
// excluded; 0 before two iterations.
func (t *Trainer) ItersPerSecond() float64 { return t.training.ItersPerSecond() }

// batch draws BatchSize pairs uniformly with replacement.
func (t *Trainer) batch() (x, y *tensors.Tensor) {
	n, p := t.cfg.BatchSize, t.cfg.Pairs
	xs, ys := make([]float32, 0, n*Pixels), make([]float32, 0, n*Pixels)
	for range n {
		i := t.rng.IntN(p.N())
		xs = append(xs, p.Inputs[i*Pixels:(i+1)*Pixels]...)
		ys = append(ys, p.Targets[i*Pixels:(i+1)*Pixels]...)
	}
	return tensors.FromFlatDataAndDimensions(xs, n, Side, Side, 1), tensors.FromFlatDataAndDimensions(ys, n, Side, Side, 1)
}

// MaxLoss is the largest loss Iterate accepts as training: a GAN loss of about |logit|
// above it means the weights have blown up (Adam moves each weight by up to the learning
// rate per step, so an absurd learning rate makes them huge but can keep them finite).
const MaxLoss = 1e6

// Iterate runs one iteration: a discriminator step (not with L1Only) and a generator step
// on one batch of pairs. A NaN, infinite or exploded (above MaxLoss) loss stops training with an error that Err and
// every later Iterate return.
func (t *Trainer) Iterate() error {
	if err := t.training.Begin(); err != nil {
		return err
	}
	x, y := t.batch()
	rec := Record{Iteration: t.training.Iteration() + 1}
	if t.dStep != nil {
		out, err := t.dStep.Call(x, y)
		if err != nil {
			return t.training.Fail(fmt.Errorf("pix2pix: discriminator step at iteration %d: %w", rec.Iteration, err))
		}
		rec.DLoss, rec.DReal, rec.DFake = loop.Scalar(out[0]), loop.Scalar(out[1]), loop.Scalar(out[2])
	}
	out, err := t.gStep.Call(x, y)
	if err != nil {
		return t.training.Fail(fmt.Errorf("pix2pix: generator step at iteration %d: %w", rec.Iteration, err))
	}
	rec.GAN, rec.L1 = loop.Scalar(out[0]), loop.Scalar(out[1])
	if loop.Diverged(MaxLoss, rec.DLoss, rec.L1) || (t.cfg.Objective != L1Only && loop.Diverged(MaxLoss, rec.GAN)) {
		return t.training.Fail(fmt.Errorf("pix2pix: training diverged at iteration %d: D loss %v, GAN loss %v, L1 %v; lower the learning rate (default %g)",
			rec.Iteration, rec.DLoss, rec.GAN, rec.L1, DefaultLearningRate))
	}
	t.history = append(t.history, rec)
	t.training.End()
	return nil
}

// Run runs n iterations.
func (t *Trainer) Run(n int) error { return t.training.Repeat(n, t.Iterate, nil) }

// Translate returns G's outputs for inputs (n images [n, 28, 28, 1], flat, in [-1, 1]).
func (t *Trainer) Translate(inputs []float32) ([]float32, error) {
	if len(inputs) == 0 || len(inputs)%Pixels != 0 {
		return nil, fmt.Errorf("pix2pix: Translate: %d values is not a positive whole number of 28×28 images", len(inputs))
	}
	const chunk = 256
	out, err := loop.Collect(len(inputs)/Pixels, chunk, func(s, e int) (*tensors.Tensor, error) {
		return t.translate.Call1(tensors.FromFlatDataAndDimensions(inputs[s*Pixels:e*Pixels], e-s, Side, Side, 1))
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
