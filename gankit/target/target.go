package target

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
)

// Distribution is a target the generator tries to match.
type Distribution interface {
	// Name identifies the distribution in plots and messages.
	Name() string
	// Dim is the dimension of each point (1 or 2 in the toy lessons).
	Dim() int
	// Sample draws n points, flat and row-major: n*Dim() values.
	Sample(rng *rand.Rand, n int) []float32
	// Bounds is a box, per coordinate, that holds almost all of the mass: plots and
	// density grids use it.
	Bounds() (lo, hi []float64)
}

// Density is implemented by distributions with a closed-form probability density.
type Density interface {
	Distribution
	// Density at point x (len(x) == Dim()).
	Density(x []float64) float64
}

// NewRand returns the seeded generator gankit uses everywhere: PCG seeded with seed.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

var registry = map[string]func() Distribution{
	"gaussian":  func() Distribution { return Gaussian(2, 0.5) },
	"bimodal":   func() Distribution { return Bimodal() },
	"uniform":   func() Distribution { return Uniform(-1, 1) },
	"ring8":     func() Distribution { return Ring(8, 2, 0.02) },
	"grid25":    func() Distribution { return Grid(5, 2, 0.05) },
	"two-moons": func() Distribution { return TwoMoons(0.05) },
}

// Names lists the names ByName accepts.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ByName returns one of the standard targets by name, with its default parameters:
// "gaussian" N(2, 0.5²), "bimodal" (see Bimodal), "uniform" U(-1, 1), "ring8" (8 Gaussians
// of std 0.02 on a circle of radius 2), "grid25" (5x5 Gaussians of std 0.05, spacing 2),
// "two-moons" (noise 0.05).
func ByName(name string) (Distribution, error) {
	f, ok := registry[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return nil, fmt.Errorf("target: unknown distribution %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return f(), nil
}
