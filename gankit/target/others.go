package target

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// UniformDist is the 1-D uniform distribution on [Lo, Hi].
type UniformDist struct{ Lo, Hi float64 }

// Uniform returns U(lo, hi). It panics unless lo < hi.
func Uniform(lo, hi float64) UniformDist {
	if !(lo < hi) {
		panic(fmt.Sprintf("target: Uniform needs lo < hi, got [%g, %g]", lo, hi))
	}
	return UniformDist{lo, hi}
}

// Name implements Distribution.
func (u UniformDist) Name() string { return fmt.Sprintf("U(%g, %g)", u.Lo, u.Hi) }

// Dim implements Distribution.
func (u UniformDist) Dim() int { return 1 }

// Sample implements Distribution.
func (u UniformDist) Sample(rng *rand.Rand, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(u.Lo + (u.Hi-u.Lo)*rng.Float64())
	}
	return out
}

// Density implements Density.
func (u UniformDist) Density(x []float64) float64 {
	if x[0] < u.Lo || x[0] > u.Hi {
		return 0
	}
	return 1 / (u.Hi - u.Lo)
}

// Bounds implements Distribution.
func (u UniformDist) Bounds() (lo, hi []float64) {
	pad := 0.25 * (u.Hi - u.Lo)
	return []float64{u.Lo - pad}, []float64{u.Hi + pad}
}

// TwoMoonsDist is scikit-learn's "two moons": two interleaved half circles, with Gaussian
// noise of standard deviation Noise. It has no closed-form density.
type TwoMoonsDist struct{ Noise float64 }

// TwoMoons returns the two-moons distribution with the given noise (>= 0).
func TwoMoons(noise float64) TwoMoonsDist {
	if !(noise >= 0) {
		panic(fmt.Sprintf("target: TwoMoons needs noise >= 0, got %g", noise))
	}
	return TwoMoonsDist{noise}
}

// Name implements Distribution.
func (TwoMoonsDist) Name() string { return "two moons" }

// Dim implements Distribution.
func (TwoMoonsDist) Dim() int { return 2 }

// Sample implements Distribution.
func (t TwoMoonsDist) Sample(rng *rand.Rand, n int) []float32 {
	out := make([]float32, 2*n)
	for i := 0; i < n; i++ {
		a := math.Pi * rng.Float64()
		var x, y float64
		if rng.IntN(2) == 0 {
			x, y = math.Cos(a), math.Sin(a)
		} else {
			x, y = 1-math.Cos(a), 0.5-math.Sin(a)
		}
		out[2*i] = float32(x + t.Noise*rng.NormFloat64())
		out[2*i+1] = float32(y + t.Noise*rng.NormFloat64())
	}
	return out
}

// Bounds implements Distribution.
func (t TwoMoonsDist) Bounds() (lo, hi []float64) {
	p := 0.5 + 4*t.Noise
	return []float64{-1 - p, -0.5 - p}, []float64{2 + p, 1 + p}
}
