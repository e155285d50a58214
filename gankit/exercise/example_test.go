package exercise_test

import (
	"math"

	"github.com/gankit/kit/gankit/exercise"
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
