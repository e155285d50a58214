package cyclegan

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/loop"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/pix2pix"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Defaults filled in by Config.WithDefaults for fields left at 0.
const (
	DefaultLambda       = 10 // the paper's cycle weight
	DefaultWidth        = 16
	DefaultDWidth       = 16
	DefaultBatchSize    = 16
	DefaultLearningRate = 2e-4 // betas (0.5, 0.999), as the paper
)

// Config describes one CycleGAN training run. Fields left at 0 take their defaults.
type Config struct {
	// Domains are the two unpaired training sets (NewDomains, ThinThick).
	Domains *Domains
	// Lambda weighs the cycle-consistency loss against the GAN losses. Default 10.
	Lambda float64
	// Identity weighs the identity loss, as a fraction of Lambda: G_AB(b) should be b and
	// G_BA(a) should be a. 0 (the default) for none; the paper used 0.5 for some tasks.
	Identity float64
	// Width is each generator's U-Net width (pix2pix.UNet). Default 16.
	Width int
	// DWidth is each discriminator's PatchGAN width. Default 16.
	DWidth int
	// BatchSize is the number of images of each domain per step. Default 16.
	BatchSize int
	// LearningRate is Adam's for all four networks, betas (0.5, 0.999). Default 2e-4.
	LearningRate float64
	// Seed fixes the initial weights and the batches.
	Seed uint64
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
	if c.LearningRate == 0 {
		c.LearningRate = DefaultLearningRate
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
	if !(c.LearningRate > 0) || !finite(c.LearningRate) {
		add("LearningRate must be positive and finite, got %g", c.LearningRate)
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

// Scope names of the four networks.
const (
	scopeGAB = "g_ab"
	scopeGBA = "g_ba"
	scopeDA  = "d_a"
	scopeDB  = "d_b"
)

// Trainer trains one CycleGAN.
type Trainer struct {
	cfg       Config
	backend   compute.Backend
	store     *model.Store
	g         pix2pix.UNet
	d         pix2pix.PatchGAN
	dStep     *model.Exec
	gStep     *model.Exec
	translate [2]*model.Exec
	rngA      *rand.Rand
	rngB      *rand.Rand
	training  loop.Run // iterations, training time, the sticky error of a diverged run
	history   []Record
}

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
		g: pix2pix.UNet{Width: cfg.Width}, d: pix2pix.PatchGAN{Width: cfg.DWidth, In: 1},
		rngA: rand.New(rand.NewPCG(cfg.Seed, 1)), rngB: rand.New(rand.NewPCG(cfg.Seed, 2)), training: loop.Run{Name: "cyclegan"}}
	root := t.store.RootScope()
	for i, s := range []string{scopeGAB, scopeGBA} {
		if err := t.g.Init(root.At("%s", s), rand.New(rand.NewPCG(cfg.Seed, uint64(10+i)))); err != nil {
			return nil, err
		}
	}
	for i, s := range []string{scopeDA, scopeDB} {
		if err := t.d.Init(root.At("%s", s), rand.New(rand.NewPCG(cfg.Seed, uint64(20+i)))); err != nil {
			return nil, err
		}
	}
	if err := t.compile(); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Trainer) adam(scope string) optimizer.Interface {
	return optimizer.Adam().LearningRate(t.cfg.LearningRate).Betas(0.5, 0.999).Epsilon(1e-8).Scope(scope).Done()
}

func l1(a, b *Node) *Node { return ReduceAllMean(Abs(Sub(a, b))) }

func (t *Trainer) compile() (err error) {
	cfg := t.cfg
	ls := losses.LeastSquares
	dOptA, dOptB := t.adam("adam_da"), t.adam("adam_db")
	gOptAB, gOptBA := t.adam("adam_gab"), t.adam("adam_gba")
	t.dStep, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, a, b *Node) []*Node {
		g := a.Graph()
		fakeB := StopGradient(t.g.Apply(scope.At(scopeGAB), a))
		fakeA := StopGradient(t.g.Apply(scope.At(scopeGBA), b))
		da, db := scope.At(scopeDA), scope.At(scopeDB)
		lossA := ls.DiscriminatorLoss(t.d.Apply(da, a), t.d.Apply(da, fakeA))
		lossB := ls.DiscriminatorLoss(t.d.Apply(db, b), t.d.Apply(db, fakeB))
		dOptA.UpdateGraph(da, g, lossA)
		dOptB.UpdateGraph(db, g, lossB)
		return []*Node{lossA, lossB}
	})
	if err != nil {
		return fmt.Errorf("cyclegan: discriminator step: %w", err)
	}
	t.gStep, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, a, b *Node) []*Node {
		g := a.Graph()
		gab, gba := scope.At(scopeGAB), scope.At(scopeGBA)
		fakeB, fakeA := t.g.Apply(gab, a), t.g.Apply(gba, b)
		gan := Add(ReduceAllMean(ls.GeneratorElementwise(t.d.Apply(scope.At(scopeDB), fakeB), losses.NonSaturating)),
			ReduceAllMean(ls.GeneratorElementwise(t.d.Apply(scope.At(scopeDA), fakeA), losses.NonSaturating)))
		cycle := Add(l1(t.g.Apply(gba, fakeB), a), l1(t.g.Apply(gab, fakeA), b))
		loss := Add(gan, MulScalar(cycle, cfg.Lambda))
		identity := ScalarZero(g, gan.DType())
		if cfg.Identity > 0 {
			identity = Add(l1(t.g.Apply(gab, b), b), l1(t.g.Apply(gba, a), a))
			loss = Add(loss, MulScalar(identity, cfg.Lambda*cfg.Identity))
		}
		gOptAB.UpdateGraph(gab, g, loss)
		gOptBA.UpdateGraph(gba, g, loss)
		return []*Node{gan, cycle, identity}
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
func (t *Trainer) Iteration() int { return t.training.Iteration() }

// History returns one Record per iteration.
func (t *Trainer) History() []Record { return t.history }

// Err is the error that stopped training, if any.
func (t *Trainer) Err() error { return t.training.Err() }

// ItersPerSecond is the measured training speed, the first iteration (which compiles)
// excluded; 0 before two iterations.
func (t *Trainer) ItersPerSecond() float64 { return t.training.ItersPerSecond() }

func draw(rng *rand.Rand, images []float32, n int) *tensors.Tensor {
	total := len(images) / Pixels
	out := make([]float32, 0, n*Pixels)
	for range n {
		i := rng.IntN(total)
		out = append(out, images[i*Pixels:(i+1)*Pixels]...)
	}
	return tensors.FromFlatDataAndDimensions(out, n, Side, Side, 1)
}

// MaxLoss is the largest loss Iterate accepts as training (see pix2pix.MaxLoss).
const MaxLoss = 1e6

// Iterate runs one iteration: both discriminators' step, then both generators' step, each
// on a batch of A and an independent batch of B. A NaN, infinite or exploded loss stops
// training with an error that Err and every later Iterate return.
func (t *Trainer) Iterate() error {
	if err := t.training.Begin(); err != nil {
		return err
	}
	n, d := t.cfg.BatchSize, t.cfg.Domains
	rec := Record{Iteration: t.training.Iteration() + 1}
	out, err := t.dStep.Call(draw(t.rngA, d.A, n), draw(t.rngB, d.B, n))
	if err != nil {
		return t.training.Fail(fmt.Errorf("cyclegan: discriminator step at iteration %d: %w", rec.Iteration, err))
	}
	rec.DA, rec.DB = loop.Scalar(out[0]), loop.Scalar(out[1])
	out, err = t.gStep.Call(draw(t.rngA, d.A, n), draw(t.rngB, d.B, n))
	if err != nil {
		return t.training.Fail(fmt.Errorf("cyclegan: generator step at iteration %d: %w", rec.Iteration, err))
	}
	rec.GAN, rec.Cycle, rec.Identity = loop.Scalar(out[0]), loop.Scalar(out[1]), loop.Scalar(out[2])
	if loop.Diverged(MaxLoss, rec.DA, rec.DB, rec.GAN, rec.Cycle, rec.Identity) {
		return t.training.Fail(fmt.Errorf("cyclegan: training diverged at iteration %d: %+v; lower the learning rate (default %g)", rec.Iteration, rec, DefaultLearningRate))
	}
	t.history = append(t.history, rec)
	t.training.End()
	return nil
}

// Run runs n iterations.
func (t *Trainer) Run(n int) error { return t.training.Repeat(n, t.Iterate, nil) }

// Translate returns the translations of images (flat [n, 28, 28, 1], in [-1, 1]) by the
// generator of direction dir.
func (t *Trainer) Translate(dir Direction, images []float32) ([]float32, error) {
	if dir != AToB && dir != BToA {
		return nil, fmt.Errorf("cyclegan: Translate: unknown direction %d (use AToB or BToA)", int(dir))
	}
	if len(images) == 0 || len(images)%Pixels != 0 {
		return nil, fmt.Errorf("cyclegan: Translate: %d values is not a positive whole number of 28×28 images", len(images))
	}
	const chunk = 256
	out, err := loop.Collect(len(images)/Pixels, chunk, func(s, e int) (*tensors.Tensor, error) {
		return t.translate[dir].Call1(tensors.FromFlatDataAndDimensions(images[s*Pixels:e*Pixels], e-s, Side, Side, 1))
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
