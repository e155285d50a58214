package conv

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
)

// GoBackendName is the registry name of GoMLX's pure-Go backend (its String(), as in
// GOMLX_BACKEND=go; its Name() is "Go Backend"), on which Conv2D always uses Patches2D.
const GoBackendName = "go"

// Names returned by Algorithm.
const (
	AlgorithmPatches = "patches" // Patches2D
	AlgorithmNative  = "native"  // Native2D
)

// Algorithm names the implementation Conv2D uses in graph g for a k×k kernel with padding
// pad: AlgorithmPatches on the pure-Go backend, whose own convolution is plain loops, and
// AlgorithmNative elsewhere (XLA has fast convolutions) -- except where GoMLX's gradient of
// the native convolution with respect to its input is wrong (see NativeGradientOK), where
// it is AlgorithmPatches on every backend.
func Algorithm(g *graph.Graph, k, pad int) string {
	if usePatches(isGoBackend(g.Backend()), k, pad) {
		return AlgorithmPatches
	}
	return AlgorithmNative
}

func isGoBackend(b compute.Backend) bool {
	return b != nil && (b.String() == GoBackendName || b.Name() == "Go Backend")
}

func usePatches(goBackend bool, k, pad int) bool {
	return goBackend || !NativeGradientOK(k, pad)
}

// NativeGradientOK reports whether the gradient of graph.Convolve (GoMLX v0.28.8 to
// v0.28.16) with respect to its input is right for a k×k kernel with padding pad. It is not
// for even k (the gradient comes out shifted by one pixel: the reverse convolution is padded
// by 2·floor((k-1)/2) instead of k-1), and building it panics when pad > k-1. The gradient
// with respect to the kernel is right in every case. The test TestNativeGradientOK checks
// both claims against a loop reference, so it fails once GoMLX fixes the bug.
func NativeGradientOK(k, pad int) bool {
	return k%2 == 1 && pad <= k-1
}

// Conv2D convolves x, shaped [batch, height, width, inChannels] (channels-last, float32),
// with kernel, shaped [k, k, inChannels, outChannels] (no bias). The window moves by
// stride >= 1 and the input is padded with pad >= 0 zeros on every side, as PyTorch's
// nn.Conv2d(stride=stride, padding=pad). The output is [batch, Ho, Wo, outChannels] with
// Ho = (height + 2·pad - k)/stride + 1, and the same for Wo.
//
// It uses Patches2D or Native2D as Algorithm says (Patches2D on the pure-Go backend); both
// give the same values and gradients. It panics (GoMLX style) on wrong ranks, dtypes or
// shapes and on impossible stride or pad.
func Conv2D(x, kernel *graph.Node, stride, pad int) *graph.Node {
	g := check("Conv2D", x, kernel, stride, pad)
	if usePatches(isGoBackend(x.Graph().Backend()), g.k, pad) {
		return patches(x, kernel, g, methodAuto)
	}
	return native(x, kernel, g)
}

// Native2D is Conv2D computed by GoMLX's own convolution (graph.Convolve): one backend op,
// with its gradients two more convolutions. It is fast on XLA but runs as plain loops on
// the pure-Go backend (about 1 GFLOP/s there). Mind NativeGradientOK: for even kernel
// sizes its gradient with respect to x is wrong (a bug of GoMLX v0.28.8 to v0.28.16).
func Native2D(x, kernel *graph.Node, stride, pad int) *graph.Node {
	return native(x, kernel, check("Native2D", x, kernel, stride, pad))
}

func native(x, kernel *graph.Node, g geometry) *graph.Node {
	return graph.Convolve(x, kernel).
		StridePerAxis(g.stride, g.stride).
		PaddingPerDim([][2]int{{g.pad, g.pad}, {g.pad, g.pad}}).
		Done()
}

