package losses_test

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/losses"
)

// When D cannot tell real from fake (every logit 0, D = 1/2), its BCE is 2·log 2 and the
// generator's two losses are ∓log 2.
func ExampleDiscriminatorValue() {
	undecided := []float64{0, 0, 0, 0}
	fmt.Printf("L_D = %.6f (2·log 2 = %.6f)\n", losses.DiscriminatorValue(undecided, undecided), 2*math.Ln2)
	fmt.Printf("minimax L_G = %.6f\n", losses.Minimax.Value(undecided))
	fmt.Printf("non-saturating L_G = %.6f\n", losses.NonSaturating.Value(undecided))
	// Output:
	// L_D = 1.386294 (2·log 2 = 1.386294)
	// minimax L_G = -0.693147
	// non-saturating L_G = 0.693147
}

// Early in training D rejects the fakes with a logit of -5 (D(G(z)) ≈ 0.0067): the minimax
// loss is already near its ceiling of 0, the non-saturating loss still far from its floor.
func ExampleGenerator_Value() {
	rejected := []float64{-5}
	for _, l := range []losses.Generator{losses.Minimax, losses.NonSaturating} {
		fmt.Printf("%-28s %.4f\n", l, l.Value(rejected))
	}
	// Output:
	// minimax log(1 - D(G(z)))     -0.0067
	// non-saturating -log D(G(z))  5.0067
}
