package imagegan

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/batchnorm"
	"github.com/gankit/kit/gankit/conv"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/nets"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Scope names of the networks inside the Trainer's model.Store. The Q head lives inside
// the discriminator's scope, so D's optimizer trains it with D's body.
const (
	GeneratorScope     = "generator"
	DiscriminatorScope = "discriminator"
	QScope             = "q"
)

// Side is the side of the networks' images, mnist.Side: they take and make 28×28 grey
// images, flat [n, 28, 28, 1] arrays of mnist.Pixels values each.
const Side = mnist.Side

// networks are the layers of G, D and Q for one Config.
type networks struct {
	cfg Config

	gDense       nets.MLP
	gBN1, gBN2   batchnorm.Layer
	gConv1       conv.Layer
	gConv2       conv.Layer
	dConv1       conv.Layer
	dConv2       conv.Layer
	dBN          batchnorm.Layer
	dDense, qOut nets.MLP
}

func newNetworks(cfg Config) *networks {
	gw, dw := cfg.GWidth, cfg.DWidth
	dIn := 1
	if cfg.Mode == Conditional {
		dIn += cfg.Classes()
	}
	feat := 7 * 7 * 2 * dw
	n := &networks{
		cfg:    cfg,
		gDense: nets.MLP{In: cfg.NoiseDim + cfg.CondDim(), Out: 7 * 7 * gw},
		gBN1:   batchnorm.Layer{Channels: gw},
		gConv1: conv.Layer{In: gw, Out: gw / 2, Kernel: 3, Stride: 1, Pad: 1, Upsample: 2},
		gBN2:   batchnorm.Layer{Channels: gw / 2},
		gConv2: conv.Layer{In: gw / 2, Out: 1, Kernel: 3, Stride: 1, Pad: 1, Upsample: 2},
		dConv1: conv.Layer{In: dIn, Out: dw, Kernel: 4, Stride: 2, Pad: 1},
		dConv2: conv.Layer{In: dw, Out: 2 * dw, Kernel: 4, Stride: 2, Pad: 1},
		dBN:    batchnorm.Layer{Channels: 2 * dw},
		dDense: nets.MLP{In: feat, Out: 1},
	}
	if cfg.Mode == InfoGAN {
		n.qOut = nets.MLP{In: feat, Out: cfg.Categorical + cfg.Continuous}
	}
	return n
}

// init creates every variable: G's from gRng, D's (and Q's) from dRng.
func (n *networks) init(root *model.Scope, gRng, dRng *rand.Rand) error {
	gs, ds := root.At(GeneratorScope), root.At(DiscriminatorScope)
	for _, step := range []struct {
		what string
		err  func() error
	}{
		{"generator dense", func() error { return n.gDense.Init(gs.At("dense"), gRng) }},
		{"generator bn1", func() error { return n.gBN1.Init(gs.At("bn1")) }},
		{"generator conv1", func() error { return n.gConv1.Init(gs.At("conv1"), gRng) }},
		{"generator bn2", func() error { return n.gBN2.Init(gs.At("bn2")) }},
		{"generator conv2", func() error { return n.gConv2.Init(gs.At("conv2"), gRng) }},
		{"discriminator conv1", func() error { return n.dConv1.Init(ds.At("conv1"), dRng) }},
		{"discriminator conv2", func() error { return n.dConv2.Init(ds.At("conv2"), dRng) }},
		{"discriminator bn", func() error { return n.dBN.Init(ds.At("bn")) }},
		{"discriminator dense", func() error { return n.dDense.Init(ds.At("dense"), dRng) }},
	} {
		if err := step.err(); err != nil {
			return fmt.Errorf("imagegan: %s: %w", step.what, err)
		}
	}
	if n.cfg.Mode == InfoGAN {
		if err := n.qOut.Init(ds.At(QScope), dRng); err != nil {
			return fmt.Errorf("imagegan: Q head: %w", err)
		}
	}
	return nil
}

func relu(x *Node) *Node  { return nets.Rectify(x, 0) }
func leaky(x *Node) *Node { return nets.Rectify(x, nets.LeakySlope) }

