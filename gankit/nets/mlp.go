package nets

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Network is a generator or a discriminator.
type Network interface {
	// InDim and OutDim are the sizes of the last axis of the input and the output.
	InDim() int
	OutDim() int
	// Init creates the network's variables in scope, drawing their values from rng.
	Init(scope *model.Scope, rng *rand.Rand) error
	// Apply builds the forward pass on x, shaped [batch, InDim()], and returns
	// [batch, OutDim()]. It is a graph-building function: it panics (GoMLX style) if Init
	// was not called on scope.
	Apply(scope *model.Scope, x *graph.Node) *graph.Node
}

// Functional is a Network whose forward pass can also run on explicit parameter nodes
// instead of its variables: an unrolled GAN applies k look-ahead copies of D, each with
// parameters one optimisation step further on, and differentiates through them.
type Functional interface {
	Network
	// Params returns the network's parameters in graph g, in a fixed order.
	Params(scope *model.Scope, g *graph.Graph) []*graph.Node
	// ApplyParams is Apply with the given parameters (shaped as Params returns them).
	ApplyParams(params []*graph.Node, x *graph.Node) *graph.Node
}

// Hidden is a Functional network whose hidden activations can be rewritten during the
// forward pass: dropout in a discriminator multiplies them by a random mask.
type Hidden interface {
	Functional
	// HiddenSizes are the widths of the hidden layers, in order.
	HiddenSizes() []int
	// ApplyHidden is ApplyParams with hidden(i, h) applied to hidden layer i's
	// activations h, shaped [batch, HiddenSizes()[i]]; a nil hidden changes nothing.
	ApplyHidden(params []*graph.Node, x *graph.Node, hidden func(layer int, h *graph.Node) *graph.Node) *graph.Node
}

// Activation is a pointwise non-linearity.
type Activation int

const (
	// Identity leaves its input unchanged (a linear output).
	Identity Activation = iota
	// ReLU is max(x, 0).
	ReLU
	// LeakyReLU is max(x, 0.2·x), the slope DCGAN and most toy GANs use in D.
	LeakyReLU
	// Tanh squashes into (-1, 1).
	Tanh
	// Sigmoid squashes into (0, 1).
	Sigmoid
)

// String implements fmt.Stringer.
func (a Activation) String() string {
	switch a {
	case Identity:
		return "identity"
	case ReLU:
		return "ReLU"
	case LeakyReLU:
		return "LeakyReLU(0.2)"
	case Tanh:
		return "tanh"
	case Sigmoid:
		return "sigmoid"
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

// LeakySlope is the negative slope of LeakyReLU.
const LeakySlope = 0.2

func (a Activation) apply(x *graph.Node) *graph.Node {
	switch a {
	case ReLU:
		return Rectify(x, 0)
	case LeakyReLU:
		return Rectify(x, LeakySlope)
	case Tanh:
		return graph.Tanh(x)
	case Sigmoid:
		return graph.Sigmoid(x)
	}
	return x
}

// Rectify is ReLU (slope 0) or LeakyReLU (slope > 0): x where x >= 0, slope·x elsewhere.
// It is computed as x times a mask that autodiff treats as a constant, so its gradient is
// one multiplication by the mask. graph.Max(x, slope·x) gives the same values and
// gradients (1 where x >= 0, slope elsewhere) but its gradient costs about seven
// full-size operations, a tenth of a small GAN's step on the pure-Go backend.
func Rectify(x *graph.Node, slope float64) *graph.Node {
	g := x.Graph()
	nonNeg := graph.GreaterOrEqual(x, graph.ScalarZero(g, x.DType()))
	var mask *graph.Node
	if slope == 0 {
		mask = graph.ConvertDType(nonNeg, x.DType())
	} else {
		mask = graph.Where(nonNeg, graph.OnesLike(x), graph.Scalar(g, x.DType(), slope))
	}
	return graph.Mul(x, graph.StopGradient(mask))
}

// MLP is a fully connected network In -> Hidden[0] -> ... -> Out, with Act after every
// hidden layer and OutAct after the last one.
type MLP struct {
	In     int
	Hidden []int
	Out    int
	Act    Activation
	OutAct Activation
}

// Generator returns the usual toy generator: noise of noiseDim -> hidden ReLU layers ->
// a linear output of dim coordinates.
func Generator(noiseDim int, hidden []int, dim int) MLP {
	return MLP{In: noiseDim, Hidden: hidden, Out: dim, Act: ReLU, OutAct: Identity}
}

// Discriminator returns the usual toy discriminator: dim coordinates -> hidden LeakyReLU
// layers -> one logit (no sigmoid: the losses take logits, D(x) = sigmoid(logit)).
func Discriminator(dim int, hidden []int) MLP {
	return MLP{In: dim, Hidden: hidden, Out: 1, Act: LeakyReLU, OutAct: Identity}
}

// InDim implements Network.
func (m MLP) InDim() int { return m.In }

// OutDim implements Network.
func (m MLP) OutDim() int { return m.Out }

// Validate reports impossible layer sizes.
func (m MLP) Validate() error {
	if m.In < 1 || m.Out < 1 {
		return fmt.Errorf("nets: MLP needs input and output sizes >= 1, got %d -> %d", m.In, m.Out)
	}
	for i, h := range m.Hidden {
		if h < 1 {
			return fmt.Errorf("nets: MLP hidden layer %d has size %d, want >= 1", i, h)
		}
	}
	return nil
}

func (m MLP) sizes() []int {
	s := append([]int{m.In}, m.Hidden...)
	return append(s, m.Out)
}

func layerScope(scope *model.Scope, i int) *model.Scope { return scope.At("layer_%d", i) }

// Init implements Network: weights and biases uniform in ±1/sqrt(fan_in), as PyTorch's
// nn.Linear. Variables that already exist are left as they are.
func (m MLP) Init(scope *model.Scope, rng *rand.Rand) error {
	if err := m.Validate(); err != nil {
		return err
	}
	sizes := m.sizes()
	for i := 0; i+1 < len(sizes); i++ {
		in, out := sizes[i], sizes[i+1]
		bound := 1 / math.Sqrt(float64(in))
		ls := layerScope(scope, i)
		if ls.GetVariable("weights") != nil {
			continue
		}
		w := uniform(rng, in*out, bound)
		b := uniform(rng, out, bound)
		if _, err := ls.CreateVariable("weights", tensors.FromFlatDataAndDimensions(w, in, out)); err != nil {
			return fmt.Errorf("nets: creating layer %d weights: %w", i, err)
		}
		if _, err := ls.CreateVariable("biases", tensors.FromFlatDataAndDimensions(b, out)); err != nil {
			return fmt.Errorf("nets: creating layer %d biases: %w", i, err)
		}
	}
	return nil
}

func uniform(rng *rand.Rand, n int, bound float64) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32((2*rng.Float64() - 1) * bound)
	}
	return v
}

