package conv

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// UpsampleConv2D must equal Conv2D after Upsample: values, and the gradients with respect to
// x and the kernel, for several factors, kernel sizes and channel counts.
func TestUpsampleConv2DMatchesUpsampleThenConv(t *testing.T) {
	for _, tc := range []struct{ b, h, w, in, out, k, factor int }{
		{2, 7, 7, 4, 3, 3, 2}, // DCGAN's generator shape, small
		{1, 3, 5, 2, 1, 3, 2}, // non-square, one output channel
		{2, 4, 3, 3, 2, 5, 2}, // 5×5 kernel
		{1, 3, 3, 2, 2, 3, 3}, // factor 3
		{2, 2, 4, 1, 3, 1, 2}, // 1×1 kernel
		{1, 4, 4, 2, 2, 3, 1}, // factor 1 is a plain convolution
	} {
		t.Run(fmt.Sprintf("%+v", tc), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tc.k*10+tc.factor), 7))
			pad := (tc.k - 1) / 2
			x := randTensor(rng, tc.b, tc.h, tc.w, tc.in)
			kernel := randTensor(rng, tc.k, tc.k, tc.in, tc.out)
			v := randTensor(rng, tc.b, tc.h*tc.factor, tc.w*tc.factor, tc.out)
			run := func(f func(x, k *graph.Node) *graph.Node) [][]float32 {
				exec := graph.MustNewExec(testBackend(t), func(x, k *graph.Node) []*graph.Node {
					y := f(x, k)
					loss := graph.ReduceAllSum(graph.Mul(y, graph.Const(x.Graph(), v)))
					return append([]*graph.Node{y}, graph.Gradient(loss, x, k)...)
				})
				defer exec.Finalize()
				var res [][]float32
				for _, o := range exec.MustCall(x, kernel) {
					res = append(res, tensors.MustCopyFlatData[float32](o))
				}
				return res
			}
			got := run(func(x, k *graph.Node) *graph.Node { return UpsampleConv2D(x, k, tc.factor, pad) })
			want := run(func(x, k *graph.Node) *graph.Node { return Conv2D(Upsample(x, tc.factor), k, 1, pad) })
			for i, what := range []string{"output", "gradient w.r.t. x", "gradient w.r.t. kernel"} {
				if len(got[i]) != len(want[i]) {
					t.Fatalf("%s: %d values, want %d", what, len(got[i]), len(want[i]))
				}
				if e := relErr(got[i], want[i]); e > 1e-5 {
					t.Errorf("%s differs from Conv2D(Upsample(x)): relative error %.3g", what, e)
				}
			}
		})
	}
}

func TestPhaseTaps(t *testing.T) {
	// Upsampling by 2 then a 3-tap filter padded by 1: phase 0 reads rows i-1 (tap 0) and i
	// (taps 1, 2); phase 1 reads row i (taps 0, 1) and i+1 (tap 2).
	lo, taps := phaseTaps(3, 1, 2)
	got := fmt.Sprint(lo, taps)
	want := "-1 [[[true false false] [false true true] [false false false]] [[false false false] [true true false] [false false true]]]"
	if got != want {
		t.Errorf("phaseTaps(3, 1, 2) = %s\nwant %s", got, want)
	}
}

func TestUpsampleConv2DPanics(t *testing.T) {
	for _, tc := range []struct {
		name        string
		x, k        shapes.Shape
		factor, pad int
		want        string
	}{
		{"even kernel", shapes.Make(dtypes.Float32, 1, 4, 4, 2), shapes.Make(dtypes.Float32, 4, 4, 2, 1), 2, 1, "size-preserving"},
		{"wrong pad", shapes.Make(dtypes.Float32, 1, 4, 4, 2), shapes.Make(dtypes.Float32, 3, 3, 2, 1), 2, 0, "size-preserving"},
		{"channels", shapes.Make(dtypes.Float32, 1, 4, 4, 3), shapes.Make(dtypes.Float32, 3, 3, 2, 1), 2, 1, "channels"},
		{"factor", shapes.Make(dtypes.Float32, 1, 4, 4, 2), shapes.Make(dtypes.Float32, 3, 3, 2, 1), 0, 1, "factor"},
		{"rank", shapes.Make(dtypes.Float32, 4, 4, 2), shapes.Make(dtypes.Float32, 3, 3, 2, 1), 2, 1, "[batch, height, width, in]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(fmt.Sprint(r), tc.want) {
					t.Errorf("panic %v, want one mentioning %q", r, tc.want)
				}
			}()
			g := graph.NewGraph(testBackend(t), "panics")
			UpsampleConv2D(graph.Parameter(g, "x", tc.x), graph.Parameter(g, "k", tc.k), tc.factor, tc.pad)
		})
	}
}
