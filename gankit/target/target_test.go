package target_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/target"
)

// wantDims is the documented dimension of every standard target. Keeping the list here
// (rather than looping over Names() alone) makes the test fail when a name is added to or
// removed from the registry without a test.
var wantDims = map[string]int{
	"gaussian":  1,
	"bimodal":   1,
	"uniform":   1,
	"ring8":     2,
	"grid25":    2,
	"two-moons": 2,
}

func TestByNameEveryName(t *testing.T) {
	names := target.Names()
	if !slices.IsSorted(names) {
		t.Errorf("Names() = %v, want sorted", names)
	}
	if len(names) != len(wantDims) {
		t.Errorf("Names() = %v, want exactly the %d names %v", names, len(wantDims), wantDims)
	}
	for _, name := range names {
		want, ok := wantDims[name]
		if !ok {
			t.Errorf("Names() lists %q, which this test does not know", name)
			continue
		}
		d, err := target.ByName(name)
		if err != nil {
			t.Errorf("ByName(%q): %v", name, err)
			continue
		}
		if d.Dim() != want {
			t.Errorf("ByName(%q).Dim() = %d, want %d", name, d.Dim(), want)
		}
		if d.Name() == "" {
			t.Errorf("ByName(%q).Name() is empty", name)
		}
		lo, hi := d.Bounds()
		if len(lo) != want || len(hi) != want {
			t.Errorf("ByName(%q).Bounds() has lengths %d, %d, want %d", name, len(lo), len(hi), want)
		}
		if got := len(d.Sample(target.NewRand(1), 7)); got != 7*want {
			t.Errorf("ByName(%q).Sample(7) has %d values, want %d", name, got, 7*want)
		}
	}
}

func TestByNameIgnoresCaseAndSpace(t *testing.T) {
	d, err := target.ByName("  Ring8\t")
	if err != nil {
		t.Fatal(err)
	}
	if d.Dim() != 2 || len(d.(*target.Mixture).Modes()) != 8 {
		t.Errorf("ByName(\"  Ring8\\t\") = %s with %d dims, want the ring of 8", d.Name(), d.Dim())
	}
}

func TestByNameUnknown(t *testing.T) {
	d, err := target.ByName("banana")
	if err == nil {
		t.Fatalf("ByName(\"banana\") = %v, want an error", d)
	}
	msg := err.Error()
	if !strings.Contains(msg, `"banana"`) {
		t.Errorf("error %q does not quote the unknown name", msg)
	}
	for _, name := range target.Names() {
		if !strings.Contains(msg, name) {
			t.Errorf("error %q does not list the known name %q", msg, name)
		}
	}
}