// Params implements Functional: weights and biases of each layer in order. It panics
// (graph-building style) if Init was not called on scope.
func (m MLP) Params(scope *model.Scope, g *graph.Graph) []*graph.Node {
	sizes := m.sizes()
	params := make([]*graph.Node, 0, 2*(len(sizes)-1))
	for i := 0; i+1 < len(sizes); i++ {
		ls := layerScope(scope, i)
		wv, bv := ls.GetVariable("weights"), ls.GetVariable("biases")
		if wv == nil || bv == nil {
			panic(fmt.Errorf("nets: layer %d of the MLP in scope %q has no variables: call Init first", i, scope.Scope()))
		}
		params = append(params, wv.NodeValue(g), bv.NodeValue(g))
	}
	return params
}

// ApplyParams implements Functional.
func (m MLP) ApplyParams(params []*graph.Node, x *graph.Node) *graph.Node {
	return m.ApplyHidden(params, x, nil)
}

// HiddenSizes implements Hidden: the sizes of the hidden layers, in order.
func (m MLP) HiddenSizes() []int { return m.Hidden }

// ApplyHidden implements Hidden: ApplyParams with hidden(i, h) replacing the activations h
// of hidden layer i (after Act) before the next layer; a nil hidden changes nothing.
func (m MLP) ApplyHidden(params []*graph.Node, x *graph.Node, hidden func(layer int, h *graph.Node) *graph.Node) *graph.Node {
	x.Shape().Assert(dtypes.Float32, -1, m.In)
	sizes := m.sizes()
	if len(params) != 2*(len(sizes)-1) {
		panic(fmt.Errorf("nets: MLP with %d layers needs %d parameters, got %d", len(sizes)-1, 2*(len(sizes)-1), len(params)))
	}
	for i := 0; i+1 < len(sizes); i++ {
		x = Dense(x, params[2*i], params[2*i+1])
		if i+2 < len(sizes) {
			x = m.Act.apply(x)
			if hidden != nil {
				x = hidden(i, x)
			}
		} else {
			x = m.OutAct.apply(x)
		}
	}
	return x
}

// Apply implements Network.
func (m MLP) Apply(scope *model.Scope, x *graph.Node) *graph.Node {
	return m.ApplyParams(m.Params(scope, x.Graph()), x)
}
