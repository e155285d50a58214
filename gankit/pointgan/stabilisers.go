package pointgan

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// The stabilisers of lesson 15 are options of Config, each off at its zero value:
// one-sided label smoothing and label noise (D's targets), dropout in D, instance noise,
// spectral normalisation of D, the R1 penalty and an EMA of G's weights. (TTUR, two
// time-scales, needs no option: give DOptimizer a larger learning rate than GOptimizer.)
//
// Their random draws (flipped labels, dropout masks, instance noise) come from streams of
// their own seeded by Config.Seed, drawn on the host like the real samples and the noise,
// so a run is reproducible, the same on every backend, and a run without them draws
// exactly what it did before they existed.

// Scopes of the stabilisers' own (non-trainable) variables.
const (
	spectralScope = "spectral_norm"
	emaScope      = "ema_generator"
)

// Seeds offsets of the stabilisers' random streams (Config.Seed + offset).
const (
	labelSeed   = 7
	dropoutSeed = 8
	jitterSeed  = 9
	powerSeed   = 10
)

// validateStabilisers reports the stabiliser settings that are impossible.
func (c *Config) validateStabilisers() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if !(c.LabelSmoothing >= 0 && c.LabelSmoothing < 0.5) {
		add("LabelSmoothing (α, real target 1-α) must be in [0, 0.5), got %g", c.LabelSmoothing)
	}
	if !(c.LabelNoise >= 0 && c.LabelNoise <= 1) {
		add("LabelNoise (the probability of flipping a label) must be in [0, 1], got %g", c.LabelNoise)
	}
	if (c.LabelSmoothing > 0 || c.LabelNoise > 0) && c.Loss != losses.Standard {
		add("LabelSmoothing and LabelNoise change the targets of the Standard (BCE) loss; the %s loss has none", c.Loss)
	}
	if !(c.Dropout >= 0 && c.Dropout < 1) {
		add("Dropout (the rate of dropped hidden units of D) must be in [0, 1), got %g", c.Dropout)
	}
	if _, ok := c.Discriminator.(nets.Hidden); c.Dropout > 0 && c.Discriminator != nil && !ok {
		add("Dropout needs a Discriminator that implements nets.Hidden (nets.MLP does)")
	}
	if !(c.InstanceNoise >= 0) || !finite(c.InstanceNoise) {
		add("InstanceNoise (σ) must be >= 0 and finite, got %g", c.InstanceNoise)
	}
	if c.InstanceNoiseAnneal < 0 {
		add("InstanceNoiseAnneal (iterations) must be >= 0, got %d", c.InstanceNoiseAnneal)
	}
	if _, ok := c.Discriminator.(nets.Functional); c.SpectralNorm && c.Discriminator != nil && !ok {
		add("SpectralNorm needs a Discriminator that implements nets.Functional (nets.MLP does)")
	}
	if !(c.R1 >= 0) || !finite(c.R1) {
		add("R1 (γ) must be >= 0 and finite, got %g", c.R1)
	}
	if !(c.EMA >= 0 && c.EMA < 1) {
		add("EMA (the decay of G's moving average) must be in [0, 1), got %g", c.EMA)
	}
	if c.EMA > 0 {
		if c.Fake != nil {
			add("EMA averages the generator, but Fake fixes p_g")
		} else if _, ok := c.Generator.(nets.Functional); c.Generator != nil && !ok {
			add("EMA needs a Generator that implements nets.Functional (nets.MLP does)")
		}
	}
	if c.Unroll > 0 && (c.SpectralNorm || c.InstanceNoise > 0 || c.Dropout > 0) {
		add("Unroll cannot be combined with SpectralNorm, InstanceNoise or Dropout")
	}
	if c.Fake != nil && c.InstanceNoise > 0 {
		add("InstanceNoise needs a generator to train, but Fake fixes p_g")
	}
	return errs
}

// InstanceNoiseAt is the σ of instance noise at the given iteration (0-based: the number
// of completed iterations): InstanceNoise, decayed linearly to 0 over InstanceNoiseAnneal
// iterations when that is > 0.
func (c *Config) InstanceNoiseAt(iteration int) float64 {
	if c.InstanceNoiseAnneal <= 0 {
		return c.InstanceNoise
	}
	return c.InstanceNoise * max(0, 1-float64(iteration)/float64(c.InstanceNoiseAnneal))
}

// softTargets reports whether D's loss takes per-sample targets (smoothing or noise).
func (c *Config) softTargets() bool { return c.LabelSmoothing > 0 || c.LabelNoise > 0 }

// stabiliserState holds the random streams of the stabilisers and the placeholder that
// stands for an input a configuration does not use.
type stabiliserState struct {
	labelRng, dropoutRng, jitterRng *rand.Rand
	unused                          *tensors.Tensor
}

