package target

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Mixture is a mixture of isotropic Gaussians in Dim() dimensions. A single Gaussian is a
// Mixture with one component.
type Mixture struct {
	name    string
	means   [][]float64
	stds    []float64
	weights []float64 // normalised to sum 1
	cum     []float64 // cumulative weights, for sampling
}

// NewMixture builds a mixture. means[i] is the centre of component i, stds[i] its standard
// deviation (the same on every axis), weights[i] its relative weight (normalised here;
// nil means equal weights).
func NewMixture(name string, means [][]float64, stds, weights []float64) (*Mixture, error) {
	if len(means) == 0 {
		return nil, fmt.Errorf("target: mixture %q needs at least one component", name)
	}
	if len(stds) != len(means) {
		return nil, fmt.Errorf("target: mixture %q has %d means but %d standard deviations", name, len(means), len(stds))
	}
	if weights == nil {
		weights = make([]float64, len(means))
		for i := range weights {
			weights[i] = 1
		}
	}
	if len(weights) != len(means) {
		return nil, fmt.Errorf("target: mixture %q has %d means but %d weights", name, len(means), len(weights))
	}
	dim := len(means[0])
	if dim == 0 {
		return nil, fmt.Errorf("target: mixture %q has zero-dimensional means", name)
	}
	total := 0.0
	for i := range means {
		if len(means[i]) != dim {
			return nil, fmt.Errorf("target: mixture %q: mean %d has dimension %d, want %d", name, i, len(means[i]), dim)
		}
		for _, v := range means[i] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("target: mixture %q: mean %d must be finite, got %v", name, i, means[i])
			}
		}
		if !(stds[i] > 0) || math.IsInf(stds[i], 0) {
			return nil, fmt.Errorf("target: mixture %q: standard deviation %d must be positive and finite, got %g", name, i, stds[i])
		}
		if !(weights[i] >= 0) || math.IsInf(weights[i], 0) {
			return nil, fmt.Errorf("target: mixture %q: weight %d must be non-negative and finite, got %g", name, i, weights[i])
		}
		total += weights[i]
	}
	if total <= 0 {
		return nil, fmt.Errorf("target: mixture %q: weights sum to zero", name)
	}
	// Copy the caller's slices, so that reusing them later cannot move the modes.
	ownMeans := make([][]float64, len(means))
	for i, mu := range means {
		ownMeans[i] = append([]float64(nil), mu...)
	}
	m := &Mixture{name: name, means: ownMeans, stds: append([]float64(nil), stds...),
		weights: make([]float64, len(weights)), cum: make([]float64, len(weights))}
	acc := 0.0
	for i, w := range weights {
		m.weights[i] = w / total
		acc += m.weights[i]
		m.cum[i] = acc
	}
	m.cum[len(m.cum)-1] = 1
	return m, nil
}

func mustMixture(name string, means [][]float64, stds, weights []float64) *Mixture {
	m, err := NewMixture(name, means, stds, weights)
	if err != nil {
		panic(err)
	}
	return m
}

// Gaussian is the 1-D normal distribution N(mean, std²). It panics if std <= 0.
func Gaussian(mean, std float64) *Mixture {
	return mustMixture(fmt.Sprintf("N(%g, %g²)", mean, std), [][]float64{{mean}}, []float64{std}, nil)
}

// Bimodal is the 1-D mixture 0.5·N(-2, 0.5²) + 0.5·N(2, 0.5²).
func Bimodal() *Mixture {
	return mustMixture("bimodal", [][]float64{{-2}, {2}}, []float64{0.5, 0.5}, nil)
}

// Ring places n equal Gaussians of standard deviation std evenly on a circle of the given
// radius (the "ring of 8" of the mode-collapse literature is Ring(8, 2, 0.02)).
func Ring(n int, radius, std float64) *Mixture {
	means := make([][]float64, n)
	for i := range means {
		a := 2 * math.Pi * float64(i) / float64(n)
		means[i] = []float64{radius * math.Cos(a), radius * math.Sin(a)}
	}
	return mustMixture(fmt.Sprintf("ring of %d", n), means, constant(n, std), nil)
}

// Grid places side×side equal Gaussians of standard deviation std on a square grid with the
// given spacing, centred on the origin (the "grid of 25" is Grid(5, 2, 0.05)).
func Grid(side int, spacing, std float64) *Mixture {
	means := make([][]float64, 0, side*side)
	off := spacing * float64(side-1) / 2
	for i := 0; i < side; i++ {
		for j := 0; j < side; j++ {
			means = append(means, []float64{float64(i)*spacing - off, float64(j)*spacing - off})
		}
	}
	return mustMixture(fmt.Sprintf("grid of %d", side*side), means, constant(side*side, std), nil)
}

func constant(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// Name implements Distribution.
func (m *Mixture) Name() string { return m.name }

// Dim implements Distribution.
func (m *Mixture) Dim() int { return len(m.means[0]) }

// Modes returns the component means (do not modify).
func (m *Mixture) Modes() [][]float64 { return m.means }

// Stds returns the component standard deviations (do not modify).
func (m *Mixture) Stds() []float64 { return m.stds }

// Weights returns the normalised component weights (do not modify).
func (m *Mixture) Weights() []float64 { return m.weights }

// Sample implements Distribution.
func (m *Mixture) Sample(rng *rand.Rand, n int) []float32 {
	dim := m.Dim()
	out := make([]float32, n*dim)
	for i := 0; i < n; i++ {
		c := m.component(rng.Float64())
		for d := 0; d < dim; d++ {
			out[i*dim+d] = float32(m.means[c][d] + m.stds[c]*rng.NormFloat64())
		}
	}
	return out
}

func (m *Mixture) component(u float64) int {
	for i, c := range m.cum {
		if u < c {
			return i
		}
	}
	return len(m.cum) - 1
}

// Density implements Density.
func (m *Mixture) Density(x []float64) float64 {
	dim := m.Dim()
	p := 0.0
	for c, mu := range m.means {
		s := m.stds[c]
		d2 := 0.0
		for d := 0; d < dim; d++ {
			diff := x[d] - mu[d]
			d2 += diff * diff
		}
		norm := math.Pow(2*math.Pi*s*s, -float64(dim)/2)
		p += m.weights[c] * norm * math.Exp(-d2/(2*s*s))
	}
	return p
}

// Bounds implements Distribution: every component's mean ± 4 std, padded by 10%.
func (m *Mixture) Bounds() (lo, hi []float64) {
	dim := m.Dim()
	lo, hi = make([]float64, dim), make([]float64, dim)
	for d := 0; d < dim; d++ {
		lo[d], hi[d] = math.Inf(1), math.Inf(-1)
		for c, mu := range m.means {
			lo[d] = math.Min(lo[d], mu[d]-4*m.stds[c])
			hi[d] = math.Max(hi[d], mu[d]+4*m.stds[c])
		}
		pad := 0.1 * (hi[d] - lo[d])
		lo[d] -= pad
		hi[d] += pad
	}
	return lo, hi
}
