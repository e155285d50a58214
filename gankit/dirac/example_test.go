package dirac_test

import (
	"fmt"

	"github.com/gankit/kit/gankit/dirac"
)

// Simultaneous gradient steps spiral away from the Dirac-GAN's equilibrium, alternating
// steps circle it, and R1 makes them converge.
func ExampleTrajectory() {
	start := dirac.Point{Theta: 1, Psi: 0}
	for _, c := range []struct {
		u dirac.Update
		s dirac.Stabiliser
	}{{dirac.Simultaneous, dirac.Stabiliser{}}, {dirac.Alternating, dirac.Stabiliser{}}, {dirac.Simultaneous, dirac.Stabiliser{Gamma: 0.3}}} {
		path, err := dirac.Trajectory(start, c.u, c.s, 0.2, 500)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s, %s: radius %.3g after 500 steps\n", c.u, c.s, path[500].Radius())
	}
	l1, l2 := dirac.Stabiliser{}.Eigenvalues()
	fmt.Printf("eigenvalues at the equilibrium: %.2g, %.2g\n", l1, l2)
	// Output:
	// simultaneous, none: radius 3.1 after 500 steps
	// alternating, none: radius 0.996 after 500 steps
	// simultaneous, R1 γ = 0.3: radius 2.99e-06 after 500 steps
	// eigenvalues at the equilibrium: (0+0.5i), (0-0.5i)
}