// generator builds G on its input [n, NoiseDim+CondDim] (noise, then the conditioning
// vector) and returns images [n, 28, 28, 1] in (-1, 1):
//
//	dense 7·7·GWidth, BN, ReLU -> nearest x2 + 3×3 conv GWidth/2, BN, ReLU -> nearest x2 + 3×3 conv 1, tanh
func (n *networks) generator(scope *model.Scope, in *Node) *Node {
	x := n.gDense.Apply(scope.At("dense"), in)
	x = Reshape(x, -1, 7, 7, n.cfg.GWidth)
	x = relu(n.gBN1.Apply(scope.At("bn1"), x))
	x = n.gConv1.Apply(scope.At("conv1"), x)
	x = relu(n.gBN2.Apply(scope.At("bn2"), x))
	return Tanh(n.gConv2.Apply(scope.At("conv2"), x))
}

// body builds D's convolutional body on images [n, 28, 28, 1] and returns its features
// [n, 7·7·2·DWidth]. In Conditional mode label [n, Classes] (one-hot) is appended to the
// image as Classes constant channels (see conditionalConv1); otherwise label is ignored
// (it may be nil).
//
//	4×4/2 conv DWidth, LeakyReLU -> 4×4/2 conv 2·DWidth, BN, LeakyReLU -> flatten
func (n *networks) body(scope *model.Scope, x, label *Node) *Node {
	if n.cfg.Mode == Conditional {
		x = leaky(n.conditionalConv1(scope.At("conv1"), x, label))
	} else {
		x = leaky(n.dConv1.Apply(scope.At("conv1"), x))
	}
	x = leaky(n.dBN.Apply(scope.At("bn"), n.dConv2.Apply(scope.At("conv2"), x)))
	return Reshape(x, -1, 7*7*2*n.cfg.DWidth)
}

// conditionalConv1 is D's first convolution, conv.Layer{In: 1+Classes}, applied to the
// image with Classes label channels appended (channel 1+k all ones for images of class k,
// zeros otherwise), computed without building those channels. The convolution is linear
// in its input, so it splits into the image's part (the kernel's first input channel,
// exactly the unconditional D's convolution) and the labels' part. The labels' part of an
// image of class k is the convolution of the constant map of class k, the same for every
// image of that class: the Classes maps are convolved once per step (a batch of Classes
// images instead of the batch's n, with Classes channels), and each image picks its map
// by a product with its one-hot label. The result equals the convolution of the
// concatenated input (TestConditionalConvIsConcatenation), at a fraction of its cost on
// the pure-Go backend: the concatenation builds n·28·28·Classes inputs and its gradient
// slices them back.
func (n *networks) conditionalConv1(scope *model.Scope, x, label *Node) *Node {
	g := x.Graph()
	l := n.dConv1
	k := l.In - 1
	kernel := scope.GetVariable("kernel").NodeValue(g) // [4, 4, 1+k, DWidth]
	kx := Slice(kernel, AxisRange(), AxisRange(), AxisRange(0, 1), AxisRange())
	kl := Slice(kernel, AxisRange(), AxisRange(), AxisRange(1), AxisRange())
	y := conv.Conv2D(x, kx, l.Stride, l.Pad)
	// maps[c] is the convolution of class c's constant label channels.
	eye := make([]float32, k*mnist.Pixels*k)
	for c := range k {
		for p := range mnist.Pixels {
			eye[(c*mnist.Pixels+p)*k+c] = 1
		}
	}
	maps := conv.Conv2D(Const(g, tensors.FromFlatDataAndDimensions(eye, k, mnist.Side, mnist.Side, k)), kl, l.Stride, l.Pad)
	dims := y.Shape().Dimensions // [n, 14, 14, DWidth]
	per := dims[1] * dims[2] * dims[3]
	y = Add(y, Reshape(MatMul(label, Reshape(maps, k, per)), dims...))
	bias := scope.GetVariable("bias").NodeValue(g)
	return Add(y, Reshape(bias, 1, 1, 1, l.Out))
}

// logit is D's real/fake head on the body's features: [n, 1].
func (n *networks) logit(scope *model.Scope, features *Node) *Node {
	return n.dDense.Apply(scope.At("dense"), features)
}

