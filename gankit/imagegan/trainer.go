package imagegan

import (
	"fmt"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/loop"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/plots"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// evalChunk is the largest batch Generate runs at once.
const evalChunk = 256

// Record is the state after one iteration (one discriminator step, then one generator
// step).
type Record struct {
	// Iteration counts iterations, starting at 1.
	Iteration int
	// DLoss is the discriminator's binary cross-entropy at its step (without the InfoGAN
	// term).
	DLoss float64
	// GLoss is the generator's non-saturating loss -log D(G(z)) at its step (without the
	// InfoGAN term).
	GLoss float64
	// DReal and DFake are the mean D(x) on the real batch and mean D(G(z)) on the
	// generated batch at the discriminator's step.
	DReal, DFake float64
	// Info is InfoGAN's mutual-information loss L_I (unweighted: cross-entropy of the
	// categorical code plus ½·squared error of the continuous codes) at the generator's
	// step; 0 in the other modes.
	Info float64
}

// Codes is what the generator is given besides noise, one entry per image.
type Codes struct {
	// Labels are the classes of a Conditional GAN, each in [0, Classes).
	Labels []int
	// Categorical are InfoGAN's categorical code values, each in [0, Categorical).
	Categorical []int
	// Continuous are InfoGAN's continuous codes, Continuous values per image (flat, image
	// after image), usually in [-1, 1], the range they are trained on.
	Continuous []float32
}

// Snapshot is the generator's output on the fixed noise and codes at one iteration.
type Snapshot struct {
	Iteration int
	// Images are SnapshotSamples images [n, 28, 28, 1], flat, in [-1, 1].
	Images []float32
	// Codes are the codes they were generated with (FixedCodes).
	Codes Codes
}

// Trainer trains one image GAN: it holds the networks' variables, the compiled steps,
// the seeded random sources and the history of the run.
type Trainer struct {
	cfg     Config
	backend compute.Backend
	store   *model.Store
	nets    *networks

	dataRng, noiseRng *rand.Rand

	dStep, gStep           *model.Exec
	generate, generateBusy *model.Exec // inference mode; training mode (tests only)

	training  loop.Run // iterations, training time, the sticky error of a diverged run
	history   []Record
	snapshots []Snapshot
}

func newRand(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

// Seeded streams: all derived from Config.Seed.
const (
	streamData = iota + 1
	streamNoise
	streamG
	streamD
	streamFixed
	streamFixedCodes
)

// New applies cfg.WithDefaults, validates it, creates the networks' variables from
// cfg.Seed and prepares the training steps on b (nil means backend.New(), the default
// backend).
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
	t := &Trainer{
		cfg:      cfg,
		backend:  b,
		training: loop.Run{Name: "imagegan"},
		store:    model.NewStore(),
		nets:     newNetworks(cfg),
		dataRng:  newRand(cfg.Seed, streamData),
		noiseRng: newRand(cfg.Seed, streamNoise),
	}
	t.store.SetRNGStateFromSeed(int64(cfg.Seed))
	if err := t.nets.init(t.store.RootScope(), newRand(cfg.Seed, streamG), newRand(cfg.Seed, streamD)); err != nil {
		return nil, err
	}
	if err := t.compile(); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Trainer) adam(a Adam, scope string) optimizer.Interface {
	return optimizer.Adam().LearningRate(a.LearningRate).Betas(a.Beta1, a.Beta2).Epsilon(1e-8).Scope(scope).Done()
}

func (t *Trainer) compile() (err error) {
	n, cfg := t.nets, t.cfg
	lambda := cfg.InfoWeight
	dOpt, gOpt := t.adam(cfg.DOptimizer, "adam_d"), t.adam(cfg.GOptimizer, "adam_g")
	// D's step: real images with their conditioning (the one-hot labels; unused in the
	// other modes), G's input and the generated images' conditioning.
	t.dStep, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, real, realCond, gIn, fakeCond *Node) []*Node {
		g := real.Graph()
		scope.Store().SetTraining(g, true)
		fake := StopGradient(n.generator(scope.At(GeneratorScope), gIn))
		ds := scope.At(DiscriminatorScope)
		realLogit := n.logit(ds, n.body(ds, real, realCond))
		fakeFeat := n.body(ds, fake, fakeCond)
		fakeLogit := n.logit(ds, fakeFeat)
		bce := losses.Discriminator(realLogit, fakeLogit)
		loss, info := bce, ScalarZero(g, bce.DType())
		if cfg.Mode == InfoGAN {
			info = n.infoLoss(ds, fakeFeat, fakeCond)
			loss = Add(bce, MulScalar(info, lambda))
		}
		dOpt.UpdateGraph(ds, g, loss)
		return []*Node{bce, ReduceAllMean(Sigmoid(realLogit)), ReduceAllMean(Sigmoid(fakeLogit)), info}
	})
	if err != nil {
		return fmt.Errorf("imagegan: discriminator step: %w", err)
	}
	t.gStep, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, gIn, fakeCond *Node) []*Node {
		g := gIn.Graph()
		scope.Store().SetTraining(g, true)
		gs, ds := scope.At(GeneratorScope), scope.At(DiscriminatorScope)
		feat := n.body(ds, n.generator(gs, gIn), fakeCond)
		gan := losses.NonSaturating.Graph(n.logit(ds, feat))
		loss, info := gan, ScalarZero(g, gan.DType())
		if cfg.Mode == InfoGAN {
			info = n.infoLoss(ds, feat, fakeCond)
			loss = Add(gan, MulScalar(info, lambda))
		}
		gOpt.UpdateGraph(gs, g, loss)
		return []*Node{gan, info}
	})
	if err != nil {
		return fmt.Errorf("imagegan: generator step: %w", err)
	}
	t.generate, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, gIn *Node) *Node {
		return n.generator(scope.At(GeneratorScope), gIn)
	})
	if err != nil {
		return fmt.Errorf("imagegan: generator evaluation: %w", err)
	}
	return nil
}

