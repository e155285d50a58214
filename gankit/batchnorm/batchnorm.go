package batchnorm

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Defaults used when Layer.Momentum or Layer.Epsilon is 0: PyTorch's.
const (
	DefaultMomentum = 0.1
	DefaultEpsilon  = 1e-5
)

// Names of the variables Init creates in the layer's scope.
const (
	GammaName = "gamma" // trainable scale, initially 1
	BetaName  = "beta"  // trainable shift, initially 0
	MeanName  = "mean"  // running mean (not trainable), initially 0
	VarName   = "var"   // running unbiased variance (not trainable), initially 1
)

// Layer normalises over every axis but the last (channels-last: [batch, ..., channels]),
// as PyTorch's nn.BatchNorm1d on [batch, channels] and nn.BatchNorm2d on NCHW images
// transposed to [batch, height, width, channels].
type Layer struct {
	Channels int
	// Momentum of the running statistics as PyTorch's: new = (1-m)*old + m*batch.
	// 0 means DefaultMomentum (0.1).
	Momentum float64
	// Epsilon is added to the variance before the square root. 0 means DefaultEpsilon (1e-5).
	Epsilon float64
}

func (l Layer) momentum() float64 {
	if l.Momentum == 0 {
		return DefaultMomentum
	}
	return l.Momentum
}

func (l Layer) epsilon() float64 {
	if l.Epsilon == 0 {
		return DefaultEpsilon
	}
	return l.Epsilon
}

// Validate reports a layer that cannot work: fewer than one channel, a momentum outside
// (0, 1] (0 itself means the default), or a negative or non-finite epsilon.
func (l Layer) Validate() error {
	if l.Channels < 1 {
		return fmt.Errorf("batchnorm: Channels = %d, want >= 1", l.Channels)
	}
	if m := l.Momentum; math.IsNaN(m) || m < 0 || m > 1 {
		return fmt.Errorf("batchnorm: Momentum = %g, want in (0, 1] (or 0 for the default %g)", m, DefaultMomentum)
	}
	if e := l.Epsilon; math.IsNaN(e) || math.IsInf(e, 0) || e < 0 {
		return fmt.Errorf("batchnorm: Epsilon = %g, want a finite value >= 0 (0 means the default %g)", e, DefaultEpsilon)
	}
	return nil
}

// Init creates the layer's variables in scope, all float32 shaped [Channels]: the
// trainable GammaName = 1 and BetaName = 0, and the running statistics MeanName = 0 and
// VarName = 1, marked not trainable so that optimizers skip them. Variables that already
// exist keep their values (it is an error if their shape is not [Channels]); the running
// statistics are marked not trainable in any case.
func (l Layer) Init(scope *model.Scope) error {
	if err := l.Validate(); err != nil {
		return err
	}
	for _, v := range []struct {
		name      string
		value     float32
		trainable bool
	}{
		{GammaName, 1, true},
		{BetaName, 0, true},
		{MeanName, 0, false},
		{VarName, 1, false},
	} {
		if existing := scope.GetVariable(v.name); existing != nil {
			if dims := existing.Shape().Dimensions; len(dims) != 1 || dims[0] != l.Channels {
				return fmt.Errorf("batchnorm: variable %s exists with shape %s, want [%d]", existing.Path(), existing.Shape(), l.Channels)
			}
			if !v.trainable {
				existing.SetTrainable(false)
			}
			continue
		}
		values := make([]float32, l.Channels)
		for i := range values {
			values[i] = v.value
		}
		created, err := scope.CreateVariable(v.name, tensors.FromFlatDataAndDimensions(values, l.Channels))
		if err != nil {
			return fmt.Errorf("batchnorm: creating %s in scope %q: %w", v.name, scope.Scope(), err)
		}
		created.SetTrainable(v.trainable)
	}
	return nil
}

