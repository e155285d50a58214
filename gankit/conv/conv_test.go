package conv

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// convCase is one convolution of the equality tests.
type convCase struct {
	batch, h, w, in, out, k, s, pad int
}

func (c convCase) String() string {
	return fmt.Sprintf("b%d_%dx%d_%dto%d_k%d_s%d_p%d", c.batch, c.h, c.w, c.in, c.out, c.k, c.s, c.pad)
}

func (c convCase) outSize() (int, int) {
	return (c.h+2*c.pad-c.k)/c.s + 1, (c.w+2*c.pad-c.k)/c.s + 1
}

// convCases cover strides 1-3, pads 0-2, kernels 1/3/4/5, 1/3/8 channels in and out,
// non-square inputs, batch 1 and more, and sizes the strides do not divide.
var convCases = []convCase{
	{1, 5, 5, 1, 1, 3, 1, 1},
	{2, 6, 5, 3, 8, 3, 1, 1},
	{2, 7, 9, 3, 1, 3, 2, 0},
	{3, 8, 6, 8, 3, 4, 2, 1},
	{1, 9, 7, 1, 8, 5, 3, 2},
	{2, 6, 7, 8, 8, 1, 1, 0},
	{2, 5, 6, 3, 3, 1, 2, 2},
	{1, 10, 8, 3, 8, 5, 1, 2},
	{2, 6, 6, 8, 1, 4, 3, 1},
	{2, 4, 4, 1, 3, 4, 1, 0},
	{1, 3, 4, 3, 8, 5, 2, 2},
	{2, 9, 8, 8, 3, 3, 3, 2},
	{3, 7, 5, 1, 1, 5, 1, 0},
	{2, 8, 8, 3, 8, 4, 2, 2},
	// k·k·in <= out: im2col's input gradient takes one product (D's first layer).
	{2, 8, 8, 1, 16, 4, 2, 1},
	{1, 7, 6, 1, 9, 3, 2, 1},
	{2, 6, 5, 2, 20, 3, 1, 1},
	// Products of at least 4M multiply-adds take the layouts of the backend's large matmul
	// kernel (see large): forward [4096, 576]·[576, 64], input gradient per tap
	// [4096, 64]·[64, 64].
	{4, 32, 32, 64, 64, 3, 1, 1},
}

// refConv computes, with plain loops on the host, the convolution of x [b,h,w,in] with
// kernel [k,k,in,out] and the gradients of sum(out·v) w.r.t. x and kernel.
func refConv(c convCase, x, kernel, v []float32) (out, gx, gk []float32) {
	ho, wo := c.outSize()
	out = make([]float32, c.batch*ho*wo*c.out)
	gx = make([]float32, len(x))
	gk = make([]float32, len(kernel))
	for b := range c.batch {
		for oh := range ho {
			for ow := range wo {
				for i := range c.k {
					ih := oh*c.s + i - c.pad
					for j := range c.k {
						iw := ow*c.s + j - c.pad
						if ih < 0 || ih >= c.h || iw < 0 || iw >= c.w {
							continue
						}
						for ci := range c.in {
							xi := ((b*c.h+ih)*c.w+iw)*c.in + ci
							for co := range c.out {
								ki := ((i*c.k+j)*c.in+ci)*c.out + co
								oi := ((b*ho+oh)*wo+ow)*c.out + co
								out[oi] += x[xi] * kernel[ki]
								gx[xi] += v[oi] * kernel[ki]
								gk[ki] += v[oi] * x[xi]
							}
						}
					}
				}
			}
		}
	}
	return out, gx, gk
}

// results are the output and the gradients w.r.t. x and kernel.
type results [3][]float32

var resultNames = [3]string{"output", "gradient w.r.t. x", "gradient w.r.t. kernel"}

// caseInputs returns random x, kernel and loss weights v for c.
func caseInputs(c convCase, seed uint64) (x, kernel, v *tensors.Tensor) {
	rng := rand.New(rand.NewPCG(seed, 7))
	ho, wo := c.outSize()
	return randTensor(rng, c.batch, c.h, c.w, c.in), randTensor(rng, c.k, c.k, c.in, c.out), randTensor(rng, c.batch, ho, wo, c.out)
}

