package exercise_test

import (
	"math"

	"github.com/gankit/kit/gankit/exercise"
	. "github.com/gomlx/gomlx/core/graph"
)

// A check cell compares the learner's function with the reference on fixed inputs.
func ExampleFunc() {
	// What a learner wrote for D*(x) = p_data / (p_data + p_g), with a slip.
	dStar := func(p [2]float64) float64 { return p[0] / p[1] }
	exercise.Func("02-d-star", "Hint: divide by the sum of the two densities.",
		dStar,
		func(p [2]float64) float64 { return p[0] / (p[0] + p[1]) },
		[][2]float64{{0.2, 0.2}, {0.3, 0.1}}, 1e-9)

	exercise.Value("02-jsd", "", func() float64 { return math.Log(2) }, 0.6931471805599453, 1e-12)
	// Output:
	// ✘ 02-d-star: on input [0.2 0.2] your function returns 1; the expected value is 0.5
	//   Hint: divide by the sum of the two densities.
	// ✔ 02-jsd: passed. 0.693147, as expected.
}

// A graph check runs the learner's graph code and the reference on fixed inputs and
// compares their outputs and their gradients.
func ExampleGraph() {
	// The generator's non-saturating loss -log D(G(z)) = softplus(-ℓ), averaged over D's
	// logits ℓ on generated samples; the learner wrote the saturating one by mistake.
	learner := func(x []*Node) *Node { return Neg(ReduceAllMean(Softplus(x[0]))) }
	reference := func(x []*Node) *Node { return ReduceAllMean(Softplus(Neg(x[0]))) }
	exercise.Graph("01-ns-loss", "Hint: -log σ(ℓ) = softplus(-ℓ).", learner, reference,
		[]exercise.Inputs{{[]float32{0, 0}}}, 1e-5)
	// Output:
	// ✘ 01-ns-loss: the output is -0.693147; the expected value is 0.693147
	//   Hint: -log σ(ℓ) = softplus(-ℓ).
}
