package target_test

import (
	"fmt"

	"github.com/gankit/kit/gankit/target"
)

// The standard targets of the lessons, by name.
func ExampleByName() {
	for _, name := range target.Names() {
		d, err := target.ByName(name)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-9s -> %-10s %d-D\n", name, d.Name(), d.Dim())
	}
	_, err := target.ByName("banana")
	fmt.Println(err)
	// Output:
	// bimodal   -> bimodal    1-D
	// gaussian  -> N(2, 0.5²) 1-D
	// grid25    -> grid of 25 2-D
	// ring8     -> ring of 8  2-D
	// two-moons -> two moons  2-D
	// uniform   -> U(-1, 1)   1-D
	// target: unknown distribution "banana" (known: bimodal, gaussian, grid25, ring8, two-moons, uniform)
}

// A mixture samples reproducibly from a seeded generator, and reports its exact density.
func ExampleNewMixture() {
	m, err := target.NewMixture("two bumps", [][]float64{{-1}, {1}}, []float64{0.5, 0.5}, []float64{1, 3})
	if err != nil {
		panic(err)
	}
	fmt.Println("weights:", m.Weights())
	a := m.Sample(target.NewRand(7), 3)
	b := m.Sample(target.NewRand(7), 3)
	fmt.Println("same seed, same samples:", fmt.Sprint(a) == fmt.Sprint(b))
	// At x = 1 the second component contributes 0.75 / (0.5·sqrt(2π)) ≈ 0.59841 and the
	// first, 2 = 4 std away, 0.25·e^-8 / (0.5·sqrt(2π)) ≈ 0.00007.
	fmt.Printf("density at 1: %.5f\n", m.Density([]float64{1}))
	// Output:
	// weights: [0.25 0.75]
	// same seed, same samples: true
	// density at 1: 0.59848
}

// Grids of five, one and no points.
func ExampleLinspace() {
	fmt.Println(target.Linspace(-1, 1, 5))
	fmt.Println(target.Linspace(0, 1, 1), target.Linspace(0, 1, 0))
	// Output:
	// [-1 -0.5 0 0.5 1]
	// [0.5] []
}
