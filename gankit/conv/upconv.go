package conv

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// UpsampleConv2D is Conv2D(Upsample(x, factor), kernel, 1, pad) -- DCGAN's "nearest-neighbour
// upsampling, then a convolution" -- computed without building the upsampled image.
//
// The convolution must keep the upsampled size (2·pad = k-1, k odd). Each output pixel
// (factor·i+a, factor·j+c) then reads only low-resolution pixels next to (i, j): the k taps
// of the kernel along an axis fall on a few low-resolution rows, and the taps that fall on
// the same row add up. So the factor² output phases (a, c) are factor² small convolutions
// of x itself, whose kernels are sums of taps of kernel. UpsampleConv2D stacks them as the
// output channels of one stride-1 convolution of x (via Conv2D, so it is fast on the
// pure-Go backend) and interleaves the phases back into the large image. On DCGAN's
// generator it extracts factor² = 4 times fewer patches than Conv2D after Upsample, with
// the same values up to float rounding and gradients by autodiff.
func UpsampleConv2D(x, kernel *graph.Node, factor, pad int) *graph.Node {
	if x == nil || kernel == nil || x.Rank() != 4 || kernel.Rank() != 4 {
		panic(fmt.Errorf("conv.UpsampleConv2D: x must be [batch, height, width, in] and kernel [k, k, in, out], got %v and %v", shapeOf(x), shapeOf(kernel)))
	}
	k, in, out := kernel.Shape().Dim(0), kernel.Shape().Dim(2), kernel.Shape().Dim(3)
	switch {
	case kernel.Shape().Dim(1) != k:
		panic(fmt.Errorf("conv.UpsampleConv2D: kernel must be square, got %s", kernel.Shape()))
	case x.Shape().Dim(3) != in:
		panic(fmt.Errorf("conv.UpsampleConv2D: x has %d channels but kernel %s expects %d", x.Shape().Dim(3), kernel.Shape(), in))
	case factor < 1:
		panic(fmt.Errorf("conv.UpsampleConv2D: factor must be >= 1, got %d", factor))
	case 2*pad != k-1:
		panic(fmt.Errorf("conv.UpsampleConv2D: needs a size-preserving convolution (odd kernel, pad = (k-1)/2), got k=%d, pad=%d", k, pad))
	}
	if factor == 1 {
		return Conv2D(x, kernel, 1, pad)
	}
	lo, taps := phaseTaps(k, pad, factor)
	kk := len(taps[0]) // low-resolution kernel size
	g := x.Graph()

	// mix [factor·factor·kk·kk, k·k]: row (a, c, r, s) sums the taps (di, dj) of kernel that
	// output phase (a, c) reads from low-resolution offset (r, s).
	mix := make([]float32, factor*factor*kk*kk*k*k)
	row := 0
	for a := range factor {
		for c := range factor {
			for r := range kk {
				for s := range kk {
					for di := range k {
						for dj := range k {
							if taps[a][r][di] && taps[c][s][dj] {
								mix[row*k*k+di*k+dj] = 1
							}
						}
					}
					row++
				}
			}
		}
	}
	mixNode := graph.ConvertDType(graph.Const(g, tensors.FromFlatDataAndDimensions(mix, factor*factor*kk*kk, k*k)), kernel.DType())
	eff := graph.MatMul(mixNode, graph.Reshape(kernel, k*k, in*out))
	// [a, c, r, s, in, out] -> [r, s, in, a, c, out]: phases become output channels.
	eff = graph.TransposeAllAxes(graph.Reshape(eff, factor, factor, kk, kk, in, out), 2, 3, 4, 0, 1, 5)
	eff = graph.Reshape(eff, kk, kk, in, factor*factor*out)

	// Zero-pad x so that a valid kk×kk convolution reads offsets lo .. lo+kk-1 around each pixel.
	b, h, w := x.Shape().Dim(0), x.Shape().Dim(1), x.Shape().Dim(2)
	hiPad := kk - 1 + lo
	p := compute.PadAxis{Start: -lo, End: hiPad}
	xp := graph.Pad(x, zero(x), compute.PadAxis{}, p, p, compute.PadAxis{})
	y := Conv2D(xp, eff, 1, 0) // [b, h, w, a·c·out]
	// Interleave: [b, h, w, a, c, out] -> [b, h, a, w, c, out] = [b, factor·h, factor·w, out].
	y = graph.TransposeAllAxes(graph.Reshape(y, b, h, w, factor, factor, out), 0, 1, 3, 2, 4, 5)
	return graph.Reshape(y, b, factor*h, factor*w, out)
}

// phaseTaps returns, for an upsampling by factor followed by a k-tap convolution padded by
// pad, the lowest low-resolution offset lo read by any output phase, and taps[a][r][d]: whether
// tap d of output phase a falls on low-resolution offset lo+r. Output pixel factor·i+a, tap d
// reads upsampled pixel factor·i+a+d-pad, which is low-resolution pixel
// floor((factor·i+a+d-pad)/factor) = i + floor((a+d-pad)/factor).
func phaseTaps(k, pad, factor int) (lo int, taps [][][]bool) {
	floorDiv := func(n, d int) int {
		q := n / d
		if n%d != 0 && n < 0 {
			q--
		}
		return q
	}
	lo, hi := floorDiv(-pad, factor), floorDiv(factor-1+k-1-pad, factor)
	taps = make([][][]bool, factor)
	for a := range factor {
		taps[a] = make([][]bool, hi-lo+1)
		for r := range taps[a] {
			taps[a][r] = make([]bool, k)
		}
		for d := range k {
			taps[a][floorDiv(a+d-pad, factor)-lo][d] = true
		}
	}
	return lo, taps
}

// shapeOf is n's shape for an error message, or "nil".
func shapeOf(n *graph.Node) any {
	if n == nil {
		return "nil"
	}
	return n.Shape()
}
