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
)

func TestUpsample(t *testing.T) {
	const b, h, w, c = 2, 3, 4, 2
	for _, f := range []int{1, 2, 3} {
		rng := rand.New(rand.NewPCG(uint64(f), 1))
		x := randTensor(rng, b, h, w, c)
		v := randTensor(rng, b, h*f, w*f, c)
		exec := graph.MustNewExec(testBackend(t), func(x *graph.Node) []*graph.Node {
			up := Upsample(x, f)
			loss := graph.ReduceAllSum(graph.Mul(up, graph.Const(x.Graph(), v)))
			return []*graph.Node{up, graph.Gradient(loss, x)[0]}
		})
		outs := exec.MustCall(x)
		exec.Finalize()
		if dims := outs[0].Shape().Dimensions; !slices.Equal(dims, []int{b, h * f, w * f, c}) {
			t.Fatalf("factor %d: output %v, want [%d %d %d %d]", f, dims, b, h*f, w*f, c)
		}
		xs, vs := tensors.MustCopyFlatData[float32](x), tensors.MustCopyFlatData[float32](v)
		up, grad := tensors.MustCopyFlatData[float32](outs[0]), tensors.MustCopyFlatData[float32](outs[1])
		wantGrad := make([]float32, len(xs))
		for bi := range b {
			for i := range h * f {
				for j := range w * f {
					for ci := range c {
						src := ((bi*h+i/f)*w+j/f)*c + ci
						dst := ((bi*h*f+i)*w*f+j)*c + ci
						if up[dst] != xs[src] {
							t.Fatalf("factor %d: out[%d,%d,%d,%d] = %g, want x[%d,%d,%d,%d] = %g", f, bi, i, j, ci, up[dst], bi, i/f, j/f, ci, xs[src])
						}
						wantGrad[src] += vs[dst] // each input's gradient sums its f·f copies
					}
				}
			}
		}
		if e := relErr(grad, wantGrad); e > 1e-6 {
			t.Errorf("factor %d: gradient differs from the block sums, relative error %.3g", f, e)
		}
	}
}

func TestUpsamplePanics(t *testing.T) {
	for _, tc := range []struct {
		name   string
		shape  shapes.Shape
		factor int
		want   string
	}{
		{"rank", shapes.Make(dtypes.Float32, 2, 3, 4), 2, "rank 4"},
		{"factor", shapes.Make(dtypes.Float32, 2, 3, 4, 1), 0, "factor"},
	} {
		err := catch(func() {
			g := graph.NewGraph(testBackend(t), "panics")
			defer g.Finalize()
			Upsample(graph.Zeros(g, tc.shape), tc.factor)
		})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "conv.Upsample") {
			t.Errorf("%s: panic %v, want one from conv.Upsample mentioning %q", tc.name, err, tc.want)
		}
	}
}

// BenchmarkUpsample times Upsample by 2 and its gradient on a DCGAN generator's
// [64, 14, 14, 32] activations.
func BenchmarkUpsample(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := randTensor(rng, 64, 14, 14, 32)
	v := randTensor(rng, 64, 28, 28, 32)
	exec := graph.MustNewExec(testBackend(b), func(x *graph.Node) []*graph.Node {
		up := Upsample(x, 2)
		loss := graph.ReduceAllSum(graph.Mul(up, graph.Const(x.Graph(), v)))
		return []*graph.Node{up, graph.Gradient(loss, x)[0]}
	})
	defer exec.Finalize()
	run := func() {
		for _, o := range exec.MustCall(x) {
			o.FinalizeAll()
		}
	}
	run()
	b.ResetTimer()
	for range b.N {
		run()
	}
}
