package conv

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

// variable returns the flat values and dimensions of the variable name in scope.
func variable(t *testing.T, scope *model.Scope, name string) ([]float32, []int) {
	t.Helper()
	v := scope.GetVariable(name)
	if v == nil {
		t.Fatalf("no variable %q in scope %q", name, scope.Scope())
	}
	value, err := v.Value()
	if err != nil {
		t.Fatal(err)
	}
	return tensors.MustCopyFlatData[float32](value), value.Shape().Dimensions
}

func initLayer(t *testing.T, l Layer, seed uint64) *model.Scope {
	t.Helper()
	scope := model.NewStore().RootScope().At("conv")
	if err := l.Init(scope, newRand(seed)); err != nil {
		t.Fatal(err)
	}
	return scope
}

func TestLayerInit(t *testing.T) {
	l := Layer{In: 3, Out: 8, Kernel: 4, Stride: 2, Pad: 1}
	scope := initLayer(t, l, 1)
	bound := float32(l.Bound())
	if want := float32(1 / 6.928203230275509); bound != want { // 1/sqrt(3·4·4)
		t.Errorf("Bound() = %g, want %g", bound, want)
	}
	kernel, kDims := variable(t, scope, "kernel")
	bias, bDims := variable(t, scope, "bias")
	if !slices.Equal(kDims, []int{4, 4, 3, 8}) || !slices.Equal(bDims, []int{8}) {
		t.Errorf("kernel %v and bias %v, want [4 4 3 8] and [8]", kDims, bDims)
	}
	var minV, maxV float32
	for _, v := range append(slices.Clone(kernel), bias...) {
		if v < -bound || v > bound {
			t.Fatalf("value %g outside ±%g", v, bound)
		}
		minV, maxV = min(minV, v), max(maxV, v)
	}
	if minV > -bound/2 || maxV < bound/2 {
		t.Errorf("values span [%g, %g], want them spread over ±%g", minV, maxV, bound)
	}

	// Deterministic for a seed, different for another.
	again := initLayer(t, l, 1)
	other := initLayer(t, l, 2)
	k2, _ := variable(t, again, "kernel")
	b2, _ := variable(t, again, "bias")
	k3, _ := variable(t, other, "kernel")
	if !slices.Equal(kernel, k2) || !slices.Equal(bias, b2) {
		t.Error("Init with the same seed gave different values")
	}
	if slices.Equal(kernel, k3) {
		t.Error("Init with another seed gave the same kernel")
	}

	// Existing variables are left alone; a wrong shape is an error.
	if err := l.Init(scope, newRand(9)); err != nil {
		t.Fatal(err)
	}
	if k4, _ := variable(t, scope, "kernel"); !slices.Equal(kernel, k4) {
		t.Error("a second Init changed the existing kernel")
	}
	wrong := Layer{In: 3, Out: 4, Kernel: 4, Stride: 2, Pad: 1}
	if err := wrong.Init(scope, newRand(1)); err == nil || !strings.Contains(err.Error(), "kernel") {
		t.Errorf("Init over a kernel of another shape: error %v, want one naming the kernel", err)
	}

	// NoBias creates no bias.
	nb := initLayer(t, Layer{In: 2, Out: 2, Kernel: 3, Stride: 1, Pad: 1, NoBias: true}, 1)
	if nb.GetVariable("bias") != nil {
		t.Error("NoBias layer has a bias variable")
	}
}

