package imagegan

import (
	"fmt"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
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
// the seeded random sources, and the run's bookkeeping (a train.Loop).
type Trainer struct {
	cfg     Config
	backend compute.Backend
	store   *model.Store
	nets    *networks

	dataRng, noiseRng *rand.Rand

	dStep, gStep           *model.Exec
	generate, generateBusy *model.Exec // inference mode; training mode (tests only)

	loop train.Loop[Record, Snapshot] // history, snapshots, divergence guard, clock
}

// Seeded streams (train.Rand): all derived from Config.Seed.
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
		loop:     train.Loop[Record, Snapshot]{Name: "imagegan", Advice: "lower the learning rates (DCGAN uses 2e-4) or check the data"},
		store:    model.NewStore(),
		nets:     newNetworks(cfg),
		dataRng:  train.Rand(cfg.Seed, streamData),
		noiseRng: train.Rand(cfg.Seed, streamNoise),
	}
	t.store.SetRNGStateFromSeed(int64(cfg.Seed))
	if err := t.nets.init(t.store.RootScope(), train.Rand(cfg.Seed, streamG), train.Rand(cfg.Seed, streamD)); err != nil {
		return nil, err
	}
	if err := t.compile(); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Trainer) compile() (err error) {
	n, cfg := t.nets, t.cfg
	dOpt, gOpt := cfg.DOptimizer.Build(dOptimizerScope), cfg.GOptimizer.Build(gOptimizerScope)
	t.dStep, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, real, realCond, gIn, fakeCond *Node) []*Node {
		return n.discriminatorStep(scope, dOpt, real, realCond, gIn, fakeCond)
	})
	if err != nil {
		return fmt.Errorf("imagegan: discriminator step: %w", err)
	}
	t.gStep, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, gIn, fakeCond *Node) []*Node {
		return n.generatorStep(scope, gOpt, gIn, fakeCond)
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
func (t *Trainer) Iteration() int { return t.loop.Iteration() }

// History returns one Record per completed iteration.
func (t *Trainer) History() History { return History(t.loop.History()) }

// History is a training history, one Record per iteration. Its Len and Losses methods
// are those of gankit/plots' LossHistory, so plots.Curves draws it as it is.
type History []Record

// Len is the number of records.
func (h History) Len() int { return len(h) }

// Losses returns record i's iteration, losses and mean discriminator outputs (not Info:
// plot that with plots.Lines).
func (h History) Losses(i int) (iteration int, dLoss, gLoss, dReal, dFake float64) {
	r := h[i]
	return r.Iteration, r.DLoss, r.GLoss, r.DReal, r.DFake
}

// Snapshots returns the snapshots taken by Run, in order.
func (t *Trainer) Snapshots() []Snapshot { return t.loop.Snapshots() }

// Err is the error that stopped training (a diverged run, wrapping train.ErrDiverged),
// or nil.
func (t *Trainer) Err() error { return t.loop.Err() }

// ItersPerSecond is the measured training speed: iterations per second of wall time
// spent in Iterate, leaving out the first iteration (which builds and compiles the
// graphs) and snapshots. It is 0 before the second iteration.
func (t *Trainer) ItersPerSecond() float64 { return t.loop.ItersPerSecond() }

// FixedNoise returns n noise vectors (flat, n·NoiseDim values) from a stream seeded by
// Config.Seed alone: the same on every call, and FixedNoise(m) starts with FixedNoise(n)
// for m > n. Snapshots use FixedNoise(SnapshotSamples).
func (t *Trainer) FixedNoise(n int) []float32 {
	return train.Normal(train.Rand(t.cfg.Seed, streamFixed), n*t.cfg.NoiseDim)
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
			rng := train.Rand(t.cfg.Seed, streamFixedCodes)
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
	out, err := train.Collect(n, evalChunk, func(start, end int) (*tensors.Tensor, error) {
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
	return Snapshot{Iteration: t.loop.Iteration(), Images: imgs, Codes: codes}, nil
}

// Iterate runs one iteration: one discriminator step (and Q's, in InfoGAN mode) on a
// real batch and a generated batch, then one generator step on a fresh generated batch,
// and appends a Record to the history. A loss that is NaN, infinite or above
// train.MaxLoss stops training with an error wrapping train.ErrDiverged that Err and
// every later Iterate return.
func (t *Trainer) Iterate() error { return t.loop.Iterate(t.step) }

// step is iteration it: the batches, the two compiled steps and their record.
func (t *Trainer) step(it int) (Record, error) {
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
			return Record{}, err
		}
	}
	gIn, fakeCond, err := t.generatedBatch(n)
	if err != nil {
		return Record{}, err
	}
	out, err := t.dStep.Call(tensors.FromFlatDataAndDimensions(real, n, mnist.Side, mnist.Side, 1), condTensor(realCond, n), gIn, fakeCond)
	if err != nil {
		return Record{}, fmt.Errorf("imagegan: discriminator step at iteration %d: %w", it, err)
	}
	rec := Record{Iteration: it, DLoss: train.Scalar(out[0]), DReal: train.Scalar(out[1]), DFake: train.Scalar(out[2])}
	if err := t.guard("discriminator", rec.DLoss, train.Scalar(out[3])); err != nil {
		return rec, err
	}
	if gIn, fakeCond, err = t.generatedBatch(n); err != nil {
		return rec, err
	}
	out, err = t.gStep.Call(gIn, fakeCond)
	if err != nil {
		return rec, fmt.Errorf("imagegan: generator step at iteration %d: %w", it, err)
	}
	rec.GLoss, rec.Info = train.Scalar(out[0]), train.Scalar(out[1])
	return rec, t.guard("generator", rec.GLoss, rec.Info)
}

// guard checks the GAN loss and InfoGAN's L_I (0 in the other modes) of the network's
// step.
func (t *Trainer) guard(network string, loss, info float64) error {
	if err := t.loop.Guard("the "+network+" loss", loss); err != nil {
		return err
	}
	return t.loop.Guard("the mutual-information loss (InfoGAN's L_I) at the "+network+" step", info)
}

// generatedBatch draws n noise vectors and codes: G's input and the codes' conditioning.
func (t *Trainer) generatedBatch(n int) (gIn, cond *tensors.Tensor, err error) {
	codes := t.randomCodes(n)
	c, err := t.condVectors(codes, n)
	if err != nil {
		return nil, nil, err
	}
	noise := train.Normal(t.noiseRng, n*t.cfg.NoiseDim)
	return t.generatorInput(noise, c, n), condTensor(c, n), nil
}

// Run performs n iterations. Before the first one and after each iteration listed in
// snapshotAt (0 means "before training") it takes a Snapshot, kept in Snapshots (one per
// iteration however often it is listed).
func (t *Trainer) Run(n int, snapshotAt ...int) error {
	return t.loop.Run(n, t.Iterate, t.Snapshot, snapshotAt...)
}