// Patches2D is Conv2D computed as patch extraction plus one large matrix multiplication, the
// form in which the pure-Go backend is fast (its matmul has SIMD kernels, its convolution
// does not). It picks, by a cost model of that backend, one of two arrangements:
//
//   - im2col, for most layers: the k·k strided slices of the padded input are
//     concatenated on the channel axis into patches [batch·Ho·Wo, k·k·in], multiplied by
//     the kernel reshaped [k·k·in, out].
//   - col2im, when out is much smaller than in (e.g. a generator's last layer, 32 -> 1
//     channels): the padded input [batch·Hp·Wp, in] is multiplied by all k·k kernel taps
//     at once, and the k·k shifted (strided) slices of that product are summed. Only
//     output-sized data is then sliced.
//
// Its gradients are expressed in the same terms (matrix products, zero padding and sums)
// and attached with graph.IdentityWithCustomGradient instead of being derived by autodiff
// from the forward ops: on the pure-Go backend autodiff of these ops is dominated by
// element-by-element copies (every DotGeneral gradient gets an identity Transpose, the
// kernel gradient transposes the whole patch matrix, the gradient of a concatenation is k·k
// slices), which made the DCGAN layers up to 2.2x slower with im2col (18x with col2im's
// layer). The gradients are themselves differentiable, so second derivatives (e.g. a
// gradient penalty) work, which GoMLX's own convolution gradient does not allow.
func Patches2D(x, kernel *graph.Node, stride, pad int) *graph.Node {
	return patches(x, kernel, check("Patches2D", x, kernel, stride, pad), methodAuto)
}

// geometry holds the sizes of one convolution.
type geometry struct {
	batch, h, w, in int
	k, out          int
	stride, pad     int
	ho, wo          int // output
	hp, wp          int // padded input
}

// check validates the arguments of a convolution and returns its sizes; it panics with an
// error naming fn on anything impossible.
func check(fn string, x, kernel *graph.Node, stride, pad int) geometry {
	if x == nil || kernel == nil {
		panic(fmt.Errorf("conv.%s: x and kernel must not be nil", fn))
	}
	if x.Rank() != 4 {
		panic(fmt.Errorf("conv.%s: x must be [batch, height, width, channels] (rank 4), got shape %s", fn, x.Shape()))
	}
	if kernel.Rank() != 4 {
		panic(fmt.Errorf("conv.%s: kernel must be [k, k, inChannels, outChannels] (rank 4), got shape %s", fn, kernel.Shape()))
	}
	if x.DType() != dtypes.Float32 || kernel.DType() != dtypes.Float32 {
		panic(fmt.Errorf("conv.%s: x and kernel must be float32, got %s and %s", fn, x.DType(), kernel.DType()))
	}
	xd, kd := x.Shape().Dimensions, kernel.Shape().Dimensions
	for _, d := range append(append([]int{}, xd...), kd...) {
		if d < 1 {
			panic(fmt.Errorf("conv.%s: x %s and kernel %s must have no empty or dynamic axis", fn, x.Shape(), kernel.Shape()))
		}
	}
	g := geometry{batch: xd[0], h: xd[1], w: xd[2], in: xd[3], k: kd[0], out: kd[3], stride: stride, pad: pad}
	if kd[0] != kd[1] {
		panic(fmt.Errorf("conv.%s: kernel must be square [k, k, in, out], got shape %s", fn, kernel.Shape()))
	}
	if kd[2] != g.in {
		panic(fmt.Errorf("conv.%s: kernel %s takes %d input channels but x %s has %d", fn, kernel.Shape(), kd[2], x.Shape(), g.in))
	}
	if stride < 1 {
		panic(fmt.Errorf("conv.%s: stride must be >= 1, got %d", fn, stride))
	}
	if pad < 0 {
		panic(fmt.Errorf("conv.%s: pad must be >= 0, got %d", fn, pad))
	}
	g.hp, g.wp = g.h+2*pad, g.w+2*pad
	if g.hp < g.k || g.wp < g.k {
		panic(fmt.Errorf("conv.%s: the %dx%d kernel does not fit in the %dx%d input padded by %d", fn, g.k, g.k, g.h, g.w, pad))
	}
	g.ho = (g.hp-g.k)/stride + 1
	g.wo = (g.wp-g.k)/stride + 1
	return g
}

// method is the arrangement Patches2D uses.
type method int

const (
	methodAuto method = iota
	methodIm2col
	methodCol2im
)

func (m method) String() string {
	switch m {
	case methodIm2col:
		return "im2col"
	case methodCol2im:
		return "col2im"
	}
	return "auto"
}