func newStabiliserState(seed uint64) stabiliserState {
	return stabiliserState{
		labelRng:   target.NewRand(seed + labelSeed),
		dropoutRng: target.NewRand(seed + dropoutSeed),
		jitterRng:  target.NewRand(seed + jitterSeed),
	}
}

// placeholder is a [1, 1] zero tensor for an input the graph ignores.
func placeholder() *tensors.Tensor { return tensors.FromFlatDataAndDimensions([]float32{0}, 1, 1) }

// labels draws D's targets for one step, [2·BatchSize, 1]: the real samples' first, then
// the generated ones', each flipped with probability LabelNoise.
func (t *Trainer) labels() *tensors.Tensor {
	cfg := t.cfg
	if !cfg.softTargets() {
		return placeholder()
	}
	n := cfg.BatchSize
	real := float32(1 - cfg.LabelSmoothing)
	y := make([]float32, 2*n)
	for i := range y {
		isReal := i < n
		if cfg.LabelNoise > 0 && t.stab.labelRng.Float64() < cfg.LabelNoise {
			isReal = !isReal
		}
		if isReal {
			y[i] = real
		}
	}
	return tensors.FromFlatDataAndDimensions(y, 2*n, 1)
}

// dropoutMasks draws D's dropout masks for one step, [2·BatchSize, Σ hidden sizes]: the
// real samples' rows first, each entry 0 (dropped) or 1/(1-p) (kept).
func (t *Trainer) dropoutMasks() *tensors.Tensor {
	cfg := t.cfg
	if cfg.Dropout == 0 {
		return placeholder()
	}
	width := 0
	for _, h := range cfg.Discriminator.(nets.Hidden).HiddenSizes() {
		width += h
	}
	rows := 2 * cfg.BatchSize
	m := make([]float32, rows*width)
	keep := float32(1 / (1 - cfg.Dropout))
	for i := range m {
		if t.stab.dropoutRng.Float64() >= cfg.Dropout {
			m[i] = keep
		}
	}
	return tensors.FromFlatDataAndDimensions(m, rows, width)
}

// jitter draws instance noise for `copies` batches of samples, [copies·n, dim] with n the
// samples of one batch, scaled by σ at the current iteration.
func (t *Trainer) jitter(copies int) *tensors.Tensor {
	cfg := t.cfg
	if cfg.InstanceNoise == 0 {
		return placeholder()
	}
	n, dim := copies*cfg.BatchSize*cfg.PackSize(), cfg.Target.Dim()
	sigma := float32(cfg.InstanceNoiseAt(t.loop.Iteration()))
	v := train.Normal(t.stab.jitterRng, n*dim)
	for i := range v {
		v[i] *= sigma
	}
	return tensors.FromFlatDataAndDimensions(v, n, dim)
}

// initStabilisers creates the stabilisers' variables: the power-iteration vectors of
// spectral normalisation and the generator's moving average (zeros, with the average of
// the constant 1 that debiases it).
func (t *Trainer) initStabilisers() error {
	cfg := t.cfg
	root := t.store.RootScope()
	g := NewGraph(t.backend, "stabiliser_shapes")
	defer g.Finalize()
	if cfg.SpectralNorm {
		rng := target.NewRand(cfg.Seed + powerSeed)
		params := cfg.Discriminator.(nets.Functional).Params(root.At(DiscriminatorScope), g)
		for i, p := range params {
			if p.Rank() != 2 {
				continue
			}
			u := train.Normal(rng, p.Shape().Dim(1))
			v, err := root.At(spectralScope).CreateVariable(fmt.Sprintf("u_%d", i), tensors.FromFlatDataAndDimensions(u, len(u)))
			if err != nil {
				return fmt.Errorf("pointgan: spectral norm of D's parameter %d: %w", i, err)
			}
			v.SetTrainable(false)
		}
	}
	if cfg.EMA > 0 {
		params := cfg.Generator.(nets.Functional).Params(root.At(GeneratorScope), g)
		for i, p := range params {
			v, err := root.At(emaScope).CreateVariable(fmt.Sprintf("param_%d", i), tensors.FromShape(p.Shape()))
			if err != nil {
				return fmt.Errorf("pointgan: EMA of G's parameter %d: %w", i, err)
			}
			v.SetTrainable(false)
		}
		v, err := root.At(emaScope).CreateVariable("one", tensors.FromValue(float32(0)))
		if err != nil {
			return fmt.Errorf("pointgan: EMA of G: %w", err)
		}
		v.SetTrainable(false)
	}
	return nil
}

// normalize is x / ‖x‖ for a vector x.
func normalize(x *Node) *Node {
	return Div(x, Sqrt(AddScalar(ReduceAllSum(Square(x)), 1e-12)))
}

