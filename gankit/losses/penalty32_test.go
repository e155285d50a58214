package losses_test

import (
	"math"
	"testing"

	"github.com/gankit/kit/gankit/losses"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// The trainer runs in float32: the penalty's second-order gradient must agree with the
// float64 one. (The critic is built from MatMul: GoMLX's nn.Dense is a fused op, and the
// gradient of its gradient is not defined.)
func TestGradientPenaltyFloat32(t *testing.T) {
	b := testBackend(t)
	build := func(real, fake, eps, w1, b1, w2 *Node) (*Node, *Node) {
		critic := func(x *Node) *Node {
			h := Add(MatMul(x, w1), ExpandDims(b1, 0))
			h = Max(h, MulScalar(h, 0.2))
			return MatMul(h, w2)
		}
		gp := losses.GradientPenalty(critic, real, fake, eps)
		return gp, Gradient(gp, w1)[0]
	}
	real := []float64{1, 2, -0.5, 0.3, 2, -1, 0.1, 0.1}
	fake := []float64{0, 0, 1.5, -0.2, -1, 1, 0.7, 0.9}
	eps := []float64{0.3, 0.9, 0.5, 0.05}
	w1 := []float64{0.8, -1.3, 0.4, 1.1, 0.2, -0.9}
	b1 := []float64{0.1, -0.2, 0.3}
	w2 := []float64{1.5, -0.7, 2.2}
	run := func(conv func([]float64, ...int) *tensors.Tensor) (float64, []float64) {
		exec := MustNewExec(b, build)
		defer exec.Finalize()
		out := exec.MustCall(conv(real, 4, 2), conv(fake, 4, 2), conv(eps, 4, 1), conv(w1, 2, 3), conv(b1, 3), conv(w2, 3, 1))
		gp := out[0].Value()
		var g []float64
		switch v := gp.(type) {
		case float32:
			for _, x := range tensors.MustCopyFlatData[float32](out[1]) {
				g = append(g, float64(x))
			}
			return float64(v), g
		}
		return gp.(float64), tensors.MustCopyFlatData[float64](out[1])
	}
	gp64, g64 := run(func(v []float64, d ...int) *tensors.Tensor { return tensors.FromFlatDataAndDimensions(v, d...) })
	gp32, g32 := run(func(v []float64, d ...int) *tensors.Tensor {
		f := make([]float32, len(v))
		for i := range v {
			f[i] = float32(v[i])
		}
		return tensors.FromFlatDataAndDimensions(f, d...)
	})
	if math.Abs(gp32-gp64) > 1e-4*max(1, gp64) {
		t.Errorf("float32 penalty %g, float64 %g", gp32, gp64)
	}
	for i := range g64 {
		if math.Abs(g32[i]-g64[i]) > 1e-3*max(1, math.Abs(g64[i])) {
			t.Errorf("float32 ∂penalty/∂w1[%d] = %g, float64 %g", i, g32[i], g64[i])
		}
	}
}