func patches(x, kernel *graph.Node, g geometry, m method) *graph.Node {
	if m == methodAuto {
		m = chooseMethod(g)
	}
	if m == methodCol2im {
		return col2im(x, kernel, g)
	}
	return im2col(x, kernel, g)
}

// chooseMethod estimates the time of both arrangements on the pure-Go backend: ~3 ns per
// element moved by its element-by-element ops (Slice, Transpose), ~0.5 ns per element by
// its block-copy ops (Pad, Concatenate, Add) and ~0.05 ns per floating-point operation of
// its matmul (CPU time, measured on an AVX-512 machine).
func chooseMethod(g geometry) method {
	m := float64(g.batch * g.ho * g.wo)
	mp := float64(g.batch * g.hp * g.wp)
	kk := float64(g.k * g.k)
	in, out := float64(g.in), float64(g.out)
	s2 := float64(g.stride * g.stride)
	inputSize := float64(g.batch * g.h * g.w * g.in)
	const slow, fast, flop = 3.0, 0.5, 0.05
	im := slow*(kk*m*in+m*out+inputSize) + fast*(kk*m*in+2*kk*mp*in/s2) + flop*6*m*kk*in*out
	transposes := 0.0
	if g.out > 1 {
		transposes = 2 * m * out
	}
	col := slow*(kk*m*out+transposes+min(kk*out, in)*mp+inputSize) + fast*(kk*out*mp) + flop*6*mp*kk*in*out
	if col < im {
		return methodCol2im
	}
	return methodIm2col
}

func zero(x *graph.Node) *graph.Node { return graph.ScalarZero(x.Graph(), x.DType()) }

// padded returns x [B, H, W, C] with g.pad zeros around each image.
func padded(x *graph.Node, g geometry) *graph.Node {
	if g.pad == 0 {
		return x
	}
	p := compute.PadAxis{Start: g.pad, End: g.pad}
	return graph.Pad(x, zero(x), compute.PadAxis{}, p, p, compute.PadAxis{})
}

// cropPadding returns the [B, H, W, C] interior of t [B, >=H+pad, >=W+pad, C] (the inverse of padded).
func cropPadding(t *graph.Node, g geometry) *graph.Node {
	d := t.Shape().Dimensions
	if g.pad == 0 && d[1] == g.h && d[2] == g.w {
		return t
	}
	return graph.Slice(t, graph.AxisRange(), graph.AxisRange(g.pad, g.pad+g.h), graph.AxisRange(g.pad, g.pad+g.w), graph.AxisRange())
}

// tap returns, for kernel offset (i, j), the [Ho, Wo] window of t's spatial axes (axisH
// and axisH+1) that the offset reads: rows i, i+stride, ..., and the same for columns.
func tap(t *graph.Node, g geometry, i, j, axisH int) *graph.Node {
	specs := make([]graph.SliceAxisSpec, t.Rank())
	for a := range specs {
		specs[a] = graph.AxisRange()
	}
	specs[axisH] = graph.AxisRange(i, i+(g.ho-1)*g.stride+1).Stride(g.stride)
	specs[axisH+1] = graph.AxisRange(j, j+(g.wo-1)*g.stride+1).Stride(g.stride)
	return graph.Slice(t, specs...)
}

// large reports whether an [m, k]·[k, n] product is large enough for the pure-Go backend's
// packed matmul kernel, which it uses from 4M multiply-adds. Below that it uses a "small"
// kernel that can be many times slower when both operands contract their last axis (it
// ends every output element with a horizontal vector sum: 3.4 ms for [1568, 16]·[8, 16]ᵀ
// that way against 0.17 ms as a plain Dot, on compute v0.1.6), so small products are
// written as plain Dots. The width-8 U-Nets and PatchGANs of pix2pix and CycleGAN are made
// of such products; the DCGAN's are all large.
func large(m, k, n int) bool { return m*k*n >= 4<<20 }

// kernelTap returns kernel[i, j] as [in, out].
func kernelTap(kernel *graph.Node, g geometry, i, j int) *graph.Node {
	return graph.Reshape(graph.Slice(kernel, graph.AxisElem(i), graph.AxisElem(j), graph.AxisRange(), graph.AxisRange()), g.in, g.out)
}