// infoLoss is InfoGAN's L_I on the body's features of generated images and the codes
// [n, Categorical+Continuous] they were generated from (Categorical one-hot values, then
// Continuous values): the cross-entropy of Q's softmax against the categorical code plus
// the Gaussian negative log-likelihood, with unit variance and without its constant, of
// the continuous codes under Q's predicted means: ½·Σ(c - μ)², both averaged over the
// batch. Minimising it maximises the variational lower bound on I(c; G(z, c)) (up to the
// codes' fixed entropy).
func (n *networks) infoLoss(scope *model.Scope, features, codes *Node) *Node {
	return InfoLoss(n.qOut.Apply(scope.At(QScope), features), codes, n.cfg.Categorical, n.cfg.Continuous)
}

// InfoLoss is InfoGAN's mutual-information loss L_I as graph code, the one both training
// steps add: Q's output out [n, k+m] (k categorical logits, then m continuous means)
// against the codes [n, k+m] the images were generated from (k one-hot values, then m
// continuous values), the cross-entropy of the categorical code plus ½·Σ(c - μ)², both
// averaged over the batch: a scalar. k or m may be 0 (not both). Lesson 9 builds its
// InfoGAN step with it; InfoLossValue is the same loss of one sample on the host
// (TestInfoLossValue checks that they agree).
func InfoLoss(out, codes *Node, k, m int) *Node {
	batch := float64(out.Shape().Dimensions[0])
	var loss *Node
	addLoss := func(l *Node) {
		if loss == nil {
			loss = l
		} else {
			loss = Add(loss, l)
		}
	}
	if k > 0 {
		logits, target := out, codes
		if m > 0 {
			logits, target = Slice(out, AxisRange(), AxisRange(0, k)), Slice(codes, AxisRange(), AxisRange(0, k))
		}
		ce := Neg(ReduceAllSum(Mul(target, LogSoftmax(logits, -1))))
		addLoss(DivScalar(ce, batch))
	}
	if m > 0 {
		means, target := out, codes
		if k > 0 {
			means, target = Slice(out, AxisRange(), AxisRange(k)), Slice(codes, AxisRange(), AxisRange(k))
		}
		d := Sub(target, means)
		addLoss(DivScalar(ReduceAllSum(Mul(d, d)), 2*batch))
	}
	return loss
}

// InfoLossValue is InfoGAN's mutual-information loss L_I of one sample, computed on the
// host: Q's categorical logits and continuous means against the codes the sample was
// generated with (a categorical value in [0, len(logits)) and len(means) continuous
// values),
//
//	L_I = −log softmax(logits)[categorical] + ½·Σ_j (continuous_j − means_j)².
//
// Either part may be empty (no categorical code: nil logits; no continuous code: nil
// means and continuous). The trainer's Record.Info is its mean over a batch.
func InfoLossValue(logits []float64, categorical int, means, continuous []float64) (float64, error) {
	loss := 0.0
	if len(logits) > 0 {
		if categorical < 0 || categorical >= len(logits) {
			return 0, fmt.Errorf("imagegan: InfoLossValue: categorical value %d is outside [0, %d)", categorical, len(logits))
		}
		hi := logits[0]
		for _, l := range logits {
			hi = max(hi, l)
		}
		sum := 0.0
		for _, l := range logits {
			sum += math.Exp(l - hi)
		}
		loss += hi + math.Log(sum) - logits[categorical]
	}
	if len(means) != len(continuous) {
		return 0, fmt.Errorf("imagegan: InfoLossValue: %d means for %d continuous codes", len(means), len(continuous))
	}
	for j := range means {
		d := continuous[j] - means[j]
		loss += d * d / 2
	}
	return loss, nil
}

// GeneratorParams is the number of trainable values of the unconditional generator for
// noise of noiseDim values and GWidth gWidth (the lessons' defaults, 64 and 64, give
// 222,785): the dense layer's (noiseDim+1)·7·7·gWidth weights and biases, each batch
// norm's scale and shift per channel (2·gWidth, then 2·(gWidth/2)), and each 3×3
// convolution's 9·In·Out kernel and Out biases (gWidth -> gWidth/2, then gWidth/2 -> 1).
// Nearest-neighbour upsampling and the activations have no parameters, and batch norm's
// running statistics are not trained.
func GeneratorParams(noiseDim, gWidth int) int {
	half := gWidth / 2
	dense := (noiseDim + 1) * 7 * 7 * gWidth
	bn := 2*gWidth + 2*half
	convs := 9*gWidth*half + half + 9*half*1 + 1
	return dense + bn + convs
}