func TestLayerValidate(t *testing.T) {
	good := Layer{In: 1, Out: 32, Kernel: 4, Stride: 2, Pad: 1}
	if err := good.Validate(); err != nil {
		t.Errorf("Validate(%+v) = %v", good, err)
	}
	for _, tc := range []struct {
		l    Layer
		want string
	}{
		{Layer{In: 0, Out: 32, Kernel: 4, Stride: 2}, "channels"},
		{Layer{In: 1, Out: 0, Kernel: 4, Stride: 2}, "channels"},
		{Layer{In: 1, Out: 32, Kernel: 0, Stride: 2}, "kernel"},
		{Layer{In: 1, Out: 32, Kernel: 4}, "stride"},
		{Layer{In: 1, Out: 32, Kernel: 4, Stride: 1, Pad: -1}, "padding"},
		{Layer{In: 1, Out: 32, Kernel: 3, Stride: 1, Pad: 1, Upsample: -1}, "upsampling"},
		{Layer{In: 1, Out: 32, Kernel: 3, Stride: 2, Pad: 1, Upsample: 2}, "Stride 1"},
		{Layer{In: 1, Out: 32, Kernel: 4, Stride: 1, Pad: 1, Upsample: 2}, "size-preserving"},
	} {
		err := tc.l.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error about %s", tc.l, err, tc.want)
		}
		if err := tc.l.Init(model.NewStore().RootScope(), newRand(1)); err == nil {
			t.Errorf("Init(%+v) accepted an invalid layer", tc.l)
		}
	}
}

func TestLayerOutSize(t *testing.T) {
	for _, tc := range []struct {
		l       Layer
		h, want int
	}{
		{Layer{In: 1, Out: 1, Kernel: 4, Stride: 2, Pad: 1}, 28, 14},
		{Layer{In: 1, Out: 1, Kernel: 4, Stride: 2, Pad: 1}, 14, 7},
		{Layer{In: 1, Out: 1, Kernel: 3, Stride: 1, Pad: 1}, 14, 14},
		{Layer{In: 1, Out: 1, Kernel: 5, Stride: 3, Pad: 0}, 11, 3},
		{Layer{In: 1, Out: 1, Kernel: 5, Stride: 1, Pad: 0}, 4, 0},
		{Layer{In: 1, Out: 1, Kernel: 3, Stride: 1, Pad: 1, Upsample: 2}, 7, 14},
		{Layer{In: 1, Out: 1, Kernel: 3, Stride: 1, Pad: 1, Upsample: 1}, 7, 7},
	} {
		if got := tc.l.OutSize(tc.h); got != tc.want {
			t.Errorf("%+v.OutSize(%d) = %d, want %d", tc.l, tc.h, got, tc.want)
		}
	}
}

// TestLayerApply checks Apply against the loop reference plus the bias, and its shape.
func TestLayerApply(t *testing.T) {
	for _, l := range []Layer{
		{In: 3, Out: 5, Kernel: 4, Stride: 2, Pad: 1},
		{In: 2, Out: 3, Kernel: 3, Stride: 1, Pad: 1, NoBias: true},
	} {
		scope := initLayer(t, l, 3)
		c := convCase{batch: 2, h: 9, w: 6, in: l.In, out: l.Out, k: l.Kernel, s: l.Stride, pad: l.Pad}
		x, _, _ := caseInputs(c, 5)
		exec, err := model.NewExec(testBackend(t), scope.Store(), func(root *model.Scope, x *graph.Node) *graph.Node {
			return l.Apply(root.At("conv"), x)
		})
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Call(x)
		exec.Finalize()
		if err != nil {
			t.Fatal(err)
		}
		ho, wo := c.outSize()
		if dims := out[0].Shape().Dimensions; !slices.Equal(dims, []int{2, l.OutSize(9), l.OutSize(6), l.Out}) || ho != l.OutSize(9) || wo != l.OutSize(6) {
			t.Errorf("%+v: output %v, want [2 %d %d %d]", l, dims, ho, wo, l.Out)
		}
		kernel, _ := variable(t, scope, "kernel")
		want, _, _ := refConv(c, tensors.MustCopyFlatData[float32](x), kernel, make([]float32, 2*ho*wo*l.Out))
		if !l.NoBias {
			bias, _ := variable(t, scope, "bias")
			for i := range want {
				want[i] += bias[i%l.Out]
			}
		}
		if e := relErr(tensors.MustCopyFlatData[float32](out[0]), want); e > tolerance {
			t.Errorf("%+v: Apply differs from convolution + bias, relative error %.3g", l, e)
		}
	}
}

