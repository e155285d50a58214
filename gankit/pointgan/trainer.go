package pointgan

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// advice ends the error of a diverged run.
const advice = "lower the learning rate or check the data"

// Scope names of the two networks inside the Trainer's model.Store.
const (
	GeneratorScope     = "generator"
	DiscriminatorScope = "discriminator"
)

// evalBatch is the fixed batch size of the evaluation graphs (generate, discriminate):
// larger requests are split and the last chunk padded, so each compiles exactly once.
const evalBatch = 1024

// Record is the state after one iteration (k discriminator steps and one generator step).
type Record struct {
	// Iteration counts generator steps, starting at 1.
	Iteration int
	// DLoss is the discriminator's BCE at its last step of the iteration.
	DLoss float64
	// GLoss is the generator's loss (the one it was trained with).
	GLoss float64
	// DReal is the mean D(x) on real samples at the last discriminator step.
	DReal float64
	// DFake is the mean D(G(z)) on generated samples at the last discriminator step.
	DFake float64
}

// DStats is what one discriminator step reports.
type DStats struct {
	Loss, DReal, DFake float64
}

// Trainer holds the networks' variables, the compiled step graphs, the seeded random
// sources and the history of one run.
type Trainer struct {
	cfg     Config
	backend compute.Backend
	store   *model.Store

	dataRng, noiseRng *rand.Rand
	sampleRng         *rand.Rand // Sample's noise: separate, so sampling never perturbs training
	epsRng            *rand.Rand // WGAN-GP's interpolation weights
	stab              stabiliserState
	unrollReal        *tensors.Tensor
	fixedNoise        []float32 // noise for snapshots: the same z's every time

	dOpt, gOpt                                       optimizer.Interface
	dStep, gStep, generate, discriminate, sampleGrad *model.Exec
	gradNorm                                         map[losses.Generator]*model.Exec
	builds                                           map[string]int

	// loop counts the iterations (generator steps), keeps the history and the
	// snapshots, and holds the sticky error of a diverged run.
	loop        train.Loop[Record, Snapshot]
	totalDSteps int
}

// New validates cfg, creates the networks' variables from cfg.Seed and prepares the step
// graphs on b (nil means backend.New(), the default backend).
func New(b compute.Backend, cfg Config) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.SnapshotSamples == 0 {
		cfg.SnapshotSamples = 1000
	}
	if cfg.GridSize == 0 {
		cfg.GridSize = 200
		if cfg.Target.Dim() == 2 {
			cfg.GridSize = 60
		}
	}
	if b == nil {
		var err error
		if b, err = backend.New(); err != nil {
			return nil, err
		}
	}
	t := &Trainer{
		cfg:       cfg,
		backend:   b,
		store:     model.NewStore(),
		dataRng:   target.NewRand(cfg.Seed),
		noiseRng:  target.NewRand(cfg.Seed + 1),
		sampleRng: target.NewRand(cfg.Seed + 6),
		epsRng:    target.NewRand(cfg.Seed + 5),
		stab:      newStabiliserState(cfg.Seed),
		builds:    map[string]int{},
		gradNorm:  map[losses.Generator]*model.Exec{},
		// The toy losses have no natural scale: any finite loss is accepted.
		loop: train.Loop[Record, Snapshot]{Name: "pointgan", MaxLoss: math.Inf(1), Advice: advice},
	}
	root := t.store.RootScope()
	if err := cfg.Discriminator.Init(root.At(DiscriminatorScope), target.NewRand(cfg.Seed+2)); err != nil {
		return nil, fmt.Errorf("pointgan: discriminator: %w", err)
	}
	if cfg.Fake == nil {
		if err := cfg.Generator.Init(root.At(GeneratorScope), target.NewRand(cfg.Seed+3)); err != nil {
			return nil, fmt.Errorf("pointgan: generator: %w", err)
		}
		t.fixedNoise = train.Normal(target.NewRand(cfg.Seed+4), cfg.SnapshotSamples*cfg.Generator.InDim())
	}
	if err := t.initStabilisers(); err != nil {
		return nil, err
	}
	if err := t.compile(); err != nil {
		return nil, err
	}
	return t, nil
}