// im2col: patches [M, k·k·in] (columns ordered like the kernel's (i, j, c)) times the
// kernel as [k·k·in, out].
func im2col(x, kernel *graph.Node, g geometry) *graph.Node {
	m, kk := g.batch*g.ho*g.wo, g.k*g.k*g.in
	var p *graph.Node
	if g.k == 1 && g.stride == 1 && g.pad == 0 {
		p = graph.Reshape(x, m, kk)
	} else {
		xp := padded(x, g)
		taps := make([]*graph.Node, 0, g.k*g.k)
		for i := 0; i < g.k; i++ {
			for j := 0; j < g.k; j++ {
				taps = append(taps, tap(xp, g, i, j, 1))
			}
		}
		p = taps[0]
		if len(taps) > 1 {
			p = graph.Concatenate(taps, 3)
		}
		p = graph.Reshape(p, m, kk)
	}
	km := graph.Reshape(kernel, kk, g.out)
	var y *graph.Node
	if kk >= 64 && large(m, kk, g.out) {
		// Wide patches: the backend's matmul is faster with the small operand on the left
		// and both contracting their last axis, even with the transpose back (measured on
		// the DCGAN's shapes: [3136, 576]·[576, 128] in 9.2 ms instead of 13.3,
		// [12544, 576]·[576, 32] in 14 instead of 26; with 16 columns it is slower). Small
		// products must not (see large).
		y = transposed(graph.DotGeneral(transposed(km), []int{1}, nil, p, []int{1}, nil))
	} else {
		y = graph.Dot(p, km).Product()
	}
	y = graph.Reshape(y, g.batch, g.ho, g.wo, g.out)

	// dL/dkernel = pᵀ·v, computed as (vᵀ·p)ᵀ: the backend's matmul wants the contracted
	// axis last on its left operand, and vᵀ is much smaller than pᵀ.
	gradKernel := func(v *graph.Node) *graph.Node {
		vt := transposed(graph.Reshape(v, m, g.out))                // [out, M]
		gt := graph.DotGeneral(vt, []int{1}, nil, p, []int{0}, nil) // [out, k·k·in]
		return graph.Reshape(transposed(gt), g.k, g.k, g.in, g.out)
	}
	// dL/dx: each tap's gradient v·kernel[i,j]ᵀ, zero-padded back to where the tap was read.
	gradX := func(v *graph.Node) *graph.Node {
		vm := graph.Reshape(v, m, g.out)
		if kk <= g.out {
			// Few input channels (D's first layer: 1): one product v·kernelᵀ [M, k·k·in],
			// no wider than v, then a slice per tap, instead of k·k products that each
			// read all of v.
			all := graph.DotGeneral(vm, []int{1}, nil, km, []int{1}, nil)
			all = graph.Reshape(all, g.batch, g.ho, g.wo, g.k*g.k, g.in)
			return cropPadding(placeTaps(g, g.in, func(i, j int) *graph.Node {
				t := graph.Slice(all, graph.AxisRange(), graph.AxisRange(), graph.AxisRange(), graph.AxisElem(i*g.k+j), graph.AxisRange())
				return graph.Reshape(t, g.batch, g.ho, g.wo, g.in)
			}), g)
		}
		return cropPadding(placeTaps(g, g.in, func(i, j int) *graph.Node {
			var gt *graph.Node // [M, in]
			if large(m, g.out, g.in) {
				gt = graph.DotGeneral(vm, []int{1}, nil, kernelTap(kernel, g, i, j), []int{1}, nil)
			} else {
				gt = graph.Dot(vm, transposed(kernelTap(kernel, g, i, j))).Product()
			}
			return graph.Reshape(gt, g.batch, g.ho, g.wo, g.in)
		}), g)
	}
	return withGradients(x, kernel, y, gradX, gradKernel)
}

// transposed is the transpose of the matrix t, a reshape when one side is 1.
func transposed(t *graph.Node) *graph.Node {
	d := t.Shape().Dimensions
	if d[0] == 1 || d[1] == 1 {
		return graph.Reshape(t, d[1], d[0])
	}
	return graph.Transpose(t, 0, 1)
}