// Config returns the configuration in use, defaults filled in.
func (t *Trainer) Config() Config { return t.cfg }

// Backend is the backend the trainer runs on.
func (t *Trainer) Backend() compute.Backend { return t.backend }

// Store holds the networks' variables (under GeneratorScope and DiscriminatorScope).
func (t *Trainer) Store() *model.Store { return t.store }

// Iteration is the number of completed iterations.
func (t *Trainer) Iteration() int { return t.training.Iteration() }

// History returns one Record per completed iteration.
func (t *Trainer) History() []Record { return t.history }

// Snapshots returns the snapshots taken by Run, in order.
func (t *Trainer) Snapshots() []Snapshot { return t.snapshots }

// Err is the error that stopped training (a diverged run), or nil.
func (t *Trainer) Err() error { return t.training.Err() }

// ItersPerSecond is the measured training speed: iterations per second of wall time
// spent in Iterate, leaving out the first iteration (which builds and compiles the
// graphs) and snapshots. It is 0 before the second iteration.
func (t *Trainer) ItersPerSecond() float64 { return t.training.ItersPerSecond() }

func normal(rng *rand.Rand, n int) []float32 {
	z := make([]float32, n)
	for i := range z {
		z[i] = float32(rng.NormFloat64())
	}
	return z
}

// FixedNoise returns n noise vectors (flat, n·NoiseDim values) from a stream seeded by
// Config.Seed alone: the same on every call, and FixedNoise(m) starts with FixedNoise(n)
// for m > n. Snapshots use FixedNoise(SnapshotSamples).
func (t *Trainer) FixedNoise(n int) []float32 {
	return normal(newRand(t.cfg.Seed, streamFixed), n*t.cfg.NoiseDim)
}