// run runs fn on c's inputs (fn == nil: the loop reference).
func run(t *testing.T, fn convFn, c convCase) results {
	t.Helper()
	x, kernel, v := caseInputs(c, 1)
	if fn == nil {
		o, gx, gk := refConv(c, tensors.MustCopyFlatData[float32](x), tensors.MustCopyFlatData[float32](kernel), tensors.MustCopyFlatData[float32](v))
		return results{o, gx, gk}
	}
	exec := gradExec(testBackend(t), fn, v, c.s, c.pad)
	defer exec.Finalize()
	var res results
	for i, o := range exec.MustCall(x, kernel) {
		res[i] = tensors.MustCopyFlatData[float32](o)
		o.FinalizeAll()
	}
	return res
}

// relErr is max|got-want| / max|want|.
func relErr(got, want []float32) float64 {
	if len(got) != len(want) {
		return math.Inf(1)
	}
	var maxDiff, maxRef float64
	for i := range got {
		maxDiff = max(maxDiff, math.Abs(float64(got[i])-float64(want[i])))
		maxRef = max(maxRef, math.Abs(float64(want[i])))
	}
	if maxRef == 0 {
		return maxDiff
	}
	return maxDiff / maxRef
}

const tolerance = 1e-4

func checkClose(t *testing.T, what string, got, want results, which ...int) {
	t.Helper()
	if len(which) == 0 {
		which = []int{0, 1, 2}
	}
	for _, i := range which {
		if e := relErr(got[i], want[i]); e > tolerance || math.IsNaN(e) {
			t.Errorf("%s: %s differs, relative error %.3g > %g", what, resultNames[i], e, tolerance)
		}
	}
}

func TestPatchesMatchReference(t *testing.T) {
	for _, c := range convCases {
		want := run(t, nil, c)
		for _, m := range []method{methodAuto, methodIm2col, methodCol2im} {
			checkClose(t, fmt.Sprintf("%s Patches2D (%s)", c, m), run(t, methodFn(m), c), want)
		}
	}
}

// TestConv2DMatchesReference checks what layers call, on the default backend: on XLA the
// native convolution for odd kernels and Patches2D for even ones.
func TestConv2DMatchesReference(t *testing.T) {
	b := testBackend(t)
	for _, c := range convCases {
		algorithm := AlgorithmNative
		if usePatches(isGoBackend(b), c.k, c.pad) {
			algorithm = AlgorithmPatches
		}
		checkClose(t, fmt.Sprintf("%s Conv2D (%s on %s)", c, algorithm, b.Name()), run(t, Conv2D, c), run(t, nil, c))
	}
}

func TestPatchesMatchNative(t *testing.T) {
	for _, c := range convCases {
		got := run(t, Patches2D, c)
		if !NativeGradientOK(c.k, c.pad) {
			// Native2D's input gradient is wrong or panics here: compare the rest by hand.
			native := computeNativeForward(t, c)
			if native[2] == nil {
				checkClose(t, c.String()+" Patches2D vs Native2D", got, native, 0)
			} else {
				checkClose(t, c.String()+" Patches2D vs Native2D", got, native, 0, 2)
			}
			continue
		}
		checkClose(t, c.String()+" Patches2D vs Native2D", got, run(t, Native2D, c))
	}
}

// computeNativeForward is Native2D's output, and its kernel gradient when GoMLX can build
// it (its convolution gradient builds both gradients and panics where x's is impossible).
func computeNativeForward(t *testing.T, c convCase) results {
	t.Helper()
	x, kernel, v := caseInputs(c, 1)
	var res results
	for _, withGrad := range []bool{true, false} {
		err := catch(func() {
			exec := graph.MustNewExec(testBackend(t), func(x, kernel *graph.Node) []*graph.Node {
				out := Native2D(x, kernel, c.s, c.pad)
				if !withGrad {
					return []*graph.Node{out}
				}
				loss := graph.ReduceAllSum(graph.Mul(out, graph.Const(x.Graph(), v)))
				return []*graph.Node{out, graph.Gradient(loss, kernel)[0]}
			})
			defer exec.Finalize()
			outs := exec.MustCall(x, kernel)
			res[0] = tensors.MustCopyFlatData[float32](outs[0])
			if withGrad {
				res[2] = tensors.MustCopyFlatData[float32](outs[1])
			}
		})
		if err == nil {
			return res
		}
	}
	t.Fatalf("%s: Native2D failed without gradients", c)
	return res
}