// counted wraps a graph-building function name so that Builds can report how many times
// each graph was constructed.
func (t *Trainer) counted(name string) { t.builds[name]++ }

// compile creates the executors. GoMLX compiles each graph on its first call; since every
// call has the same shapes, it is built once and reused.
func (t *Trainer) compile() (err error) {
	cfg := t.cfg
	t.dOpt = cfg.DOptimizer.Build("adam_d")
	if t.dStep, err = model.NewExec(t.backend, t.store, t.discriminatorStep); err != nil {
		return fmt.Errorf("pointgan: discriminator step: %w", err)
	}
	t.discriminate, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, x *Node) *Node {
		t.counted("discriminate")
		return t.pointwise(scope, x)
	})
	if err != nil {
		return fmt.Errorf("pointgan: discriminator evaluation: %w", err)
	}
	if cfg.Fake != nil {
		return nil
	}
	t.gOpt = cfg.GOptimizer.Build("adam_g")
	if t.gStep, err = model.NewExec(t.backend, t.store, t.generatorStep); err != nil {
		return fmt.Errorf("pointgan: generator step: %w", err)
	}
	t.generate, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, noise *Node) *Node {
		t.counted("generate")
		if cfg.EMA > 0 {
			return t.emaGenerator(scope, noise)
		}
		return cfg.Generator.Apply(scope.At(GeneratorScope), noise)
	})
	if err != nil {
		return fmt.Errorf("pointgan: generator evaluation: %w", err)
	}
	return nil
}

// discriminatorStep is the graph of one discriminator step: from a batch of real samples,
// the generator's noise (with a fixed Fake, samples of p_g) and WGAN-GP's interpolation
// weights eps to D's loss, with D's optimizer update (and weight clipping) applied. It
// also returns the mean D(x) and D(G(z)) of the batch. The stabilisers' inputs are D's
// targets (labels), its dropout masks and the instance noise for the real samples and
// then the generated ones (jitter); each is a [1, 1] placeholder when its option is off.
func (t *Trainer) discriminatorStep(scope *model.Scope, real, noise, eps, labels, masks, jitter *Node) (loss, dReal, dFake *Node) {
	t.counted("d_step")
	cfg := t.cfg
	fake := noise // With a fixed Fake distribution the "noise" input already holds p_g samples.
	if cfg.Fake == nil {
		fake = StopGradient(cfg.Generator.Apply(scope.At(GeneratorScope), noise))
	}
	if cfg.InstanceNoise > 0 {
		n := real.Shape().Dim(0)
		real = Add(real, Slice(jitter, AxisRange(0, n)))
		fake = Add(fake, Slice(jitter, AxisRange(n, 2*n)))
	}
	critic := func(x *Node) *Node { return t.critic(scope, x) }
	realCritic, fakeCritic := critic, critic
	if cfg.functionalD() {
		params := t.dParams(scope, real.Graph(), true)
		var realMask, fakeMask *Node
		if cfg.Dropout > 0 {
			n := cfg.BatchSize
			realMask, fakeMask = Slice(masks, AxisRange(0, n)), Slice(masks, AxisRange(n, 2*n))
		}
		realCritic = func(x *Node) *Node { return t.dApply(params, x, realMask) }
		fakeCritic = func(x *Node) *Node { return t.dApply(params, x, fakeMask) }
		critic = realCritic
	}
	realOut, fakeOut := realCritic(real), fakeCritic(fake)
	if cfg.softTargets() {
		loss = TargetBCE(realOut, fakeOut, labels)
	} else {
		loss = cfg.Loss.DiscriminatorLoss(realOut, fakeOut)
	}
	if cfg.GradientPenalty > 0 {
		loss = Add(loss, MulScalar(losses.GradientPenalty(critic, real, fake, eps), cfg.GradientPenalty))
	}
	if cfg.R1 > 0 {
		loss = Add(loss, losses.R1Penalty(realCritic, real, cfg.R1))
	}
	dScope := scope.At(DiscriminatorScope)
	t.dOpt.UpdateGraph(dScope, real.Graph(), loss)
	if cfg.Clip > 0 {
		clipWeights(dScope, real.Graph(), cfg.Clip)
	}
	return loss, ReduceAllMean(cfg.Loss.Probability(realOut)), ReduceAllMean(cfg.Loss.Probability(fakeOut))
}