// placeTaps returns the [B, hc·stride, wc·stride, c] sum, over the kernel offsets (i, j), of
// tapAt(i, j) [B, Ho, Wo, c] placed at the padded-input positions that offset reads, where
// hc·stride >= Hp and wc·stride >= Wp. It is the transpose of tap.
//
// For stride s > 1 it works on the s·s phases of the grid separately (offsets i = p + s·a
// land on rows ≡ p mod s), so that the zero padding and sums run on grids s·s times
// smaller, then interleaves the phases with concatenations and reshapes.
func placeTaps(g geometry, c int, tapAt func(i, j int) *graph.Node) *graph.Node {
	s := g.stride
	hc, wc := (g.hp+s-1)/s, (g.wp+s-1)/s
	var gr *graph.Graph
	var rows []*graph.Node
	for p := 0; p < s; p++ {
		var cols []*graph.Node
		for q := 0; q < s; q++ {
			var sum *graph.Node
			for i := p; i < g.k; i += s {
				for j := q; j < g.k; j += s {
					t := tapAt(i, j)
					gr = t.Graph()
					a, b := i/s, j/s
					// Every axis gets a PadAxis: GoMLX's gradient of Pad mishandles missing ones.
					t = graph.Pad(t, zero(t), compute.PadAxis{},
						compute.PadAxis{Start: a, End: hc - a - g.ho},
						compute.PadAxis{Start: b, End: wc - b - g.wo}, compute.PadAxis{})
					if sum == nil {
						sum = t
					} else {
						sum = graph.Add(sum, t)
					}
				}
			}
			if sum == nil { // no offset in this phase (k < s); phase (0, 0) always has one
				sum = graph.Zeros(gr, shapes.Make(dtypes.Float32, g.batch, hc, wc, c))
			}
			cols = append(cols, graph.Reshape(sum, g.batch, hc, wc, 1, c))
		}
		row := cols[0]
		if s > 1 {
			row = graph.Concatenate(cols, 3)
		}
		rows = append(rows, graph.Reshape(row, g.batch, hc, 1, wc*s, c))
	}
	all := rows[0]
	if s > 1 {
		all = graph.Concatenate(rows, 2)
	}
	return graph.Reshape(all, g.batch, hc*s, wc*s, c)
}

// col2im: the padded input [M', in] (M' = B·Hp·Wp) times all kernel taps at once, giving
// yᵀ [k·k·out, M']; the output is the sum over the taps of the window of yᵀ each reads.
func col2im(x, kernel *graph.Node, g geometry) *graph.Node {
	m, mp, kk := g.batch*g.ho*g.wo, g.batch*g.hp*g.wp, g.k*g.k
	xf := graph.Reshape(padded(x, g), mp, g.in)
	wt := graph.Reshape(graph.TransposeAllAxes(kernel, 0, 1, 3, 2), kk*g.out, g.in) // rows (i, j, o)
	yt := graph.DotGeneral(wt, []int{1}, nil, xf, []int{1}, nil)                    // [k·k·out, M']
	yt = graph.Reshape(yt, kk, g.out, g.batch, g.hp, g.wp)
	var sum *graph.Node
	for i := 0; i < g.k; i++ {
		for j := 0; j < g.k; j++ {
			t := tap(graph.Slice(yt, graph.AxisElem(i*g.k+j)), g, i, j, 3) // [1, out, B, Ho, Wo]
			if sum == nil {
				sum = t
			} else {
				sum = graph.Add(sum, t)
			}
		}
	}
	y := graph.Reshape(transposed(graph.Reshape(sum, g.out, m)), g.batch, g.ho, g.wo, g.out)

	// Both gradients use gm [k·k·out, M']: row (i, j, o) is vᵀ[o] placed where tap (i, j)
	// read, zeros elsewhere (the transpose of the slicing above). It is built once per v.
	var gmFor, gm *graph.Node
	gMatrix := func(v *graph.Node) *graph.Node {
		if v == gmFor {
			return gm
		}
		vt := graph.Reshape(transposed(graph.Reshape(v, m, g.out)), g.out, g.batch, g.ho, g.wo)
		parts := make([]*graph.Node, 0, kk)
		for i := 0; i < g.k; i++ {
			for j := 0; j < g.k; j++ {
				s := g.stride
				t := graph.Pad(vt, zero(vt), compute.PadAxis{}, compute.PadAxis{},
					compute.PadAxis{Start: i, End: g.hp - i - ((g.ho-1)*s + 1), Interior: s - 1},
					compute.PadAxis{Start: j, End: g.wp - j - ((g.wo-1)*s + 1), Interior: s - 1})
				parts = append(parts, graph.Reshape(t, 1, g.out*mp))
			}
		}
		all := parts[0]
		if kk > 1 {
			all = graph.Concatenate(parts, 0)
		}
		gmFor, gm = v, graph.Reshape(all, kk*g.out, mp)
		return gm
	}
	gradKernel := func(v *graph.Node) *graph.Node {
		gw := graph.DotGeneral(gMatrix(v), []int{1}, nil, xf, []int{0}, nil) // [k·k·out, in]
		return graph.TransposeAllAxes(graph.Reshape(gw, g.k, g.k, g.out, g.in), 0, 1, 3, 2)
	}
	gradX := func(v *graph.Node) *graph.Node {
		gmv := gMatrix(v)
		var gx *graph.Node // [M', in]
		if kk*g.out <= g.in {
			// The backend transposes gm (the smaller operand) for this layout.
			gx = graph.DotGeneral(gmv, []int{0}, nil, wt, []int{0}, nil)
		} else {
			gx = transposed(graph.DotGeneral(transposed(wt), []int{1}, nil, gmv, []int{0}, nil)) // ([in, M'])ᵀ
		}
		return cropPadding(graph.Reshape(gx, g.batch, g.hp, g.wp, g.in), g)
	}
	return withGradients(x, kernel, y, gradX, gradKernel)
}