// variables returns the layer's variables in scope, panicking (graph-building style) if
// Init was not called.
func (l Layer) variables(scope *model.Scope) (gamma, beta, mean, variance *model.Variable) {
	gamma, beta = scope.GetVariable(GammaName), scope.GetVariable(BetaName)
	mean, variance = scope.GetVariable(MeanName), scope.GetVariable(VarName)
	if gamma == nil || beta == nil || mean == nil || variance == nil {
		panic(fmt.Errorf("batchnorm: scope %q has no batch-norm variables: call Layer.Init first", scope.Scope()))
	}
	for _, v := range []*model.Variable{gamma, beta, mean, variance} {
		if dims := v.Shape().Dimensions; len(dims) != 1 || dims[0] != l.Channels {
			panic(fmt.Errorf("batchnorm: variable %s has shape %s, want [%d]", v.Path(), v.Shape(), l.Channels))
		}
	}
	return
}

// Apply builds the batch normalisation of x, shaped [batch, ..., Channels] (float32 or
// float64), and returns a node of the same shape. It panics (GoMLX style) if Init was not
// called on scope or x does not fit the layer.
//
// In training mode (scope.Store().IsTraining(g), set by scope.Store().SetTraining(g, true))
// it normalises with the statistics of this batch (biased variance), per channel over all
// other axes, and the gradient flows through those statistics as in PyTorch. It also
// updates the running statistics, as graph assignments to the variables (model.Exec writes
// them back after each execution):
//
//	mean = (1-momentum)*mean + momentum*batchMean
//	var  = (1-momentum)*var  + momentum*batchVar*n/(n-1)   (n values per channel)
//
// In training mode x needs more than one value per channel, as in PyTorch.
//
// Calling Apply more than once in one graph (a GAN's discriminator on the real and on the
// generated batch) works like as many forward calls in PyTorch: each call normalises with
// its own batch's statistics, and each call applies its update to the running statistics
// on top of the previous call's, in the order the calls were built, so one execution of the
// graph advances the running statistics exactly as a PyTorch step making the same forward
// calls in the same order.
//
// In inference mode it normalises with the running statistics and updates nothing; the
// result is still differentiable with respect to x, gamma and beta.
func (l Layer) Apply(scope *model.Scope, x *graph.Node) *graph.Node {
	if err := l.Validate(); err != nil {
		panic(err)
	}
	gammaVar, betaVar, meanVar, varVar := l.variables(scope)
	g := x.Graph()
	shape := x.Shape()
	dtype := shape.DType
	if dtype != dtypes.Float32 && dtype != dtypes.Float64 {
		panic(fmt.Errorf("batchnorm: input in scope %q has dtype %s, want float32 or float64", scope.Scope(), dtype))
	}
	if shape.Rank() < 2 || shape.Dim(-1) != l.Channels {
		panic(fmt.Errorf("batchnorm: input in scope %q has shape %s, want [batch, ..., %d]", scope.Scope(), shape, l.Channels))
	}
	for _, d := range shape.Dimensions {
		if d < 1 {
			panic(fmt.Errorf("batchnorm: input in scope %q has shape %s, want static dimensions >= 1", scope.Scope(), shape))
		}
	}
	c := l.Channels
	n := shape.Size() / c // values per channel
	eps := l.epsilon()
	read := func(v *model.Variable) *graph.Node { // [1, C] in x's dtype
		node := v.NodeValue(g)
		if node.DType() != dtype {
			node = graph.ConvertDType(node, dtype)
		}
		return graph.Reshape(node, 1, c)
	}
	gamma, beta := read(gammaVar), read(betaVar)
	x2 := graph.Reshape(x, n, c)

	var y *graph.Node
	if !scope.Store().IsTraining(g) {
		// y = x*a + b with a = gamma/sqrt(var+eps), b = beta - mean*a.
		a := graph.Div(gamma, graph.Sqrt(graph.AddScalar(read(varVar), eps)))
		b := graph.Sub(beta, graph.Mul(read(meanVar), a))
		y = graph.Add(graph.Mul(x2, broadcastRows(a, n)), broadcastRows(b, n))
	} else {
		if n < 2 {
			panic(fmt.Errorf("batchnorm: input in scope %q has shape %s: training needs more than 1 value per channel", scope.Scope(), shape))
		}
		// Two passes, as PyTorch: the mean, then the biased variance of the deviations.
		mean := graph.MulScalar(columnSums(x2), 1/float64(n))
		d := graph.Sub(x2, broadcastRows(mean, n))
		variance := graph.MulScalar(columnSums(graph.Square(d)), 1/float64(n))
		a := graph.Div(gamma, graph.Sqrt(graph.AddScalar(variance, eps)))
		y = graph.Add(graph.Mul(d, broadcastRows(a, n)), broadcastRows(beta, n))
		l.updateRunning(meanVar, varVar, mean, variance, n)
	}
	return graph.Reshape(y, shape.Dimensions...)
}