// clipWeights clips every trainable variable of scope to [-c, c]: WGAN's Lipschitz
// constraint on the critic.
func clipWeights(scope *model.Scope, g *Graph, c float64) {
	for v := range scope.IterVariables() {
		if v.Trainable {
			v.SetNodeValue(ClipScalar(v.NodeValue(g), -c, c))
		}
	}
}

// generatorStep is the graph of one generator step: from a batch of noise to G's loss
// (the one Config.Loss and Config.GeneratorLoss name) against D, or against D unrolled
// over the look-ahead batches unrollReal and unrollNoise, with G's optimizer update
// applied. It also returns the mean D(G(z)) of the batch.
func (t *Trainer) generatorStep(scope *model.Scope, noise, unrollReal, unrollNoise, jitter *Node) (loss, dFake *Node) {
	t.counted("g_step")
	cfg := t.cfg
	gScope := scope.At(GeneratorScope)
	critic := func(x *Node) *Node { return t.critic(scope, x) }
	if cfg.Unroll > 0 {
		critic = t.unrolledCritic(scope, unrollReal, unrollNoise)
	}
	if cfg.SpectralNorm {
		params := t.dParams(scope, noise.Graph(), false)
		critic = func(x *Node) *Node { return t.dApply(params, x, nil) }
	}
	fake := cfg.Generator.Apply(gScope, noise)
	if cfg.InstanceNoise > 0 {
		fake = Add(fake, jitter)
	}
	fakeOut := critic(fake)
	loss = ReduceAllMean(cfg.Loss.GeneratorElementwise(fakeOut, cfg.GeneratorLoss))
	t.gOpt.UpdateGraph(gScope, noise.Graph(), loss)
	if cfg.EMA > 0 {
		t.emaUpdate(scope, noise.Graph())
	}
	return loss, ReduceAllMean(cfg.Loss.Probability(fakeOut))
}

// unrolledCritic returns D advanced cfg.Unroll steps of gradient descent on its own loss,
// one step per slice of unrollReal [k, n, dim] and unrollNoise [k, n, nz]. The generated
// samples of those steps depend on G, so G's gradient flows through the look-ahead.
func (t *Trainer) unrolledCritic(scope *model.Scope, unrollReal, unrollNoise *Node) func(*Node) *Node {
	cfg := t.cfg
	fd := cfg.Discriminator.(nets.Functional)
	dScope := scope.At(DiscriminatorScope)
	params := fd.Params(dScope, unrollReal.Graph())
	apply := func(x *Node) *Node {
		if p := cfg.PackSize(); p > 1 {
			dims := x.Shape().Dimensions
			x = Reshape(x, dims[0]/p, p*dims[1])
		}
		return fd.ApplyParams(params, x)
	}
	rd, nd := unrollReal.Shape().Dimensions, unrollNoise.Shape().Dimensions
	for i := range cfg.Unroll {
		real := Reshape(Slice(unrollReal, AxisElem(i)), rd[1], rd[2])
		fake := cfg.Generator.Apply(scope.At(GeneratorScope), Reshape(Slice(unrollNoise, AxisElem(i)), nd[1], nd[2]))
		loss := cfg.Loss.DiscriminatorLoss(apply(real), apply(fake))
		grads := Gradient(loss, params...)
		next := make([]*Node, len(params))
		for j := range params {
			next[j] = Sub(params[j], MulScalar(grads[j], cfg.UnrollLearningRate))
		}
		params = next
	}
	return apply
}

// critic applies D to a batch of samples [n·pack, dim]: with packing (PacGAN), each group
// of pack consecutive samples becomes one input of pack·dim coordinates, and the result
// is [n, 1].
func (t *Trainer) critic(scope *model.Scope, x *Node) *Node {
	if t.cfg.SpectralNorm {
		return t.dApply(t.dParams(scope, x.Graph(), false), x, nil)
	}
	if p := t.cfg.PackSize(); p > 1 {
		dims := x.Shape().Dimensions
		x = Reshape(x, dims[0]/p, p*dims[1])
	}
	return t.cfg.Discriminator.Apply(scope.At(DiscriminatorScope), x)
}

