package cyclegan

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

// Defaults filled in by Config.WithDefaults for fields left at 0.
const (
	DefaultLambda          = 10 // the paper's cycle weight
	DefaultWidth           = 16
	DefaultDWidth          = 16
	DefaultBatchSize       = 16
	DefaultSnapshotSamples = 10
)

// DefaultOptimizer is the paper's optimizer, all four networks': Adam with learning rate
// 2e-4 and betas (0.5, 0.999).
var DefaultOptimizer = train.Adam(2e-4, 0.5, 0.999)

// Config describes one CycleGAN training run. Fields left at 0 take their defaults.
type Config struct {
	// Domains are the two unpaired training sets (NewDomains, ThinThick).
	Domains *Domains
	// Lambda weighs the cycle-consistency loss against the GAN losses. Default 10.
	Lambda float64
	// Identity weighs the identity loss, as a fraction of Lambda: G_AB(b) should be b and
	// G_BA(a) should be a. 0 (the default) for none; the paper used 0.5 for some tasks.
	Identity float64
	// Width is each generator's U-Net width (i2i.UNet). Default 16.
	Width int
	// DWidth is each discriminator's PatchGAN width. Default 16.
	DWidth int
	// BatchSize is the number of images of each domain per step. Default 16.
	BatchSize int
	// GOptimizer is the optimizer of each generator, DOptimizer of each discriminator; the
	// zero value means DefaultOptimizer.
	GOptimizer, DOptimizer train.Optimizer
	// Seed fixes the initial weights and the batches.
	Seed uint64
	// SnapshotSamples is how many images of each domain a Snapshot translates: the first
	// ones (all of them if there are fewer). Default 10.
	SnapshotSamples int
}