// FixedCodes returns the codes of the snapshots for n images: in Conditional mode the
// labels 0, 1, ..., Classes-1 repeated (so a grid of Classes columns has one class per
// column); in InfoGAN mode the categorical values repeated the same way and continuous
// codes uniform in [-1, 1] from a stream seeded by Config.Seed; nothing otherwise.
func (t *Trainer) FixedCodes(n int) Codes {
	var c Codes
	switch t.cfg.Mode {
	case Conditional:
		c.Labels = make([]int, n)
		for i := range n {
			c.Labels[i] = i % t.cfg.Classes()
		}
	case InfoGAN:
		if k := t.cfg.Categorical; k > 0 {
			c.Categorical = make([]int, n)
			for i := range n {
				c.Categorical[i] = i % k
			}
		}
		if m := t.cfg.Continuous; m > 0 {
			rng := newRand(t.cfg.Seed, streamFixedCodes)
			c.Continuous = make([]float32, n*m)
			for i := range c.Continuous {
				c.Continuous[i] = float32(2*rng.Float64() - 1)
			}
		}
	}
	return c
}

// randomCodes draws the codes of a generated batch: uniform labels, uniform categorical
// values, continuous codes uniform in [-1, 1].
func (t *Trainer) randomCodes(n int) Codes {
	var c Codes
	switch t.cfg.Mode {
	case Conditional:
		c.Labels = make([]int, n)
		for i := range c.Labels {
			c.Labels[i] = t.noiseRng.IntN(t.cfg.Classes())
		}
	case InfoGAN:
		if k := t.cfg.Categorical; k > 0 {
			c.Categorical = make([]int, n)
			for i := range c.Categorical {
				c.Categorical[i] = t.noiseRng.IntN(k)
			}
		}
		c.Continuous = make([]float32, n*t.cfg.Continuous)
		for i := range c.Continuous {
			c.Continuous[i] = float32(2*t.noiseRng.Float64() - 1)
		}
	}
	return c
}

// condVectors turns codes for n images into the conditioning vectors [n, CondDim] (flat):
// the one-hot label, or InfoGAN's one-hot categorical value followed by the continuous
// values. It checks the codes' lengths and ranges.
func (t *Trainer) condVectors(c Codes, n int) ([]float32, error) {
	cfg := t.cfg
	w := cfg.CondDim()
	out := make([]float32, n*w)
	oneHot := func(what string, vals []int, k, offset int) error {
		if len(vals) != n {
			return fmt.Errorf("%d %s for %d images", len(vals), what, n)
		}
		for i, v := range vals {
			if v < 0 || v >= k {
				return fmt.Errorf("%s[%d] = %d is outside [0, %d)", what, i, v, k)
			}
			out[i*w+offset+v] = 1
		}
		return nil
	}
	switch cfg.Mode {
	case Unconditional:
		if c.Labels != nil || c.Categorical != nil || c.Continuous != nil {
			return nil, fmt.Errorf("an unconditional GAN takes no codes")
		}
	case Conditional:
		if c.Categorical != nil || c.Continuous != nil {
			return nil, fmt.Errorf("a conditional GAN takes Labels only")
		}
		if err := oneHot("Labels", c.Labels, cfg.Classes(), 0); err != nil {
			return nil, err
		}
	case InfoGAN:
		if c.Labels != nil {
			return nil, fmt.Errorf("InfoGAN takes Categorical and Continuous codes, not Labels")
		}
		k, m := cfg.Categorical, cfg.Continuous
		if k > 0 {
			if err := oneHot("Categorical", c.Categorical, k, 0); err != nil {
				return nil, err
			}
		} else if c.Categorical != nil {
			return nil, fmt.Errorf("Categorical codes given, but Config.Categorical is 0")
		}
		if len(c.Continuous) != n*m {
			return nil, fmt.Errorf("%d Continuous values for %d images of %d codes each", len(c.Continuous), n, m)
		}
		for i := range n {
			copy(out[i*w+k:(i+1)*w], c.Continuous[i*m:(i+1)*m])
		}
	}
	return out, nil
}

// generatorInput concatenates noise rows and conditioning rows into G's input.
func (t *Trainer) generatorInput(noise, cond []float32, n int) *tensors.Tensor {
	nz, w := t.cfg.NoiseDim, t.cfg.CondDim()
	in := make([]float32, 0, n*(nz+w))
	for i := range n {
		in = append(in, noise[i*nz:(i+1)*nz]...)
		in = append(in, cond[i*w:(i+1)*w]...)
	}
	return tensors.FromFlatDataAndDimensions(in, n, nz+w)
}