// pointwise applies D to single points [n, dim], giving [n, 1]: with packing, each point
// is repeated pack times to fill D's input, so a grid of D values can still be drawn.
func (t *Trainer) pointwise(scope *model.Scope, x *Node) *Node {
	if p := t.cfg.PackSize(); p > 1 {
		parts := make([]*Node, p)
		for i := range parts {
			parts[i] = x
		}
		x = Concatenate(parts, -1)
	}
	if t.cfg.SpectralNorm {
		return t.cfg.Discriminator.(nets.Functional).ApplyParams(t.dParams(scope, x.Graph(), false), x)
	}
	return t.cfg.Discriminator.Apply(scope.At(DiscriminatorScope), x)
}

// Backend is the backend the trainer runs on.
func (t *Trainer) Backend() compute.Backend { return t.backend }

// Config returns the configuration, with defaults filled in.
func (t *Trainer) Config() Config { return t.cfg }

// Builds reports how many times each step graph was constructed ("d_step", "g_step",
// "generate", "discriminate", "grad_norm/<loss>"). After any number of iterations each
// is at most 1: graphs are compiled once and reused.
func (t *Trainer) Builds() map[string]int {
	out := make(map[string]int, len(t.builds))
	for k, v := range t.builds {
		out[k] = v
	}
	return out
}

// Iteration is the number of completed iterations (generator steps).
func (t *Trainer) Iteration() int { return t.loop.Iteration() }

// History returns one Record per completed iteration.
func (t *Trainer) History() []Record { return t.loop.History() }

// Snapshots returns the snapshots taken by Run, in order.
func (t *Trainer) Snapshots() []Snapshot { return t.loop.Snapshots() }

// Err is the error that stopped training (a diverged run), or nil.
func (t *Trainer) Err() error { return t.loop.Err() }

// ItersPerSecond is the measured training speed, the first iteration (which compiles the
// step graphs) left out; 0 before two iterations.
func (t *Trainer) ItersPerSecond() float64 { return t.loop.ItersPerSecond() }

// unrollNoise draws the look-ahead batches of an unrolled generator step: real samples
// into t.unrollReal and returns the noise, both [Unroll, n, ·]. Without unrolling both are
// 1-element placeholders the graph ignores.
func (t *Trainer) unrollNoise() *tensors.Tensor {
	k := t.cfg.Unroll
	if k == 0 {
		t.unrollReal = tensors.FromFlatDataAndDimensions([]float32{0}, 1, 1, 1)
		return tensors.FromFlatDataAndDimensions([]float32{0}, 1, 1, 1)
	}
	n, dim, nz := t.cfg.BatchSize*t.cfg.PackSize(), t.cfg.Target.Dim(), t.cfg.Generator.InDim()
	t.unrollReal = tensors.FromFlatDataAndDimensions(t.cfg.Target.Sample(t.dataRng, k*n), k, n, dim)
	return tensors.FromFlatDataAndDimensions(train.Normal(t.noiseRng, k*n*nz), k, n, nz)
}

// noiseBatch draws the generator's input for one step; with a fixed Fake distribution it
// draws p_g samples instead.
func (t *Trainer) noiseBatch() *tensors.Tensor {
	n := t.cfg.BatchSize * t.cfg.PackSize()
	if t.cfg.Fake != nil {
		return tensors.FromFlatDataAndDimensions(t.cfg.Fake.Sample(t.noiseRng, n), n, t.cfg.Fake.Dim())
	}
	nz := t.cfg.Generator.InDim()
	return tensors.FromFlatDataAndDimensions(train.Normal(t.noiseRng, n*nz), n, nz)
}