// dParams returns D's parameters in graph g with every weight matrix divided by its
// spectral norm σ, estimated by one step of power iteration from the stored vector u:
// v = normalize(W u), u' = normalize(Wᵀ v), σ = vᵀ W u' (u, v treated as constants, as
// in Miyato et al.). If update is set, u' is stored for the next step.
func (t *Trainer) dParams(scope *model.Scope, g *Graph, update bool) []*Node {
	params := t.cfg.Discriminator.(nets.Functional).Params(scope.At(DiscriminatorScope), g)
	if !t.cfg.SpectralNorm {
		return params
	}
	out := make([]*Node, len(params))
	for i, w := range params {
		out[i] = w
		if w.Rank() != 2 {
			continue
		}
		uVar := scope.At(spectralScope).GetVariable(fmt.Sprintf("u_%d", i))
		if uVar == nil {
			panic(fmt.Errorf("pointgan: internal error: no power-iteration vector for D's parameter %d", i))
		}
		ws := StopGradient(w)
		u := uVar.NodeValue(g)
		v := normalize(Dot(ws, u).Product())                 // [in]
		u = normalize(Dot(Transpose(ws, 0, 1), v).Product()) // [out]
		u, v = StopGradient(u), StopGradient(v)
		sigma := ReduceAllSum(Mul(v, Dot(w, u).Product()))
		out[i] = Div(w, sigma)
		if update {
			uVar.SetNodeValue(u)
		}
	}
	return out
}

// dApply applies D with parameters params to a batch [n·pack, dim] (packed as critic
// does), with masks (nil for none) multiplying its hidden activations: masks is
// [n, Σ hidden sizes], the concatenated masks of the hidden layers.
func (t *Trainer) dApply(params []*Node, x, masks *Node) *Node {
	if p := t.cfg.PackSize(); p > 1 {
		dims := x.Shape().Dimensions
		x = Reshape(x, dims[0]/p, p*dims[1])
	}
	if masks == nil {
		return t.cfg.Discriminator.(nets.Functional).ApplyParams(params, x)
	}
	d := t.cfg.Discriminator.(nets.Hidden)
	sizes := d.HiddenSizes()
	return d.ApplyHidden(params, x, func(layer int, h *Node) *Node {
		start := 0
		for _, s := range sizes[:layer] {
			start += s
		}
		return Mul(h, Slice(masks, AxisRange(), AxisRange(start, start+sizes[layer])))
	})
}

// functionalD reports whether D is applied through its parameters (dParams, dApply): with
// spectral normalisation or dropout.
func (c *Config) functionalD() bool { return c.SpectralNorm || c.Dropout > 0 }

// TargetBCE is D's binary cross-entropy against per-sample targets y [2n, 1] in [0, 1],
// the real samples' n targets first: E[y·softplus(-l) + (1-y)·softplus(l)] over the real
// logits [n, 1] plus the same over the generated ones. With y = 1 for the real samples and
// 0 for the generated ones it is losses.Discriminator; label smoothing and label noise
// change y.
func TargetBCE(realOut, fakeOut, y *Node) *Node {
	n := realOut.Shape().Dim(0)
	yr := Slice(y, AxisRange(0, n))
	yf := Slice(y, AxisRange(n, 2*n))
	term := func(l, y *Node) *Node {
		return ReduceAllMean(Add(Mul(y, Softplus(Neg(l))), Mul(OneMinus(y), Softplus(l))))
	}
	return Add(term(realOut, yr), term(fakeOut, yf))
}

// emaUpdate folds G's current parameters into their moving average (and the constant 1
// into its own, which debiases it), after the generator's update in graph g.
func (t *Trainer) emaUpdate(scope *model.Scope, g *Graph) {
	d := t.cfg.EMA
	params := t.cfg.Generator.(nets.Functional).Params(scope.At(GeneratorScope), g)
	es := scope.At(emaScope)
	for i, p := range params {
		v := es.GetVariable(fmt.Sprintf("param_%d", i))
		v.SetNodeValue(Add(MulScalar(v.NodeValue(g), d), MulScalar(p, 1-d)))
	}
	one := es.GetVariable("one")
	one.SetNodeValue(AddScalar(MulScalar(one.NodeValue(g), d), 1-d))
}

// emaGenerator applies the moving average of G to noise: each average divided by the
// average of 1; before the first generator step (no average yet), the current G.
func (t *Trainer) emaGenerator(scope *model.Scope, noise *Node) *Node {
	g := noise.Graph()
	fg := t.cfg.Generator.(nets.Functional)
	params := fg.Params(scope.At(GeneratorScope), g)
	es := scope.At(emaScope)
	one := es.GetVariable("one").NodeValue(g)
	started := ConvertDType(GreaterThan(one, ScalarZero(g, one.DType())), one.DType()) // 0 or 1
	safe := Add(one, OneMinus(started))                                                // one, or 1 before the first step
	avg := make([]*Node, len(params))
	for i, p := range params {
		e := Div(es.GetVariable(fmt.Sprintf("param_%d", i)).NodeValue(g), safe)
		avg[i] = Add(p, Mul(started, Sub(e, p)))
	}
	return fg.ApplyParams(avg, noise)
}