func TestNewMixtureValidation(t *testing.T) {
	one := [][]float64{{0}}
	two := [][]float64{{0}, {1}}
	for _, tc := range []struct {
		name    string
		means   [][]float64
		stds    []float64
		weights []float64
		want    string // substring of the error
	}{
		{"no components", nil, nil, nil, "at least one component"},
		{"fewer stds", two, []float64{1}, nil, "2 means but 1 standard deviations"},
		{"fewer weights", two, []float64{1, 1}, []float64{1}, "2 means but 1 weights"},
		{"zero-dimensional", [][]float64{{}}, []float64{1}, nil, "zero-dimensional"},
		{"mixed dimensions", [][]float64{{0, 0}, {1}}, []float64{1, 1}, nil, "mean 1 has dimension 1, want 2"},
		{"zero std", one, []float64{0}, nil, "standard deviation 0 must be positive"},
		{"negative std", two, []float64{1, -0.5}, nil, "standard deviation 1 must be positive"},
		{"NaN std", one, []float64{math.NaN()}, nil, "standard deviation 0 must be positive"},
		{"infinite std", one, []float64{math.Inf(1)}, nil, "standard deviation 0 must be positive"},
		{"negative weight", two, []float64{1, 1}, []float64{1, -1}, "weight 1 must be non-negative"},
		{"NaN weight", two, []float64{1, 1}, []float64{math.NaN(), 1}, "weight 0 must be non-negative"},
		{"infinite weight", two, []float64{1, 1}, []float64{math.Inf(1), 1}, "weight 0 must be non-negative"},
		{"zero total", two, []float64{1, 1}, []float64{0, 0}, "weights sum to zero"},
		{"NaN mean", [][]float64{{0}, {math.NaN()}}, []float64{1, 1}, nil, "mean 1 must be finite"},
		{"infinite mean", [][]float64{{0, math.Inf(-1)}}, []float64{1}, nil, "mean 0 must be finite"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := target.NewMixture("m", tc.means, tc.stds, tc.weights)
			if err == nil {
				t.Fatalf("NewMixture succeeded (%v), want an error containing %q", m, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestNewMixtureNormalisesWeights(t *testing.T) {
	m, err := target.NewMixture("m", [][]float64{{-1}, {0}, {1}}, []float64{1, 1, 1}, []float64{1, 0, 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.25, 0, 0.75}
	for i, w := range m.Weights() {
		if math.Abs(w-want[i]) > 1e-15 {
			t.Errorf("Weights() = %v, want %v", m.Weights(), want)
			break
		}
	}
	m, err = target.NewMixture("m", [][]float64{{-1}, {1}}, []float64{1, 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w := m.Weights(); w[0] != 0.5 || w[1] != 0.5 {
		t.Errorf("nil weights gave %v, want equal weights", w)
	}
}

// NewMixture must not keep the caller's slices: reusing a buffer after building a mixture
// would otherwise silently move its modes.
func TestNewMixtureCopiesInputs(t *testing.T) {
	means := [][]float64{{-1}, {1}}
	stds := []float64{0.5, 0.5}
	m, err := target.NewMixture("m", means, stds, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := m.Density([]float64{1})
	means[1][0] = 100
	stds[1] = 1e-3
	if got := m.Density([]float64{1}); got != before {
		t.Errorf("Density(1) changed from %g to %g after the caller modified its slices", before, got)
	}
	if m.Modes()[1][0] != 1 || m.Stds()[1] != 0.5 {
		t.Errorf("Modes/Stds follow the caller's slices: %v, %v", m.Modes(), m.Stds())
	}
}

// Sampling follows the weights: with weights 1:3 and well separated components, a quarter
// of the samples land near the first mean.
func TestMixtureSampleFollowsWeights(t *testing.T) {
	m, err := target.NewMixture("m", [][]float64{{-10}, {10}}, []float64{1, 1}, []float64{1, 3})
	if err != nil {
		t.Fatal(err)
	}
	const n = 40000
	left := 0
	for _, x := range m.Sample(target.NewRand(5), n) {
		if x < 0 {
			left++
		}
	}
	// Binomial(n, 1/4): standard deviation ≈ 87, so ±500 is about 6 sigma.
	if left < n/4-500 || left > n/4+500 {
		t.Errorf("%d of %d samples came from the weight-1/4 component, want about %d", left, n, n/4)
	}
}

func TestSampleReproducible(t *testing.T) {
	for _, name := range target.Names() {
		d, _ := target.ByName(name)
		a := d.Sample(target.NewRand(42), 100)
		b := d.Sample(target.NewRand(42), 100)
		c := d.Sample(target.NewRand(43), 100)
		if !slices.Equal(a, b) {
			t.Errorf("%s: two samples with seed 42 differ", name)
		}
		if slices.Equal(a, c) {
			t.Errorf("%s: samples with seeds 42 and 43 are identical", name)
		}
	}
}

func TestGaussianMoments(t *testing.T) {
	const n = 50000
	xs := target.Gaussian(2, 0.5).Sample(target.NewRand(1), n)
	mean, std := moments(xs)
	// Standard errors: 0.5/sqrt(n) ≈ 0.0022 for the mean, 0.5/sqrt(2n) ≈ 0.0016 for the std.
	if math.Abs(mean-2) > 0.01 {
		t.Errorf("sample mean %g, want 2 ± 0.01", mean)
	}
	if math.Abs(std-0.5) > 0.01 {
		t.Errorf("sample std %g, want 0.5 ± 0.01", std)
	}
}

func TestGaussianDensityPeak(t *testing.T) {
	g := target.Gaussian(2, 0.5)
	want := 1 / (0.5 * math.Sqrt(2*math.Pi))
	if got := g.Density([]float64{2}); math.Abs(got-want) > 1e-12 {
		t.Errorf("density at the mean = %g, want %g", got, want)
	}
	// One standard deviation away the density drops by exp(-1/2).
	if got := g.Density([]float64{2.5}); math.Abs(got-want*math.Exp(-0.5)) > 1e-12 {
		t.Errorf("density at mean+std = %g, want %g", got, want*math.Exp(-0.5))
	}
}

func moments(xs []float32) (mean, std float64) {
	for _, x := range xs {
		mean += float64(x)
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		std += (float64(x) - mean) * (float64(x) - mean)
	}
	return mean, math.Sqrt(std / float64(len(xs)-1))
}

func TestRingModes(t *testing.T) {
	r := target.Ring(8, 2, 0.02)
	modes := r.Modes()
	if len(modes) != 8 {
		t.Fatalf("Ring(8, ...) has %d modes", len(modes))
	}
	for i, mu := range modes {
		if rad := math.Hypot(mu[0], mu[1]); math.Abs(rad-2) > 1e-12 {
			t.Errorf("mode %d %v lies at radius %g, want 2", i, mu, rad)
		}
		next := modes[(i+1)%8]
		// Neighbours on a circle of radius 2 split in 8 are 2·2·sin(π/8) apart.
		if d := math.Hypot(next[0]-mu[0], next[1]-mu[1]); math.Abs(d-4*math.Sin(math.Pi/8)) > 1e-12 {
			t.Errorf("modes %d and %d are %g apart, want %g", i, (i+1)%8, d, 4*math.Sin(math.Pi/8))
		}
	}

	const n = 8000
	xs := r.Sample(target.NewRand(3), n)
	counts := make([]int, 8)
	for i := 0; i < n; i++ {
		x, y := float64(xs[2*i]), float64(xs[2*i+1])
		best, bestD := -1, math.Inf(1)
		for c, mu := range modes {
			if d := math.Hypot(x-mu[0], y-mu[1]); d < bestD {
				best, bestD = c, d
			}
		}
		if bestD > 0.2 {
			t.Errorf("sample (%g, %g) is %g from the nearest mode, want <= 0.2", x, y, bestD)
		}
		counts[best]++
	}
	for c, k := range counts {
		if k < 700 || k > 1300 {
			t.Errorf("mode %d got %d of %d samples, want 1000 ± 30%% (all counts %v)", c, k, n, counts)
		}
	}
}

func TestGridModes(t *testing.T) {
	g := target.Grid(5, 2, 0.05)
	modes := g.Modes()
	if len(modes) != 25 {
		t.Fatalf("Grid(5, ...) has %d modes, want 25", len(modes))
	}
	axis := []float64{-4, -2, 0, 2, 4}
	seen := map[[2]float64]bool{}
	var cx, cy float64
	for _, mu := range modes {
		if !slices.Contains(axis, mu[0]) || !slices.Contains(axis, mu[1]) {
			t.Errorf("mode %v is not on the grid {-4,-2,0,2,4}²", mu)
		}
		seen[[2]float64{mu[0], mu[1]}] = true
		cx += mu[0]
		cy += mu[1]
	}
	if len(seen) != 25 {
		t.Errorf("only %d distinct modes, want 25", len(seen))
	}
	if cx != 0 || cy != 0 {
		t.Errorf("the modes sum to (%g, %g), want the grid centred on the origin", cx, cy)
	}
	for _, s := range g.Stds() {
		if s != 0.05 {
			t.Errorf("component std %g, want 0.05", s)
		}
	}
}

// riemann1 integrates f over [lo, hi] by the midpoint rule with n cells.
func riemann1(f func(x []float64) float64, lo, hi float64, n int) float64 {
	h := (hi - lo) / float64(n)
	s := 0.0
	x := []float64{0}
	for i := 0; i < n; i++ {
		x[0] = lo + (float64(i)+0.5)*h
		s += f(x)
	}
	return s * h
}

// riemann2 integrates f over the box [lo, hi] by the midpoint rule with n×n cells.
func riemann2(f func(x []float64) float64, lo, hi []float64, n int) float64 {
	hx, hy := (hi[0]-lo[0])/float64(n), (hi[1]-lo[1])/float64(n)
	s := 0.0
	x := []float64{0, 0}
	for i := 0; i < n; i++ {
		x[0] = lo[0] + (float64(i)+0.5)*hx
		for j := 0; j < n; j++ {
			x[1] = lo[1] + (float64(j)+0.5)*hy
			s += f(x)
		}
	}
	return s * hx * hy
}

func TestDensityIntegratesToOne(t *testing.T) {
	wide, err := target.NewMixture("wide", [][]float64{{-1, 0}, {1, 1}, {0, -2}}, []float64{0.3, 0.5, 0.4}, []float64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		d target.Density
		n int // cells per axis
	}{
		{target.Gaussian(2, 0.5), 2000},
		{target.Bimodal(), 2000},
		{target.Uniform(-1, 1), 20000},
		// A midpoint sum over cells narrower than a Gaussian's std is exact far beyond 1e-3
		// (its error falls like exp(-2π²σ²/h²)), so the 2-D grids stay coarse: each
		// density call costs one exp per mode.
		{target.Ring(8, 2, 0.02), 250}, // cells of 0.02 for a std of 0.02
		{target.Grid(5, 2, 0.05), 250}, // cells of 0.04 for a std of 0.05
		{wide, 400},
	} {
		lo, hi := tc.d.Bounds()
		var total float64
		if tc.d.Dim() == 1 {
			total = riemann1(tc.d.Density, lo[0], hi[0], tc.n)
		} else {
			total = riemann2(tc.d.Density, lo, hi, tc.n)
		}
		if math.Abs(total-1) > 1e-3 {
			t.Errorf("%s: density integrates to %.6f over its bounds, want 1", tc.d.Name(), total)
		}
	}
}

func TestUniform(t *testing.T) {
	u := target.Uniform(-1, 3)
	for _, tc := range []struct{ x, want float64 }{
		{-1.5, 0}, {-1, 0.25}, {0, 0.25}, {2.999, 0.25}, {3, 0.25}, {3.01, 0},
	} {
		if got := u.Density([]float64{tc.x}); got != tc.want {
			t.Errorf("U(-1, 3) density at %g = %g, want %g", tc.x, got, tc.want)
		}
	}
	lo, hi := u.Bounds()
	if lo[0] > -1 || hi[0] < 3 || lo[0] < -3 || hi[0] > 5 {
		t.Errorf("Bounds() = [%g, %g], want a box holding [-1, 3] with modest padding", lo[0], hi[0])
	}
	xs := u.Sample(target.NewRand(9), 20000)
	mean, std := moments(xs)
	// U(-1, 3): mean 1, std 4/sqrt(12).
	if math.Abs(mean-1) > 0.03 || math.Abs(std-4/math.Sqrt(12)) > 0.03 {
		t.Errorf("sample mean, std = %g, %g, want 1, %g", mean, std, 4/math.Sqrt(12))
	}
	for _, x := range xs {
		if x < -1 || x > 3 {
			t.Fatalf("sample %g outside [-1, 3]", x)
		}
	}
}

func TestInvalidParametersPanic(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"Uniform(1, 1)", func() { target.Uniform(1, 1) }},
		{"Uniform(2, 1)", func() { target.Uniform(2, 1) }},
		{"Uniform(NaN, 1)", func() { target.Uniform(math.NaN(), 1) }},
		{"TwoMoons(-0.1)", func() { target.TwoMoons(-0.1) }},
		{"TwoMoons(NaN)", func() { target.TwoMoons(math.NaN()) }},
		{"Gaussian(0, 0)", func() { target.Gaussian(0, 0) }},
		{"Ring(0, 2, 0.1)", func() { target.Ring(0, 2, 0.1) }},
		{"Grid(3, 2, -1)", func() { target.Grid(3, 2, -1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", tc.name)
				}
			}()
			tc.f()
		})
	}
	// The boundary cases that are valid must not panic.
	target.TwoMoons(0)
	target.Uniform(-1e-9, 1e-9)
}

func TestBoundsHoldTheSamples(t *testing.T) {
	const n = 20000
	for _, name := range target.Names() {
		d, _ := target.ByName(name)
		lo, hi := d.Bounds()
		dim := d.Dim()
		xs := d.Sample(target.NewRand(11), n)
		inside := 0
	points:
		for i := 0; i < n; i++ {
			for k := 0; k < dim; k++ {
				if v := float64(xs[i*dim+k]); v < lo[k] || v > hi[k] {
					continue points
				}
			}
			inside++
		}
		if frac := float64(inside) / n; frac < 0.999 {
			t.Errorf("%s: only %.4f of the samples lie within Bounds() %v..%v, want >= 0.999", name, frac, lo, hi)
		}
	}
}

func TestTwoMoonsShape(t *testing.T) {
	// Without noise every point lies exactly on one of the two unit half circles.
	xs := target.TwoMoons(0).Sample(target.NewRand(2), 2000)
	upper := 0
	for i := 0; i < len(xs)/2; i++ {
		x, y := float64(xs[2*i]), float64(xs[2*i+1])
		onUpper := math.Abs(math.Hypot(x, y)-1) < 1e-5 && y >= -1e-6
		onLower := math.Abs(math.Hypot(x-1, y-0.5)-1) < 1e-5 && y <= 0.5+1e-6
		if !onUpper && !onLower {
			t.Fatalf("noise-free sample (%g, %g) lies on neither moon", x, y)
		}
		if onUpper {
			upper++
		}
	}
	if upper < 850 || upper > 1150 {
		t.Errorf("%d of 1000 points on the upper moon, want about half", upper)
	}
}