// TestNativeGradientOK checks NativeGradientOK's claims about GoMLX's convolution
// gradient: right where it says so, wrong (or panicking) for an even kernel. If this fails
// on the even kernel, GoMLX fixed the bug: update NativeGradientOK.
func TestNativeGradientOK(t *testing.T) {
	for _, c := range convCases {
		if NativeGradientOK(c.k, c.pad) {
			checkClose(t, c.String()+" Native2D vs reference", run(t, Native2D, c), run(t, nil, c))
		}
	}
	c := convCase{2, 8, 8, 3, 4, 4, 2, 1}
	want := run(t, nil, c)
	var got results
	func() {
		defer func() { _ = recover() }()
		got = run(t, Native2D, c)
	}()
	if got[1] != nil && relErr(got[1], want[1]) <= tolerance {
		t.Errorf("%s: Native2D's gradient w.r.t. x is now right for an even kernel: GoMLX fixed its bug, update NativeGradientOK", c)
	}
}

// TestSecondOrder differentiates a gradient penalty, as WGAN-GP does: the gradients w.r.t.
// kernel and x of sum((dL/dx)²), with L = sum(tanh(conv(x))·v). The reference is
// autodiffIm2col, the same patches with gradients by autodiff: Native2D cannot be one,
// GoMLX does not differentiate its own convolution gradient (it uses input dilation).
func TestSecondOrder(t *testing.T) {
	for _, c := range []convCase{{2, 7, 6, 3, 4, 3, 1, 1}, {2, 7, 6, 3, 4, 3, 2, 1}, {2, 8, 7, 4, 1, 4, 2, 1}} {
		x, kernel, v := caseInputs(c, 3)
		run := func(fn convFn) results {
			exec := graph.MustNewExec(testBackend(t), func(x, kernel *graph.Node) []*graph.Node {
				out := fn(x, kernel, c.s, c.pad)
				loss := graph.ReduceAllSum(graph.Mul(graph.Tanh(out), graph.Const(x.Graph(), v)))
				gx := graph.Gradient(loss, x)[0]
				penalty := graph.ReduceAllSum(graph.Square(gx))
				g2 := graph.Gradient(penalty, kernel, x)
				return []*graph.Node{gx, g2[0], g2[1]}
			})
			defer exec.Finalize()
			var res results
			for i, o := range exec.MustCall(x, kernel) {
				res[i] = tensors.MustCopyFlatData[float32](o)
			}
			return res
		}
		want := run(autodiffIm2col)
		for _, m := range []method{methodIm2col, methodCol2im} {
			got := run(methodFn(m))
			for i, name := range []string{"dL/dx", "d penalty/d kernel", "d penalty/d x"} {
				if e := relErr(got[i], want[i]); e > 1e-3 {
					t.Errorf("%s %s: %s: relative error %.3g against autodiffIm2col", c, m, name, e)
				}
			}
		}
	}
}

// TestSharedKernel applies one kernel twice in a graph (as a GAN applies D to real and
// generated images) and checks the summed gradients.
func TestSharedKernel(t *testing.T) {
	c := convCase{2, 6, 6, 3, 5, 3, 1, 1}
	x, kernel, v := caseInputs(c, 4)
	run := func(fn convFn) results {
		exec := graph.MustNewExec(testBackend(t), func(x, kernel *graph.Node) []*graph.Node {
			wv := graph.Const(x.Graph(), v)
			a := graph.ReduceAllSum(graph.Mul(fn(x, kernel, c.s, c.pad), wv))
			b := graph.ReduceAllSum(graph.Mul(fn(graph.Neg(graph.Square(x)), kernel, c.s, c.pad), wv))
			loss := graph.Add(graph.Mul(a, b), b)
			g := graph.Gradient(loss, x, kernel)
			return []*graph.Node{loss, g[0], g[1]}
		})
		defer exec.Finalize()
		var res results
		for i, o := range exec.MustCall(x, kernel) {
			res[i] = tensors.MustCopyFlatData[float32](o)
		}
		return res
	}
	checkClose(t, "two applications", run(Patches2D), run(Native2D))
}