// withGradients returns y, computed from x and kernel, such that automatic differentiation
// gives gradX(v) and gradKernel(v) as the gradients of x and kernel, v being the gradient
// with respect to the result; the ops that computed y are not differentiated (their
// autodiff nodes are built but unused, and the backend does not run them).
//
// GoMLX offers custom gradients only for one-input identities
// (graph.IdentityWithCustomGradient), so: x and kernel pass through such identities xi and
// ki, which reach the result only through a zero scalar tied to them (see emptyZero); the
// result passes through a third identity whose gradient function records v. Reverse-mode
// autodiff visits nodes from the last created to the first, so the result's gradient
// function runs, in every Gradient call, before xi's and ki's, which are reachable only
// through it: v is always the current call's. gradX and gradKernel are built from x,
// kernel and v (never xi or ki) with ordinary differentiable ops, so higher derivatives
// follow by autodiff.
func withGradients(x, kernel, y *graph.Node, gradX, gradKernel func(v *graph.Node) *graph.Node) *graph.Node {
	var v *graph.Node
	custom := func(what string, grad func(*graph.Node) *graph.Node) func(_, _ *graph.Node) *graph.Node {
		return func(_, _ *graph.Node) *graph.Node {
			if v == nil {
				panic(fmt.Errorf("conv: internal error: the gradient w.r.t. %s was requested before the output's", what))
			}
			return grad(v)
		}
	}
	xi := graph.IdentityWithCustomGradient(x, custom("x", gradX))
	ki := graph.IdentityWithCustomGradient(kernel, custom("kernel", gradKernel))
	tie := graph.Add(emptyZero(xi), emptyZero(ki))
	out := graph.Add(graph.StopGradient(y), tie)
	return graph.IdentityWithCustomGradient(out, func(_, vOut *graph.Node) *graph.Node {
		v = vOut
		return vOut
	})
}

// emptyZero is a float zero that depends on t: an empty slice of t padded with one zero.
// (Not a sum over the empty slice: the gradient of that does not build.)
func emptyZero(t *graph.Node) *graph.Node {
	specs := make([]graph.SliceAxisSpec, t.Rank())
	pads := make([]compute.PadAxis, t.Rank())
	for a := range specs {
		specs[a] = graph.AxisRange(0, 1)
	}
	specs[t.Rank()-1] = graph.AxisRange(0, 0)
	pads[t.Rank()-1] = compute.PadAxis{End: 1}
	return graph.Reshape(graph.Pad(graph.Slice(t, specs...), zero(t), pads...))
}
