package plots_test

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/plots"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
)

// The generator's gradient under the two losses, against D(G(z)), on a log axis.
func ExampleLinesLogY() {
	d := pointgan.Linspace(1e-4, 0.99, 100)
	minimax, nonSat := make([]float64, len(d)), make([]float64, len(d))
	for i, v := range d {
		minimax[i] = v    // |d log(1-D)/d logit| = D
		nonSat[i] = 1 - v // |d log D/d logit| = 1-D
	}
	f, err := plots.LinesLogY("generator gradient", "D(G(z))", "gradient magnitude",
		plots.Series{Name: "minimax", X: d, Y: minimax},
		plots.Series{Name: "non-saturating", X: d, Y: nonSat, Style: plots.Dashed})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.PixelSize())
	// Output: 400 300
}

// One panel of Figure 1 of Goodfellow et al. (2014), from a hand-made snapshot.
func ExampleEvolution1D() {
	data := target.Gaussian(2, 0.5)
	grid := pointgan.Linspace(-1, 5, 100)
	d := make([]float64, len(grid))
	for i, x := range grid {
		d[i] = 1 / (1 + math.Exp(-(x - 1))) // A discriminator that likes x > 1.
	}
	samples := data.Sample(target.NewRand(1), 500)
	f, err := plots.Evolution1D(data, []pointgan.Snapshot{{Iteration: 0, Samples: samples, Dim: 1, GridX: grid, D: d}})
	if err != nil {
		fmt.Println(err)
		return
	}
	png, err := f.PNG()
	fmt.Println(err == nil && len(png) > 0, f.Rows(), f.Cols())
	// Output: true 1 1
}

// Errors say what is wrong.
func ExampleEvolution1D_error() {
	_, err := plots.Evolution1D(target.Gaussian(0, 1), []pointgan.Snapshot{{Dim: 2}})
	fmt.Println(err)
	// Output: plots: Evolution1D: snapshot 0 (iteration 0): Dim is 2, want 1
}