// WithDefaults returns c with every field left at 0 set to its default (Identity stays 0).
func (c Config) WithDefaults() Config {
	if c.Lambda == 0 {
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
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if c.Domains == nil {
		add("Domains (the two unpaired sets) are required: use ThinThick or NewDomains")
	}
	if !(c.Lambda > 0) || !finite(c.Lambda) {
		add("Lambda (the cycle loss's weight) must be positive and finite, got %g: without the cycle loss nothing ties a translation to its input", c.Lambda)
	}
	if !(c.Identity >= 0) || !finite(c.Identity) {
		add("Identity (the identity loss's weight, a fraction of Lambda) must be >= 0 and finite, got %g", c.Identity)
	}
	if c.Width < 2 {
		add("Width (the U-Nets' channels) must be >= 2, got %d", c.Width)
	}
	if c.DWidth < 1 {
		add("DWidth (the PatchGANs' channels) must be >= 1, got %d", c.DWidth)
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
		return fmt.Errorf("cyclegan: invalid config: %w", err)
	}
	return nil
}

// Record is one training iteration.
type Record struct {
	Iteration int
	// DA and DB are the discriminators' least-squares losses.
	DA, DB float64
	// GAN is the generators' adversarial loss, both directions summed.
	GAN float64
	// Cycle is the unweighted cycle-consistency loss: mean |G_BA(G_AB(a)) − a| plus mean
	// |G_AB(G_BA(b)) − b|, per pixel.
	Cycle float64
	// Identity is the unweighted identity loss: mean |G_AB(b) − b| + mean |G_BA(a) − a|.
	Identity float64
}

// Direction names a generator.
type Direction int

const (
	// AToB is G_AB, which translates A's images into B's domain.
	AToB Direction = iota
	// BToA is G_BA.
	BToA
)

// Snapshot is both generators' translations of a fixed handful of images at one
// iteration.
type Snapshot struct {
	Iteration int
	// A and B are the first SnapshotSamples images of each domain (all of them if there are
	// fewer), sharing Domains' memory; AToB are G_AB's translations of A, BToA G_BA's of
	// B. Each is n images [n, 28, 28, 1], flat, in [-1, 1].
	A, B, AToB, BToA []float32
}

// Trainer trains one CycleGAN.
type Trainer struct {
	cfg       Config
	backend   compute.Backend
	store     *model.Store
	g         i2i.UNet
	d         i2i.PatchGAN
	dStep     *model.Exec
	gStep     *model.Exec
	translate [2]*model.Exec
	rngA      *rand.Rand
	rngB      *rand.Rand
	loop      train.Loop[Record, Snapshot] // history, snapshots, divergence guard, clock
}

// Seeded streams (train.Rand): all derived from Config.Seed.
const (
	streamA = 1
	streamB = 2
	streamG = 10 // G_AB's, then G_BA's
	streamD = 20 // D_A's, then D_B's
)

// New validates cfg (after WithDefaults), creates the four networks on backend b (nil:
// the default backend) and compiles the steps.
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
	t := &Trainer{cfg: cfg, backend: b, store: model.NewStore(),
		g: i2i.UNet{Width: cfg.Width}, d: i2i.PatchGAN{Width: cfg.DWidth, In: 1},
		rngA: train.Rand(cfg.Seed, streamA), rngB: train.Rand(cfg.Seed, streamB),
		loop: train.Loop[Record, Snapshot]{Name: "cyclegan", Advice: "lower the learning rates (the paper's is 2e-4)"}}
	root := t.store.RootScope()
	for i, s := range []string{scopeGAB, scopeGBA} {
		if err := t.g.Init(root.At("%s", s), train.Rand(cfg.Seed, uint64(streamG+i))); err != nil {
			return nil, err
		}
	}
	for i, s := range []string{scopeDA, scopeDB} {
		if err := t.d.Init(root.At("%s", s), train.Rand(cfg.Seed, uint64(streamD+i))); err != nil {
			return nil, err
		}
	}
	if err := t.compile(); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Trainer) compile() (err error) {
	cfg := t.cfg
	dOptA, dOptB := cfg.DOptimizer.Build(optScopeDA), cfg.DOptimizer.Build(optScopeDB)
	gOptAB, gOptBA := cfg.GOptimizer.Build(optScopeGAB), cfg.GOptimizer.Build(optScopeGBA)
	t.dStep, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, a, b *Node) []*Node {
		return t.discriminatorStep(scope, dOptA, dOptB, a, b)
	})
	if err != nil {
		return fmt.Errorf("cyclegan: discriminator step: %w", err)
	}
	t.gStep, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, a, b *Node) []*Node {
		return t.generatorStep(scope, gOptAB, gOptBA, a, b)
	})
	if err != nil {
		return fmt.Errorf("cyclegan: generator step: %w", err)
	}
	for i, s := range []string{scopeGAB, scopeGBA} {
		t.translate[i], err = model.NewExec(t.backend, t.store, func(scope *model.Scope, x *Node) *Node {
			return t.g.Apply(scope.At("%s", s), x)
		})
		if err != nil {
			return fmt.Errorf("cyclegan: translation: %w", err)
		}
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

// draw picks n of images uniformly with replacement, as a [n, 28, 28, 1] tensor.
func draw(rng *rand.Rand, images []float32, n int) *tensors.Tensor {
	const px = mnist.Pixels
	total := len(images) / px
	out := make([]float32, 0, n*px)
	for range n {
		i := rng.IntN(total)
		out = append(out, images[i*px:(i+1)*px]...)
	}
	return tensors.FromFlatDataAndDimensions(out, n, mnist.Side, mnist.Side, 1)
}

// Iterate runs one iteration: both discriminators' step, then both generators' step, each
// on a batch of A and an independent batch of B. A NaN, infinite or exploded (above
// train.MaxLoss) loss stops training with an error wrapping train.ErrDiverged that Err
// and every later Iterate return.
func (t *Trainer) Iterate() error { return t.loop.Iterate(t.step) }

// step is iteration it: the batches, the two compiled steps and their record.
func (t *Trainer) step(it int) (Record, error) {
	n, d := t.cfg.BatchSize, t.cfg.Domains
	rec := Record{Iteration: it}
	out, err := t.dStep.Call(draw(t.rngA, d.A, n), draw(t.rngB, d.B, n))
	if err != nil {
		return rec, fmt.Errorf("cyclegan: discriminator step at iteration %d: %w", it, err)
	}
	rec.DA, rec.DB = train.Scalar(out[0]), train.Scalar(out[1])
	if err := t.guard([]string{"D_A's loss", "D_B's loss"}, rec.DA, rec.DB); err != nil {
		return rec, err
	}
	out, err = t.gStep.Call(draw(t.rngA, d.A, n), draw(t.rngB, d.B, n))
	if err != nil {
		return rec, fmt.Errorf("cyclegan: generator step at iteration %d: %w", it, err)
	}
	rec.GAN, rec.Cycle, rec.Identity = train.Scalar(out[0]), train.Scalar(out[1]), train.Scalar(out[2])
	return rec, t.guard([]string{"the generators' GAN loss", "the cycle loss", "the identity loss"}, rec.GAN, rec.Cycle, rec.Identity)
}

// guard checks the losses of one step in order, losses[i] named by what[i].
func (t *Trainer) guard(what []string, losses ...float64) error {
	for i, l := range losses {
		if err := t.loop.Guard(what[i], l); err != nil {
			return err
		}
	}
	return nil
}

// Run runs n iterations. Before the first one and after each iteration listed in
// snapshotAt (0 means "before training") it takes a Snapshot, kept in Snapshots (one per
// iteration however often it is listed).
func (t *Trainer) Run(n int, snapshotAt ...int) error {
	return t.loop.Run(n, t.Iterate, t.Snapshot, snapshotAt...)
}

// Snapshot translates the first SnapshotSamples images of each domain into the other.
func (t *Trainer) Snapshot() (Snapshot, error) {
	d, k := t.cfg.Domains, t.cfg.SnapshotSamples
	s := Snapshot{Iteration: t.loop.Iteration(), A: d.A[:min(k, d.NA())*mnist.Pixels], B: d.B[:min(k, d.NB())*mnist.Pixels]}
	var err error
	if s.AToB, err = t.Translate(AToB, s.A); err != nil {
		return Snapshot{}, err
	}
	if s.BToA, err = t.Translate(BToA, s.B); err != nil {
		return Snapshot{}, err
	}
	return s, nil
}

// Translate returns the translations of images (flat [n, 28, 28, 1], in [-1, 1]) by the
// generator of direction dir.
func (t *Trainer) Translate(dir Direction, images []float32) ([]float32, error) {
	if dir != AToB && dir != BToA {
		return nil, fmt.Errorf("cyclegan: Translate: unknown direction %d (use AToB or BToA)", int(dir))
	}
	const px = mnist.Pixels
	if len(images) == 0 || len(images)%px != 0 {
		return nil, fmt.Errorf("cyclegan: Translate: %d values is not a positive whole number of 28×28 images", len(images))
	}
	out, err := train.Collect(len(images)/px, evalChunk, func(s, e int) (*tensors.Tensor, error) {
		return t.translate[dir].Call1(tensors.FromFlatDataAndDimensions(images[s*px:e*px], e-s, mnist.Side, mnist.Side, 1))
	})
	if err != nil {
		return nil, fmt.Errorf("cyclegan: Translate: %w", err)
	}
	return out, nil
}

// Cycle translates images by dir and back: the reconstructions the cycle loss compares
// with the images.
func (t *Trainer) Cycle(dir Direction, images []float32) (translated, reconstructed []float32, err error) {
	if translated, err = t.Translate(dir, images); err != nil {
		return nil, nil, err
	}
	reconstructed, err = t.Translate(1-dir, translated)
	return translated, reconstructed, err
}
