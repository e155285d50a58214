package dirac

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph code reads better unprefixed
	"github.com/gomlx/gomlx/core/tensors"
)

// fGraph is f(t) = -log(1 + e^{-t}) = -softplus(-t) in graph code.
func fGraph(t *Node) *Node { return Neg(Softplus(Neg(t))) }

// ObjectiveGraph is D's regularised objective L(θ, ψ) - γ/2·ψ² = f(ψθ) + f(0) - γ/2·ψ²
// in graph code, elementwise on nodes of equal shape (each element one game; instance
// noise is not included: its expectation has no closed form). The R1 term is computed as
// R1 defines it, from the gradient of D(x) = ψ·x at the real data x = 0, not typed in.
func ObjectiveGraph(theta, psi *Node, gamma float64) *Node {
	v := Add(fGraph(Mul(psi, theta)), fGraph(ZerosLike(psi)))
	if gamma != 0 {
		real := ZerosLike(psi)                                  // p_data = δ_0
		grad := Gradient(ReduceAllSum(Mul(psi, real)), real)[0] // ∇_x D(x) at x = 0: ψ, per game
		v = Sub(v, MulScalar(Square(grad), gamma/2))
	}
	return v
}

// FieldGraph is the gradient vector field (-∂L/∂θ, ∂L_D/∂ψ) of ObjectiveGraph by automatic
// differentiation (graph.Gradient of the summed objective: the elements do not interact),
// stacked on a new last axis: shape [..., 2]. G's component differentiates L, without R1,
// which only D's objective has and which does not depend on θ.
func FieldGraph(theta, psi *Node, gamma float64) *Node {
	grads := Gradient(ReduceAllSum(ObjectiveGraph(theta, psi, gamma)), theta, psi)
	return Stack([]*Node{Neg(grads[0]), grads[1]}, -1)
}

// GraphField evaluates FieldGraph at the points on backend b (in float64), one graph for
// all of them.
func GraphField(b compute.Backend, pts []Point, gamma float64) ([]Point, error) {
	if len(pts) == 0 {
		return nil, nil
	}
	thetas, psis := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		thetas[i], psis[i] = p.Theta, p.Psi
	}
	exec, err := NewExec(b, func(theta, psi *Node) *Node { return FieldGraph(theta, psi, gamma) })
	if err != nil {
		return nil, fmt.Errorf("dirac: building the field's graph: %w", err)
	}
	defer exec.Finalize()
	outs, err := exec.Exec(thetas, psis)
	if err != nil {
		return nil, fmt.Errorf("dirac: evaluating the field's graph: %w", err)
	}
	flat, err := tensors.CopyFlatData[float64](outs[0])
	if err != nil {
		return nil, fmt.Errorf("dirac: reading the field: %w", err)
	}
	vs := make([]Point, len(pts))
	for i := range vs {
		vs[i] = Point{flat[2*i], flat[2*i+1]}
	}
	return vs, nil
}
