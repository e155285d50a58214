package nets_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gankit/kit/gankit/nets"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Dense must compute what GoMLX's own ops compute (x·w + b by graph.MatMul and graph.Add,
// differentiated by GoMLX's autodiff), with the same first and second derivatives (a
// gradient penalty differentiates D's input gradient with respect to the weights), up to
// float rounding. (Not nn.Dense: it is a fused op in GoMLX whose gradient has no gradient,
// so it cannot be the reference for second derivatives.)
func TestDenseMatchesGoMLX(t *testing.T) {
	b := testBackend(t)
	rng := rand.New(rand.NewPCG(5, 6))
	randT := func(dims ...int) *tensors.Tensor {
		n := 1
		for _, d := range dims {
			n *= d
		}
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.NormFloat64())
		}
		return tensors.FromFlatDataAndDimensions(v, dims...)
	}
	const batch, in, hidden = 7, 3, 5
	inputs := []*tensors.Tensor{randT(batch, in), randT(in, hidden), randT(hidden), randT(hidden, 1), randT(1)}
	type denseFn func(x, w, b *Node) *Node
	run := func(dense denseFn) [][]float32 {
		exec := MustNewExec(b, func(x, w1, b1, w2, b2 *Node) []*Node {
			critic := func(x *Node) *Node { return dense(Tanh(dense(x, w1, b1)), w2, b2) }
			out := critic(x)
			grads := Gradient(ReduceAllSum(Mul(out, out)), x, w1, b1, w2, b2)
			// A gradient penalty: ‖∂critic/∂x‖² per row, differentiated w.r.t. the weights.
			gx := Gradient(ReduceAllSum(critic(x)), x)[0]
			penalty := ReduceAllSum(Mul(gx, gx))
			second := Gradient(penalty, w1, b1, w2)
			return append(append([]*Node{out}, grads...), second...)
		})
		defer exec.Finalize()
		var res [][]float32
		for _, o := range exec.MustExec(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]) {
			res = append(res, tensors.MustCopyFlatData[float32](o))
		}
		return res
	}
	got := run(nets.Dense)
	want := run(func(x, w, b *Node) *Node { return Add(MatMul(x, w), ExpandDims(b, 0)) })
	names := []string{"output", "∂/∂x", "∂/∂w1", "∂/∂b1", "∂/∂w2", "∂/∂b2", "penalty ∂/∂w1", "penalty ∂/∂b1", "penalty ∂/∂w2"}
	for i, name := range names {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("%s: %d values, want %d", name, len(got[i]), len(want[i]))
		}
		var maxDiff, maxRef float64
		for j := range got[i] {
			maxDiff = math.Max(maxDiff, math.Abs(float64(got[i][j]-want[i][j])))
			maxRef = math.Max(maxRef, math.Abs(float64(want[i][j])))
		}
		if maxRef == 0 || maxDiff > 1e-5*maxRef {
			t.Errorf("%s: max difference %.3g from MatMul + Add (largest value %.3g)", name, maxDiff, maxRef)
		}
	}
}