// updateRunning sets the graph values of the running statistics to PyTorch's update with
// this batch's mean and biased variance ([1, C]).
func (l Layer) updateRunning(meanVar, varVar *model.Variable, batchMean, batchVar *graph.Node, n int) {
	m := l.momentum()
	update := func(v *model.Variable, batch *graph.Node) {
		g := batch.Graph()
		old := v.NodeValue(g) // the previous call's update, if Apply ran before in g
		batch = graph.Reshape(graph.StopGradient(batch), v.Shape().Dimensions...)
		if batch.DType() != old.DType() {
			batch = graph.ConvertDType(batch, old.DType())
		}
		v.SetNodeValue(graph.Add(graph.MulScalar(old, 1-m), graph.MulScalar(batch, m)))
	}
	update(meanVar, batchMean)
	update(varVar, graph.MulScalar(batchVar, float64(n)/float64(n-1)))
}

// The two linear maps between [n, c] and [1, c] that batch norm needs, written as matrix
// products with a vector of ones: on the pure-Go backend ReduceSum over the rows and
// implicitly broadcasting binary ops go through per-element index iterators, and a matmul
// is several times faster. They are each other's transpose, and each one's gradient is
// set to the other (via IdentityWithCustomGradient): the default gradient of a matmul
// transposes the [n, c] operand, which again is slow. The result is exact at any order of
// differentiation (gradient penalties included), since both maps are linear.

// columnSums returns the sums of the rows of x [n, c], shaped [1, c].
func columnSums(x *graph.Node) *graph.Node {
	n := x.Shape().Dim(0)
	ones := graph.Ones(x.Graph(), shapes.Make(x.DType(), 1, n))
	return linearWithGradient(x, func(x *graph.Node) *graph.Node { return graph.MatMul(ones, x) },
		func(v *graph.Node) *graph.Node { return broadcastRows(v, n) })
}

// broadcastRows returns v [1, c] repeated in n rows, shaped [n, c].
func broadcastRows(v *graph.Node, n int) *graph.Node {
	ones := graph.Ones(v.Graph(), shapes.Make(v.DType(), n, 1))
	return linearWithGradient(v, func(v *graph.Node) *graph.Node { return graph.MatMul(ones, v) }, columnSums)
}

// linearWithGradient returns f(x) for a linear f whose gradient (vector-Jacobian product)
// is transpose. The adjoint arriving at f(x) is captured by an identity on the output and
// handed to an identity on the input, which the reverse pass visits later: the input
// identity's only consumer is f, so the adjoint reaching it is f's own.
func linearWithGradient(x *graph.Node, f, transpose func(*graph.Node) *graph.Node) *graph.Node {
	var adjoint *graph.Node
	in := graph.IdentityWithCustomGradient(x, func(_, v *graph.Node) *graph.Node {
		if adjoint == nil {
			return v // no adjoint captured (not expected): v, the default gradient, is also right
		}
		grad := transpose(adjoint)
		adjoint = nil
		return grad
	})
	return graph.IdentityWithCustomGradient(f(in), func(_, v *graph.Node) *graph.Node {
		adjoint = v
		return v
	})
}