// An upsampling layer is the convolution of the upsampled input, plus the bias.
func TestLayerApplyUpsample(t *testing.T) {
	l := Layer{In: 3, Out: 2, Kernel: 3, Stride: 1, Pad: 1, Upsample: 2}
	scope := initLayer(t, l, 4)
	x := randTensor(rand.New(rand.NewPCG(4, 4)), 2, 5, 4, l.In)
	exec, err := model.NewExec(testBackend(t), scope.Store(), func(root *model.Scope, x *graph.Node) []*graph.Node {
		s := root.At("conv")
		k, b := s.GetVariable("kernel").NodeValue(x.Graph()), s.GetVariable("bias").NodeValue(x.Graph())
		want := graph.Add(Conv2D(Upsample(x, 2), k, 1, 1), graph.Reshape(b, 1, 1, 1, l.Out))
		return []*graph.Node{l.Apply(s, x), want}
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Call(x)
	exec.Finalize()
	if err != nil {
		t.Fatal(err)
	}
	if dims := out[0].Shape().Dimensions; !slices.Equal(dims, []int{2, l.OutSize(5), l.OutSize(4), l.Out}) {
		t.Errorf("output %v, want [2 10 8 2]", dims)
	}
	if e := relErr(tensors.MustCopyFlatData[float32](out[0]), tensors.MustCopyFlatData[float32](out[1])); e > tolerance {
		t.Errorf("Apply with Upsample differs from Conv2D(Upsample(x)) + bias: relative error %.3g", e)
	}
}

func TestLayerApplyPanics(t *testing.T) {
	l := Layer{In: 3, Out: 5, Kernel: 3, Stride: 1, Pad: 1}
	for _, tc := range []struct {
		name, want string
		scope      *model.Scope
		channels   int
	}{
		{"no Init", "Init", model.NewStore().RootScope().At("conv"), 3},
		{"wrong channels", "channels", initLayer(t, l, 1), 4},
	} {
		err := catch(func() {
			g := graph.NewGraph(testBackend(t), "panics")
			defer g.Finalize()
			l.Apply(tc.scope, graph.Zeros(g, shapes.Make(dtypes.Float32, 2, 8, 8, tc.channels)))
		})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: panic %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

func TestReceptiveField(t *testing.T) {
	k := func(kernel, stride int) Layer {
		return Layer{In: 1, Out: 1, Kernel: kernel, Stride: stride, Pad: kernel / 2}
	}
	for _, c := range []struct {
		name   string
		layers []Layer
		want   int
	}{
		{"none", nil, 1},
		{"one 3×3", []Layer{k(3, 1)}, 3},
		{"two 3×3", []Layer{k(3, 1), k(3, 1)}, 5},
		{"PatchGAN at 28×28", []Layer{k(4, 2), k(4, 2), k(3, 1)}, 18},
		// pix2pix's 70×70 PatchGAN: 4×4 convolutions with strides 2, 2, 2, 1, 1.
		{"the paper's 70×70", []Layer{k(4, 2), k(4, 2), k(4, 2), k(4, 1), k(4, 1)}, 70},
		{"stride after", []Layer{k(3, 1), k(2, 2)}, 4},
	} {
		got, err := ReceptiveField(c.layers)
		if err != nil || got != c.want {
			t.Errorf("%s: ReceptiveField = %d, %v; want %d", c.name, got, err, c.want)
		}
	}
	up := Layer{In: 1, Out: 1, Kernel: 3, Stride: 1, Pad: 1, Upsample: 2}
	if _, err := ReceptiveField([]Layer{k(3, 1), up}); err == nil || !strings.Contains(err.Error(), "layer 1 upsamples") {
		t.Errorf("upsampling layer: error %v", err)
	}
	if _, err := ReceptiveField([]Layer{{In: 1, Out: 1, Kernel: 3}}); err == nil || !strings.Contains(err.Error(), "stride") {
		t.Errorf("invalid layer: error %v", err)
	}
}