func TestConv2DSelection(t *testing.T) {
	for _, tc := range []struct {
		goBackend bool
		k, pad    int
		want      bool
	}{
		{true, 3, 1, true}, {true, 4, 1, true}, {true, 1, 0, true},
		{false, 3, 1, false}, {false, 5, 2, false}, {false, 1, 0, false},
		{false, 4, 1, true}, {false, 3, 3, true},
	} {
		if got := usePatches(tc.goBackend, tc.k, tc.pad); got != tc.want {
			t.Errorf("usePatches(goBackend=%v, k=%d, pad=%d) = %v, want %v", tc.goBackend, tc.k, tc.pad, got, tc.want)
		}
	}
	if gb := testGoBackend(t); !isGoBackend(gb) {
		t.Errorf("isGoBackend(%q / %q) = false", gb.String(), gb.Name())
	}

	// On the pure-Go backend, Conv2D builds no convolution op; Native2D does.
	g := graph.NewGraph(testGoBackend(t), "selection")
	defer g.Finalize()
	if a := Algorithm(g, 3, 1); a != AlgorithmPatches {
		t.Errorf("Algorithm on the %q backend = %q, want %q", g.Backend().Name(), a, AlgorithmPatches)
	}
	x := graph.Parameter(g, "x", shapes.Make(dtypes.Float32, 2, 8, 8, 3))
	kernel := graph.Parameter(g, "kernel", shapes.Make(dtypes.Float32, 3, 3, 3, 4))
	countConv := func() int {
		n := 0
		for _, node := range g.Nodes() {
			if node.Type() == graph.NodeTypeConvGeneral {
				n++
			}
		}
		return n
	}
	Conv2D(x, kernel, 1, 1)
	if n := countConv(); n != 0 {
		t.Errorf("Conv2D on the pure-Go backend built %d convolution ops, want 0 (Patches2D)", n)
	}
	Native2D(x, kernel, 1, 1)
	if n := countConv(); n != 1 {
		t.Errorf("Native2D built %d convolution ops, want 1", n)
	}
}

func TestChooseMethod(t *testing.T) {
	for _, tc := range []struct {
		wl   workload
		want method
	}{
		{workloads[0], methodIm2col}, {workloads[1], methodCol2im}, {workloads[2], methodIm2col}, {workloads[3], methodIm2col},
	} {
		wl := tc.wl
		g := geometry{batch: wl.batch, h: wl.h, w: wl.h, in: wl.in, k: wl.k, out: wl.out, stride: wl.s, pad: wl.pad,
			ho: wl.ho(), wo: wl.ho(), hp: wl.h + 2*wl.pad, wp: wl.h + 2*wl.pad}
		if got := chooseMethod(g); got != tc.want {
			t.Errorf("chooseMethod(%s) = %s, want %s", wl.name, got, tc.want)
		}
	}
}

func TestPanics(t *testing.T) {
	f32 := func(dims ...int) shapes.Shape { return shapes.Make(dtypes.Float32, dims...) }
	for _, tc := range []struct {
		name          string
		x, kernel     shapes.Shape
		stride, pad   int
		wantInMessage string
	}{
		{"rank of x", f32(8, 8, 3), f32(3, 3, 3, 4), 1, 1, "rank 4"},
		{"rank of kernel", f32(2, 8, 8, 3), f32(3, 3, 3), 1, 1, "rank 4"},
		{"channels", f32(2, 8, 8, 3), f32(3, 3, 2, 4), 1, 1, "input channels"},
		{"non-square kernel", f32(2, 8, 8, 3), f32(3, 2, 3, 4), 1, 1, "square"},
		{"stride 0", f32(2, 8, 8, 3), f32(3, 3, 3, 4), 0, 1, "stride"},
		{"negative pad", f32(2, 8, 8, 3), f32(3, 3, 3, 4), 1, -1, "pad"},
		{"kernel too large", f32(2, 4, 8, 3), f32(7, 7, 3, 4), 1, 1, "does not fit"},
		{"dtype", shapes.Make(dtypes.Float64, 2, 8, 8, 3), f32(3, 3, 3, 4), 1, 1, "float32"},
	} {
		for _, fn := range []struct {
			name string
			fn   convFn
		}{{"Conv2D", Conv2D}, {"Patches2D", Patches2D}, {"Native2D", Native2D}} {
			t.Run(tc.name+"/"+fn.name, func(t *testing.T) {
				g := graph.NewGraph(testBackend(t), "panics")
				defer g.Finalize()
				x := graph.Parameter(g, "x", tc.x)
				kernel := graph.Parameter(g, "kernel", tc.kernel)
				err := catch(func() { fn.fn(x, kernel, tc.stride, tc.pad) })
				if err == nil {
					t.Fatalf("no panic for %s", tc.name)
				}
				if !strings.Contains(err.Error(), tc.wantInMessage) || !strings.Contains(err.Error(), "conv.") {
					t.Errorf("panic %q does not name the function and mention %q", err, tc.wantInMessage)
				}
			})
		}
	}
}

// catch returns what f panics with, as an error.
func catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = e
			} else {
				err = fmt.Errorf("%v", r)
			}
		}
	}()
	f()
	return nil
}
