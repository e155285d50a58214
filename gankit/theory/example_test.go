package theory_test

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/theory"
)

// Theorem 1 of Goodfellow et al. (2014), checked numerically: plugging the optimal
// discriminator into V gives C(G) = -log 4 + 2·JSD(p_data ‖ p_g).
func ExampleC() {
	data := target.Bimodal()     // 0.5·N(-2, 0.5²) + 0.5·N(2, 0.5²)
	gen := target.Gaussian(0, 1) // a generator that has not found the modes yet
	q := theory.Quadrature{Lo: -12, Hi: 12, N: 4000}

	c, err := theory.C(data, gen, q) // V(D*, G) by quadrature
	if err != nil {
		panic(err)
	}
	jsd, err := theory.JSD(data, gen, q)
	if err != nil {
		panic(err)
	}
	fmt.Printf("C(G)              = %.6f\n", c)
	fmt.Printf("-log 4 + 2·JSD    = %.6f\n", theory.MinC+2*jsd)
	fmt.Printf("JSD / log 2       = %.4f\n", jsd/math.Ln2)

	same, _ := theory.C(data, data, q)
	fmt.Printf("C at p_g = p_data = %.6f (-log 4 = %.6f)\n", same, theory.MinC)
	// Output:
	// C(G)              = -0.653704
	// -log 4 + 2·JSD    = -0.653704
	// JSD / log 2       = 0.5285
	// C at p_g = p_data = -1.386294 (-log 4 = -1.386294)
}

// D* = p_data / (p_data + p_g) at a few points: 1/2 where the densities are equal.
func ExampleOptimalD() {
	dStar := theory.OptimalD(target.Gaussian(0, 1), target.Gaussian(2, 1))
	for _, x := range []float64{-2, 0, 1, 2, 4} {
		fmt.Printf("D*(%g) = %.4f\n", x, dStar(x))
	}
	fmt.Println(theory.DStar(0, 0)) // off both supports: the convention 1/2
	// Output:
	// D*(-2) = 0.9975
	// D*(0) = 0.8808
	// D*(1) = 0.5000
	// D*(2) = 0.1192
	// D*(4) = 0.0025
	// 0.5
}

// KL against its closed form for two Gaussians.
func ExampleKL() {
	p, q := target.Gaussian(0, 1), target.Gaussian(1, 2)
	kl, err := theory.KL(p, q, theory.Quadrature{Lo: -20, Hi: 20, N: 4000})
	if err != nil {
		panic(err)
	}
	closed := math.Log(2) + (1+1)/(2*4.0) - 0.5
	fmt.Printf("KL = %.6f, closed form = %.6f\n", kl, closed)
	// Output:
	// KL = 0.443147, closed form = 0.443147
}

// How far a (here hand-made) discriminator is from D*, only where samples would land.
func ExampleMaxGap() {
	data, gen := target.Gaussian(0, 1), target.Gaussian(2, 1)
	dStar := theory.OptimalD(data, gen)
	d := func(x float64) float64 { return 1 / (1 + math.Exp(1.8*(x-1))) } // D* is sigmoid(-2(x-1))
	q := theory.Auto(data, gen, 200)
	gap, at := theory.MaxGap(d, dStar, data, gen, q.Points(), 0.01)
	fmt.Printf("max |D - D*| = %.3f at x = %.2f\n", gap, at)
	// Output:
	// max |D - D*| = 0.024 at x = 1.81
}