// condTensor is the conditioning as the steps take it: [n, CondDim], or a [n, 1]
// placeholder the graphs ignore when there is none.
func condTensor(cond []float32, n int) *tensors.Tensor {
	if len(cond) == 0 {
		return tensors.FromFlatDataAndDimensions(make([]float32, n), n, 1)
	}
	return tensors.FromFlatDataAndDimensions(cond, n, len(cond)/n)
}

// Generate returns the generator's images for the given noise (flat, n·NoiseDim values)
// and codes (see Codes; empty for an unconditional GAN), as n images [n, 28, 28, 1],
// flat, in [-1, 1]. It runs G in inference mode: batch norm uses its running statistics,
// so each image depends on its own noise and codes only.
func (t *Trainer) Generate(noise []float32, codes Codes) ([]float32, error) {
	return t.run(t.generate, noise, codes)
}

func (t *Trainer) run(exec *model.Exec, noise []float32, codes Codes) ([]float32, error) {
	nz := t.cfg.NoiseDim
	if len(noise) == 0 || len(noise)%nz != 0 {
		return nil, fmt.Errorf("imagegan: Generate: %d noise values is not a positive whole number of %d-dimensional rows", len(noise), nz)
	}
	n := len(noise) / nz
	cond, err := t.condVectors(codes, n)
	if err != nil {
		return nil, fmt.Errorf("imagegan: Generate: %w", err)
	}
	w := t.cfg.CondDim()
	out, err := loop.Collect(n, evalChunk, func(start, end int) (*tensors.Tensor, error) {
		return exec.Call1(t.generatorInput(noise[start*nz:end*nz], cond[start*w:end*w], end-start))
	})
	if err != nil {
		return nil, fmt.Errorf("imagegan: Generate: %w", err)
	}
	return out, nil
}

// generateTraining is Generate with G in training mode (batch statistics, and it
// updates the running statistics): for tests that compare the two modes.
func (t *Trainer) generateTraining(noise []float32, codes Codes) ([]float32, error) {
	if t.generateBusy == nil {
		var err error
		t.generateBusy, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, gIn *Node) *Node {
			scope.Store().SetTraining(gIn.Graph(), true)
			return t.nets.generator(scope.At(GeneratorScope), gIn)
		})
		if err != nil {
			return nil, err
		}
	}
	return t.run(t.generateBusy, noise, codes)
}

// Snapshot generates SnapshotSamples images from FixedNoise and FixedCodes.
func (t *Trainer) Snapshot() (Snapshot, error) {
	n := t.cfg.SnapshotSamples
	codes := t.FixedCodes(n)
	imgs, err := t.Generate(t.FixedNoise(n), codes)
	if err != nil {
		return Snapshot{}, err
	}
	return Snapshot{Iteration: t.training.Iteration(), Images: imgs, Codes: codes}, nil
}

// Iterate runs one iteration: one discriminator step (and Q's, in InfoGAN mode) on a
// real batch and a generated batch, then one generator step on a fresh generated batch,
// and appends a Record to the history. A loss that is NaN, infinite or above MaxLoss
// stops training with an error that Err then keeps returning.
func (t *Trainer) Iterate() error {
	if err := t.training.Begin(); err != nil {
		return err
	}
	cfg := t.cfg
	n := cfg.BatchSize
	real, labels := cfg.Set.BatchWithLabels(t.dataRng, n)
	var realCond []float32
	if cfg.Mode == Conditional {
		ls := make([]int, n)
		for i, l := range labels {
			ls[i] = int(l)
		}
		var err error
		if realCond, err = t.condVectors(Codes{Labels: ls}, n); err != nil {
			return err
		}
	}
	gIn, fakeCond, err := t.generatedBatch(n)
	if err != nil {
		return err
	}
	out, err := t.dStep.Call(tensors.FromFlatDataAndDimensions(real, n, Side, Side, 1), condTensor(realCond, n), gIn, fakeCond)
	if err != nil {
		return t.training.Fail(fmt.Errorf("imagegan: discriminator step at iteration %d: %w", t.training.Iteration()+1, err))
	}
	rec := Record{Iteration: t.training.Iteration() + 1, DLoss: loop.Scalar(out[0]), DReal: loop.Scalar(out[1]), DFake: loop.Scalar(out[2])}
	if err := t.check("the discriminator loss", rec.DLoss, loop.Scalar(out[3])); err != nil {
		return err
	}
	if gIn, fakeCond, err = t.generatedBatch(n); err != nil {
		return err
	}
	out, err = t.gStep.Call(gIn, fakeCond)
	if err != nil {
		return t.training.Fail(fmt.Errorf("imagegan: generator step at iteration %d: %w", t.training.Iteration()+1, err))
	}
	rec.GLoss, rec.Info = loop.Scalar(out[0]), loop.Scalar(out[1])
	if err := t.check("the generator loss", rec.GLoss, rec.Info); err != nil {
		return err
	}
	t.history = append(t.history, rec)
	t.training.End()
	return nil
}