// StepD runs one discriminator step. A non-finite loss stops the run (see Err).
func (t *Trainer) StepD() (DStats, error) {
	if err := t.loop.Err(); err != nil {
		return DStats{}, err
	}
	n, dim := t.cfg.BatchSize*t.cfg.PackSize(), t.cfg.Target.Dim()
	real := tensors.FromFlatDataAndDimensions(t.cfg.Target.Sample(t.dataRng, n), n, dim)
	eps := make([]float32, n)
	for i := range eps {
		eps[i] = float32(t.epsRng.Float64())
	}
	out, err := t.dStep.Call(real, t.noiseBatch(), tensors.FromFlatDataAndDimensions(eps, n, 1), t.labels(), t.dropoutMasks(), t.jitter(2))
	if err != nil {
		return DStats{}, t.loop.Fail(fmt.Errorf("pointgan: discriminator step %d: %w", t.totalDSteps+1, err))
	}
	t.totalDSteps++
	s := DStats{Loss: train.Scalar(out[0]), DReal: train.Scalar(out[1]), DFake: train.Scalar(out[2])}
	return s, t.loop.Guard(fmt.Sprintf("the discriminator loss (discriminator step %d)", t.totalDSteps), s.Loss)
}

// StepG runs one generator step and returns its loss and the mean D(G(z)) it saw. A
// non-finite loss stops the run (see Err).
func (t *Trainer) StepG() (loss, dFake float64, err error) {
	if err := t.loop.Err(); err != nil {
		return 0, 0, err
	}
	if t.gStep == nil {
		return 0, 0, errNoGenerator
	}
	noise, unrollNoise := t.noiseBatch(), t.unrollNoise()
	out, err := t.gStep.Call(noise, t.unrollReal, unrollNoise, t.jitter(1))
	if err != nil {
		return 0, 0, t.loop.Fail(fmt.Errorf("pointgan: generator step at iteration %d: %w", t.loop.Iteration()+1, err))
	}
	loss, dFake = train.Scalar(out[0]), train.Scalar(out[1])
	return loss, dFake, t.loop.Guard("the generator loss", loss)
}

// errNoGenerator is the error of asking a run with a fixed Config.Fake to train G.
var errNoGenerator = errors.New("pointgan: no generator to train: Config.Fake fixes p_g")

// Iterate runs one iteration of Algorithm 1: DSteps discriminator steps, then one
// generator step, and appends a Record to the history.
func (t *Trainer) Iterate() error {
	if t.gStep == nil && t.loop.Err() == nil {
		return errNoGenerator
	}
	return t.loop.Iterate(func(it int) (Record, error) {
		var s DStats
		var err error
		for range t.cfg.DSteps {
			if s, err = t.StepD(); err != nil {
				return Record{}, err
			}
		}
		gLoss, _, err := t.StepG()
		if err != nil {
			return Record{}, err
		}
		return Record{Iteration: it, DLoss: s.Loss, GLoss: gLoss, DReal: s.DReal, DFake: s.DFake}, nil
	})
}

// Run performs n iterations. Before the first one (0 in snapshotAt) and after each
// iteration listed in snapshotAt it takes a Snapshot, once per iteration.
func (t *Trainer) Run(n int, snapshotAt ...int) error {
	return t.loop.Run(n, t.Iterate, t.Snapshot, snapshotAt...)
}

// TrainD runs n discriminator steps only (the generator, or the fixed Fake, stays as it
// is) and returns the stats of the last one.
func (t *Trainer) TrainD(n int) (DStats, error) {
	var s DStats
	var err error
	for range n {
		if s, err = t.StepD(); err != nil {
			return s, err
		}
	}
	return s, nil
}

// SetLearningRate changes the learning rate of one network's optimizer ("generator" or
// "discriminator", see GeneratorScope and DiscriminatorScope) from the next step on,
// without recompiling (train.SetLearningRate). Lowering it at the end of training (a
// step decay) averages out the noise of stochastic gradients.
func (t *Trainer) SetLearningRate(network string, lr float64) error {
	if network != GeneratorScope && network != DiscriminatorScope {
		return fmt.Errorf("pointgan: SetLearningRate: unknown network %q (use %q or %q)", network, GeneratorScope, DiscriminatorScope)
	}
	if network == GeneratorScope && t.cfg.Fake != nil {
		return fmt.Errorf("pointgan: SetLearningRate: no generator: Config.Fake fixes p_g")
	}
	if err := train.SetLearningRate(t.store, network, lr); err != nil {
		return fmt.Errorf("pointgan: SetLearningRate: %w", err)
	}
	return nil
}

// Store is the model.Store holding both networks' variables (and the optimizers'), for
// inspection: e.g. Store().RootScope().At("discriminator") iterates D's weights.
func (t *Trainer) Store() *model.Store { return t.store }
