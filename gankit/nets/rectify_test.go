package nets_test

import (
	"math"
	"testing"

	"github.com/gankit/kit/gankit/nets"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Rectify must give exactly what graph.Max(x, slope·x) gives, values and gradients, including
// at x = 0 (gradient 1, as Max's), so swapping it in changed no lesson's numbers. Gradients
// may differ in the last bit: XLA fuses slope·v in another order than Max's gradient
// (0.06782863 against 0.06782864 at x = -3), which the pure-Go backend does not.
func TestRectifyMatchesMax(t *testing.T) {
	b := testBackend(t)
	xs := []float32{-3, -0.5, -1e-30, 0, 1e-30, 0.25, 2}
	for _, slope := range []float64{0, nets.LeakySlope} {
		exec := MustNewExec(b, func(x *Node) []*Node {
			v := Sin(AddScalar(x, 1)) // a non-uniform adjoint
			r, m := nets.Rectify(x, slope), Max(x, MulScalar(x, slope))
			gr := Gradient(ReduceAllSum(Mul(r, v)), x)[0]
			gm := Gradient(ReduceAllSum(Mul(m, v)), x)[0]
			return []*Node{r, m, gr, gm}
		})
		out := exec.MustExec(tensors.FromFlatDataAndDimensions(xs, len(xs)))
		r, m := tensors.MustCopyFlatData[float32](out[0]), tensors.MustCopyFlatData[float32](out[1])
		gr, gm := tensors.MustCopyFlatData[float32](out[2]), tensors.MustCopyFlatData[float32](out[3])
		for i, x := range xs {
			if r[i] != m[i] || math.Abs(float64(gr[i]-gm[i])) > 2e-7*max(1, math.Abs(float64(gm[i]))) {
				t.Errorf("slope %g, x=%g: Rectify %g (gradient %g), Max %g (gradient %g)", slope, x, r[i], gr[i], m[i], gm[i])
			}
		}
		if want := float32(-3 * slope); r[0] != want {
			t.Errorf("slope %g: Rectify(-3) = %g, want %g", slope, r[0], want)
		}
	}
}
