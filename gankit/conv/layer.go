package conv

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Layer is a convolution layer, as PyTorch's nn.Conv2d(In, Out, Kernel, stride=Stride,
// padding=Pad, bias=!NoBias): a k×k kernel (k = Kernel) from In to Out channels on
// channels-last images [batch, height, width, In], plus a bias per output channel.
//
// With Upsample > 1 the input is first upsampled by that factor (nearest neighbour, as
// PyTorch's nn.Upsample(scale_factor=Upsample) before the nn.Conv2d), computed by
// UpsampleConv2D without building the upsampled image; this needs Stride 1 and a
// size-preserving kernel (odd Kernel, Pad = (Kernel-1)/2).
type Layer struct {
	In, Out     int // channels
	Kernel      int // kernel size k (square)
	Stride, Pad int // Stride >= 1, Pad >= 0 zeros on every side
	NoBias      bool
	Upsample    int // 0 or 1: none; f > 1: nearest-neighbour upsampling by f before the convolution
}

// Validate reports impossible layer sizes.
func (l Layer) Validate() error {
	switch {
	case l.In < 1 || l.Out < 1:
		return fmt.Errorf("conv: Layer needs input and output channels >= 1, got %d -> %d", l.In, l.Out)
	case l.Kernel < 1:
		return fmt.Errorf("conv: Layer needs a kernel size >= 1, got %d", l.Kernel)
	case l.Stride < 1:
		return fmt.Errorf("conv: Layer needs a stride >= 1, got %d (set Stride: 1 for an unstrided convolution)", l.Stride)
	case l.Pad < 0:
		return fmt.Errorf("conv: Layer needs a padding >= 0, got %d", l.Pad)
	case l.Upsample < 0:
		return fmt.Errorf("conv: Layer needs an upsampling factor >= 0 (0 or 1 for none), got %d", l.Upsample)
	case l.Upsample > 1 && (l.Stride != 1 || 2*l.Pad != l.Kernel-1):
		return fmt.Errorf("conv: Layer with Upsample %d needs Stride 1 and a size-preserving kernel (odd Kernel, Pad = (Kernel-1)/2), got Kernel %d, Stride %d, Pad %d", l.Upsample, l.Kernel, l.Stride, l.Pad)
	}
	return nil
}

// OutSize is the spatial size of the output for an input of size h (height or width):
// (u·h + 2·Pad - Kernel)/Stride + 1 with u = max(Upsample, 1), or 0 when the padded input
// is smaller than the kernel.
func (l Layer) OutSize(h int) int {
	h *= max(l.Upsample, 1)
	if l.Stride < 1 || h+2*l.Pad < l.Kernel {
		return 0
	}
	return (h+2*l.Pad-l.Kernel)/l.Stride + 1
}

// Bound is the half-width of the uniform initialisation of kernel and bias:
// 1/sqrt(In·Kernel·Kernel), PyTorch's default for nn.Conv2d.
func (l Layer) Bound() float64 {
	return 1 / math.Sqrt(float64(l.In*l.Kernel*l.Kernel))
}

// Init creates the layer's variables in scope: "kernel" [Kernel, Kernel, In, Out] and, unless
// NoBias, "bias" [Out], uniform in ±Bound() (PyTorch's nn.Conv2d default), drawn from rng
// (kernel first, in its flat order, then bias). Variables that already exist are left as
// they are; it is an error if their shape is not the layer's.
func (l Layer) Init(scope *model.Scope, rng *rand.Rand) error {
	if err := l.Validate(); err != nil {
		return err
	}
	bound := l.Bound()
	vars := []struct {
		name string
		dims []int
	}{{"kernel", []int{l.Kernel, l.Kernel, l.In, l.Out}}}
	if !l.NoBias {
		vars = append(vars, struct {
			name string
			dims []int
		}{"bias", []int{l.Out}})
	}
	for _, v := range vars {
		if existing := scope.GetVariable(v.name); existing != nil {
			if s := existing.Shape(); s.DType != dtypes.Float32 || !slices.Equal(s.Dimensions, v.dims) {
				return fmt.Errorf("conv: variable %q in scope %q is %s, but the layer needs (Float32)%v", v.name, scope.Scope(), s, v.dims)
			}
			continue
		}
		n := 1
		for _, d := range v.dims {
			n *= d
		}
		values := make([]float32, n)
		for i := range values {
			values[i] = float32((2*rng.Float64() - 1) * bound)
		}
		if _, err := scope.CreateVariable(v.name, tensors.FromFlatDataAndDimensions(values, v.dims...)); err != nil {
			return fmt.Errorf("conv: creating variable %q in scope %q: %w", v.name, scope.Scope(), err)
		}
	}
	return nil
}

// Apply builds the layer on x [batch, height, width, In]: Conv2D(x, kernel, Stride, Pad)
// plus the bias, shaped [batch, OutSize(height), OutSize(width), Out]. It is a
// graph-building function: it panics (GoMLX style) if Init was not called on scope or x
// does not fit the layer. It only reads the variables, so it may be called any number of
// times in one graph.
func (l Layer) Apply(scope *model.Scope, x *graph.Node) *graph.Node {
	if err := l.Validate(); err != nil {
		panic(err)
	}
	if x.Rank() != 4 || x.Shape().Dim(3) != l.In {
		panic(fmt.Errorf("conv: Layer %d -> %d channels needs x shaped [batch, height, width, %d], got %s", l.In, l.Out, l.In, x.Shape()))
	}
	kv := scope.GetVariable("kernel")
	if kv == nil {
		panic(fmt.Errorf("conv: no variable \"kernel\" in scope %q: call Layer.Init first", scope.Scope()))
	}
	var y *graph.Node
	if l.Upsample > 1 {
		y = UpsampleConv2D(x, kv.NodeValue(x.Graph()), l.Upsample, l.Pad)
	} else {
		y = Conv2D(x, kv.NodeValue(x.Graph()), l.Stride, l.Pad)
	}
	if l.NoBias {
		return y
	}
	bv := scope.GetVariable("bias")
	if bv == nil {
		panic(fmt.Errorf("conv: no variable \"bias\" in scope %q: call Layer.Init first (or set NoBias)", scope.Scope()))
	}
	return graph.Add(y, graph.Reshape(bv.NodeValue(x.Graph()), 1, 1, 1, l.Out))
}

// ReceptiveField is the side of the square of input pixels that one output of a stack of
// layers (applied in order) depends on: working back from one output, each layer widens
// it to (r - 1)·Stride + Kernel. PatchGAN's three layers, for example (4×4 stride 2, 4×4
// stride 2, 3×3 stride 1), give 18: each of its logits judges an 18×18 patch. Layers that
// upsample are refused: there one output depends on a fraction of a pixel's worth of
// kernel, which this formula does not describe.
func ReceptiveField(layers []Layer) (int, error) {
	r := 1
	for i := len(layers) - 1; i >= 0; i-- {
		l := layers[i]
		if err := l.Validate(); err != nil {
			return 0, fmt.Errorf("conv: ReceptiveField: layer %d: %w", i, err)
		}
		if l.Upsample > 1 {
			return 0, fmt.Errorf("conv: ReceptiveField: layer %d upsamples by %d; only convolutions without upsampling are supported", i, l.Upsample)
		}
		r = (r-1)*l.Stride + l.Kernel
	}
	return r, nil
}