// MaxLoss is the largest loss Iterate accepts as training. The GAN losses are binary
// cross-entropies, about |logit| when D is wrong, so a loss above 1e6 means logits beyond
// ±1e6: sigmoid is exactly 0 or 1 in float32 and the weights have blown up, usually on
// the way to Inf and NaN (Adam moves each weight by up to the learning rate per step, so
// an absurd learning rate makes them huge but can stay finite for many steps).
const MaxLoss = 1e6

// check records and returns the sticky error of a non-finite or exploded loss.
func (t *Trainer) check(what string, loss, info float64) error {
	switch {
	case loop.Diverged(MaxLoss, loss):
	case loop.Diverged(MaxLoss, info):
		what = "the mutual-information loss (InfoGAN's L_I) at " + what[len("the "):]
		loss = info
	default:
		return nil
	}
	return t.training.Fail(fmt.Errorf("imagegan: training diverged at iteration %d: %s is %v (limit: finite, at most %g); "+
		"lower the learning rates (DCGAN uses 2e-4) or check the data", t.training.Iteration()+1, what, loss, float64(MaxLoss)))
}

// generatedBatch draws n noise vectors and codes: G's input and the codes' conditioning.
func (t *Trainer) generatedBatch(n int) (gIn, cond *tensors.Tensor, err error) {
	codes := t.randomCodes(n)
	c, err := t.condVectors(codes, n)
	if err != nil {
		return nil, nil, err
	}
	noise := normal(t.noiseRng, n*t.cfg.NoiseDim)
	return t.generatorInput(noise, c, n), condTensor(c, n), nil
}

// Run performs n iterations. Before the first one and after each iteration listed in
// snapshotAt (0 means "before training") it takes a Snapshot, kept in Snapshots.
func (t *Trainer) Run(n int, snapshotAt ...int) error {
	want := make(map[int]bool, len(snapshotAt))
	for _, s := range snapshotAt {
		want[s] = true
	}
	snap := func() error {
		i := t.training.Iteration()
		if !want[i] {
			return nil
		}
		if k := len(t.snapshots); k > 0 && t.snapshots[k-1].Iteration == i {
			return nil
		}
		s, err := t.Snapshot()
		if err != nil {
			return err
		}
		t.snapshots = append(t.snapshots, s)
		return nil
	}
	return t.training.Repeat(n, t.Iterate, snap)
}

// TrainerRecords converts a history to gankit/pointgan's records (iteration, losses,
// D(x), D(G(z))), so that plots.Curves draws the losses and D's outputs of an image GAN
// like those of the toy GANs. Info has no counterpart there; plot it with plots.Lines.
func TrainerRecords(h []Record) []pointgan.Record {
	out := make([]pointgan.Record, len(h))
	for i, r := range h {
		out[i] = pointgan.Record{Iteration: r.Iteration, DLoss: r.DLoss, GLoss: r.GLoss, DReal: r.DReal, DFake: r.DFake}
	}
	return out
}

// Grid draws the snapshot's images as a rows×cols figure titled with its iteration
// (plots.ImageGrid): grids of several snapshots have one size, so plots.GIF animates them.
func (s Snapshot) Grid(rows, cols int) (*plots.Figure, error) {
	return plots.ImageGrid(fmt.Sprintf("iteration %d", s.Iteration), s.Images, Side, Side, rows, cols)
}
