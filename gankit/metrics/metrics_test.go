package metrics

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/target"
)

// atModes returns counts[i] samples placed exactly at mode i of m.
func atModes(m *target.Mixture, counts []int) []float32 {
	var out []float32
	for i, c := range counts {
		for range c {
			for _, v := range m.Modes()[i] {
				out = append(out, float32(v))
			}
		}
	}
	return out
}

func repeat(n, c int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = c
	}
	return s
}

func mustModes(t *testing.T, samples []float32, m *target.Mixture, opt ModeOptions) ModeReport {
	t.Helper()
	r, err := Modes(samples, m, opt)
	if err != nil {
		t.Fatalf("Modes: %v", err)
	}
	return r
}

func TestModesAllRingModesCaptured(t *testing.T) {
	m := target.Ring(8, 2, 0.02)
	r := mustModes(t, atModes(m, repeat(8, 1000)), m, ModeOptions{})
	if r.Samples != 8000 || r.HighQuality != 8000 || r.HighQualityFraction != 1 {
		t.Errorf("samples/HQ/fraction = %d/%d/%g, want 8000/8000/1", r.Samples, r.HighQuality, r.HighQualityFraction)
	}
	if r.Captured != 8 || r.Modes != 8 {
		t.Errorf("captured %d of %d, want 8 of 8", r.Captured, r.Modes)
	}
	if !slices.Equal(r.Counts, repeat(8, 1000)) {
		t.Errorf("counts = %v, want 1000 each", r.Counts)
	}
	if r.ReverseKL != 0 {
		t.Errorf("reverse KL = %g, want exactly 0", r.ReverseKL)
	}
	if got, want := r.String(), "8/8 modes, 100.0% high quality, reverse KL 0.000"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestModesCollapsedOnOneMode(t *testing.T) {
	m := target.Ring(8, 2, 0.02)
	counts := make([]int, 8)
	counts[3] = 800
	r := mustModes(t, atModes(m, counts), m, ModeOptions{})
	if r.Captured != 1 || r.HighQuality != 800 || !slices.Equal(r.Counts, counts) {
		t.Errorf("captured %d, HQ %d, counts %v; want 1, 800, %v", r.Captured, r.HighQuality, r.Counts, counts)
	}
	if r.ReverseKL != math.Log(8) {
		t.Errorf("reverse KL = %.17g, want log 8 = %.17g", r.ReverseKL, math.Log(8))
	}
	if mode, share := r.Top(); mode != 3 || share != 1 || !slices.Equal(r.Nearest, counts) {
		t.Errorf("Top() = %d, %g, nearest %v; want 3, 1, %v", mode, share, r.Nearest, counts)
	}
}

// Samples at 2.9 and 3.1 standard deviations from a mode, along an axis and along a
// diagonal (so that the distance is the Euclidean norm, not a per-coordinate test).
func TestModesHighQualityThreshold(t *testing.T) {
	m := target.Ring(8, 2, 0.02)
	mu, s := m.Modes()[0], m.Stds()[0] // (2, 0), 0.02
	at := func(k float64, diagonal bool) []float32 {
		if diagonal {
			d := k * s / math.Sqrt2
			return []float32{float32(mu[0] + d), float32(mu[1] + d)}
		}
		return []float32{float32(mu[0] + k*s), float32(mu[1])}
	}
	for _, diagonal := range []bool{false, true} {
		for _, tc := range []struct {
			k, stdMultiple float64
			hq             bool
		}{
			{2.9, 0, true}, {3.1, 0, false}, {2.9, 3, true}, {3.1, 3, false},
			{3.1, 3.2, true}, {2.9, 2.8, false},
		} {
			r := mustModes(t, at(tc.k, diagonal), m, ModeOptions{StdMultiple: tc.stdMultiple})
			if got := r.HighQuality == 1; got != tc.hq {
				t.Errorf("%.1f std (diagonal %v, StdMultiple %g): high quality = %v, want %v", tc.k, diagonal, tc.stdMultiple, got, tc.hq)
			}
			wantCounts := make([]int, 8)
			if tc.hq {
				wantCounts[0] = 1
			}
			if !slices.Equal(r.Counts, wantCounts) {
				t.Errorf("%.1f std: counts %v, want %v", tc.k, r.Counts, wantCounts)
			}
		}
	}
}

func TestModesMinCount(t *testing.T) {
	m := target.Ring(8, 2, 0.02)
	counts := []int{19, 20, 0, 0, 0, 0, 0, 0}
	samples := atModes(m, counts)
	for _, tc := range []struct{ minCount, captured int }{{0, 2}, {1, 2}, {19, 2}, {20, 1}, {21, 0}} {
		r := mustModes(t, samples, m, ModeOptions{MinCount: tc.minCount})
		if r.Captured != tc.captured {
			t.Errorf("MinCount %d: captured %d, want %d", tc.minCount, r.Captured, tc.captured)
		}
		// The histogram, and so the reverse KL, does not depend on MinCount.
		want := 19.0/39*math.Log(19.0/39*8) + 20.0/39*math.Log(20.0/39*8)
		if math.Abs(r.ReverseKL-want) > 1e-15 {
			t.Errorf("MinCount %d: reverse KL %.17g, want %.17g", tc.minCount, r.ReverseKL, want)
		}
	}
}

// Samples far from every mode lower the high-quality fraction but are not in the mode
// histogram.
func TestModesLowQualitySamplesAreNotCounted(t *testing.T) {
	m := target.Ring(8, 2, 0.02)
	samples := atModes(m, repeat(8, 100))
	// Halfway from the centre to mode 5: 50 std from it, and further from the others.
	mu5 := m.Modes()[5]
	for range 200 {
		samples = append(samples, float32(mu5[0]/2), float32(mu5[1]/2))
	}
	r := mustModes(t, samples, m, ModeOptions{})
	if r.Samples != 1000 || r.HighQuality != 800 || r.HighQualityFraction != 0.8 {
		t.Errorf("samples/HQ/fraction = %d/%d/%g, want 1000/800/0.8", r.Samples, r.HighQuality, r.HighQualityFraction)
	}
	if r.Captured != 8 || r.ReverseKL != 0 || !slices.Equal(r.Counts, repeat(8, 100)) {
		t.Errorf("captured %d, reverse KL %g, counts %v; want 8, 0, 100 each", r.Captured, r.ReverseKL, r.Counts)
	}
	// Every sample has a nearest mode, high quality or not: mode 5 is the top one, with
	// 300 of the 1000 samples.
	want := repeat(8, 100)
	want[5] = 300
	if !slices.Equal(r.Nearest, want) {
		t.Errorf("nearest %v, want %v", r.Nearest, want)
	}
	if mode, share := r.Top(); mode != 5 || share != 0.3 {
		t.Errorf("Top() = %d, %g; want 5, 0.3", mode, share)
	}
	if got, want := r.String(), "8/8 modes, 80.0% high quality, reverse KL 0.000"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestModesNoHighQualitySample(t *testing.T) {
	m := target.Ring(8, 2, 0.02)
	r := mustModes(t, []float32{0, 0, 5, 5}, m, ModeOptions{})
	if r.HighQuality != 0 || r.Captured != 0 || !math.IsInf(r.ReverseKL, 1) {
		t.Errorf("HQ %d, captured %d, reverse KL %g; want 0, 0, +Inf", r.HighQuality, r.Captured, r.ReverseKL)
	}
	if got, want := r.String(), "0/8 modes, 0.0% high quality, reverse KL +Inf"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// With unequal weights the reverse KL compares with the weights, not with uniform.
func TestModesReverseKLAgainstWeights(t *testing.T) {
	m, err := target.NewMixture("1:3", [][]float64{{-1}, {1}}, []float64{0.1, 0.1}, []float64{1, 3})
	if err != nil {
		t.Fatal(err)
	}
	r := mustModes(t, atModes(m, []int{10, 10}), m, ModeOptions{})
	if want := 0.5 * math.Log(4.0/3); math.Abs(r.ReverseKL-want) > 1e-15 {
		t.Errorf("1:1 histogram vs 1:3 weights: reverse KL %.17g, want ½ log(4/3) = %.17g", r.ReverseKL, want)
	}
	r = mustModes(t, atModes(m, []int{5, 15}), m, ModeOptions{})
	if r.ReverseKL != 0 || r.Captured != 2 {
		t.Errorf("1:3 histogram vs 1:3 weights: reverse KL %g, captured %d; want 0, 2", r.ReverseKL, r.Captured)
	}
}

// The nearest mode is the nearest in units of each mode's standard deviation.
func TestModesNearestInStandardDeviations(t *testing.T) {
	m, err := target.NewMixture("narrow+wide", [][]float64{{0}, {2}}, []float64{0.1, 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 0.5 is 5 std from mode 0 (Euclidean distance 0.5) and 1.5 std from mode 1 (1.5).
	r := mustModes(t, []float32{0.5}, m, ModeOptions{})
	if !slices.Equal(r.Counts, []int{0, 1}) {
		t.Errorf("counts %v, want [0 1]", r.Counts)
	}
}

func TestModesGridOf25(t *testing.T) {
	m := target.Grid(5, 2, 0.05)
	r := mustModes(t, atModes(m, repeat(25, 40)), m, ModeOptions{})
	if r.Captured != 25 || r.Modes != 25 || r.HighQuality != 1000 || r.ReverseKL != 0 {
		t.Errorf("captured %d/%d, HQ %d, reverse KL %g; want 25/25, 1000, 0", r.Captured, r.Modes, r.HighQuality, r.ReverseKL)
	}
	// Only the 5 modes of the first row of the grid.
	counts := make([]int, 25)
	for i := range 5 {
		counts[i] = 40
	}
	r = mustModes(t, atModes(m, counts), m, ModeOptions{})
	if r.Captured != 5 || math.Abs(r.ReverseKL-math.Log(5)) > 1e-15 {
		t.Errorf("one row: captured %d, reverse KL %.17g; want 5, log 5 = %.17g", r.Captured, r.ReverseKL, math.Log(5))
	}
	// Off a mode by 2.9 and 3.1 std in both coordinates' directions of the grid.
	mu, s := m.Modes()[12], m.Stds()[12] // the centre, (0, 0)
	r = mustModes(t, []float32{float32(mu[0]), float32(mu[1] - 2.9*s), float32(mu[0] - 3.1*s), float32(mu[1])}, m, ModeOptions{})
	if r.HighQuality != 1 || r.Counts[12] != 1 {
		t.Errorf("2.9 and 3.1 std from the centre: HQ %d, centre count %d; want 1, 1", r.HighQuality, r.Counts[12])
	}
}

func TestModes1D(t *testing.T) {
	m := target.Bimodal() // modes -2, 2, std 0.5
	r := mustModes(t, []float32{-2, -2.5, -3.4, 1, 2, 0}, m, ModeOptions{})
	// -2, -2.5 (1 std), 1 (2 std from 2), 2 are high quality; -3.4 is 2.8 std: also; 0 is 4 std.
	if r.HighQuality != 5 || !slices.Equal(r.Counts, []int{3, 2}) || r.Captured != 2 {
		t.Errorf("HQ %d, counts %v, captured %d; want 5, [3 2], 2", r.HighQuality, r.Counts, r.Captured)
	}
}

// Samples from the target itself: every mode captured, and about 1 - e^{-4.5} = 98.9%
// high quality (the 3-std disc of a 2-D Gaussian).
func TestModesOnTargetSamples(t *testing.T) {
	m := target.Ring(8, 2, 0.02)
	r := mustModes(t, m.Sample(target.NewRand(1), 2500), m, ModeOptions{})
	want := 1 - math.Exp(-4.5)
	// Binomial sd is sqrt(0.989·0.011/2500) ≈ 0.0021: 0.008 is ~4 sd.
	if r.Captured != 8 || math.Abs(r.HighQualityFraction-want) > 0.008 {
		t.Errorf("captured %d, HQ fraction %.4f; want 8, %.4f ± 0.008", r.Captured, r.HighQualityFraction, want)
	}
	if r.ReverseKL > 0.01 {
		t.Errorf("reverse KL %g for target samples, want < 0.01", r.ReverseKL)
	}
}

func TestModeOptionsDefaults(t *testing.T) {
	if d := DefaultModeOptions(); d.StdMultiple != 3 || d.MinCount != 1 {
		t.Errorf("DefaultModeOptions() = %+v, want {3 1}", d)
	}
	got, err := ModeOptions{}.WithDefaults()
	if err != nil || got != DefaultModeOptions() {
		t.Errorf("ModeOptions{}.WithDefaults() = %+v, %v; want %+v", got, err, DefaultModeOptions())
	}
	got, err = ModeOptions{StdMultiple: 2}.WithDefaults()
	if err != nil || got != (ModeOptions{StdMultiple: 2, MinCount: 1}) {
		t.Errorf("{2 0}.WithDefaults() = %+v, %v; want {2 1}", got, err)
	}
}

func TestModesErrors(t *testing.T) {
	ring := target.Ring(8, 2, 0.02)
	for _, tc := range []struct {
		name    string
		samples []float32
		m       *target.Mixture
		opt     ModeOptions
		want    string
	}{
		{"nil mixture", []float32{0, 0}, nil, ModeOptions{}, "nil"},
		{"no samples", nil, ring, ModeOptions{}, "no samples"},
		{"wrong dimension", []float32{1, 2, 3}, ring, ModeOptions{}, "not a multiple of the dimension 2"},
		{"NaN", []float32{2, 0, 2, float32(math.NaN())}, ring, ModeOptions{}, "point 1, coordinate 1 is NaN"},
		{"Inf", []float32{float32(math.Inf(-1)), 0}, ring, ModeOptions{}, "point 0, coordinate 0 is -Inf"},
		{"negative std multiple", []float32{2, 0}, ring, ModeOptions{StdMultiple: -1}, "StdMultiple"},
		{"NaN std multiple", []float32{2, 0}, ring, ModeOptions{StdMultiple: math.NaN()}, "StdMultiple"},
		{"infinite std multiple", []float32{2, 0}, ring, ModeOptions{StdMultiple: math.Inf(1)}, "StdMultiple"},
		{"negative min count", []float32{2, 0}, ring, ModeOptions{MinCount: -1}, "MinCount"},
	} {
		_, err := Modes(tc.samples, tc.m, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestModeReportString(t *testing.T) {
	r := ModeReport{Captured: 8, Modes: 8, HighQualityFraction: 0.9214, ReverseKL: 0.0123}
	if got, want := r.String(), "8/8 modes, 92.1% high quality, reverse KL 0.012"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// --- W1 ---

func TestW1Identical(t *testing.T) {
	a := []float32{3, -1, 2, 2, 0.5}
	if w := W1(a, a); w != 0 {
		t.Errorf("W1(a, a) = %g, want 0", w)
	}
	if w := W1(a, []float32{2, 0.5, -1, 2, 3}); w != 0 {
		t.Errorf("W1 of a permutation = %g, want 0", w)
	}
}

func TestW1Shift(t *testing.T) {
	a := target.Gaussian(0, 1).Sample(target.NewRand(3), 500)
	for _, c := range []float64{0.75, -2.5, 10} {
		b := make([]float32, len(a))
		for i, v := range a {
			b[i] = v + float32(c)
		}
		if w := W1(a, b); math.Abs(w-math.Abs(c)) > 1e-5 {
			t.Errorf("W1 shifted by %g = %.9f, want %g", c, w, math.Abs(c))
		}
	}
	// Exactly representable samples and shift: exact up to summation rounding.
	a = []float32{0, 0.25, 1, 3.5}
	b := []float32{0.75, 1, 1.75, 4.25}
	if w := W1(a, b); math.Abs(w-0.75) > 1e-15 {
		t.Errorf("W1 of an exact shift by 0.75 = %.17g", w)
	}
}

// Worked by hand in the comments.
func TestW1UnequalSizes(t *testing.T) {
	// a = {0, 1}, b = {0.5}: |F_a - F_b| is 1/2 on [0, 0.5) and 1/2 on [0.5, 1): 1/2.
	// (Also E|X - 0.5| for X uniform on {0, 1}.)
	if w := W1([]float32{1, 0}, []float32{0.5}); w != 0.5 {
		t.Errorf("W1({0,1}, {0.5}) = %.17g, want 0.5", w)
	}
	// a = {0, 1, 3}, b = {1, 2}:
	//   [0,1): F_a = 1/3, F_b = 0   -> 1/3
	//   [1,2): F_a = 2/3, F_b = 1/2 -> 1/6
	//   [2,3): F_a = 2/3, F_b = 1   -> 1/3
	// total 5/6.
	a, b := []float32{3, 0, 1}, []float32{2, 1}
	if w := W1(a, b); math.Abs(w-5.0/6) > 1e-15 {
		t.Errorf("W1({0,1,3}, {1,2}) = %.17g, want 5/6", w)
	}
	if w := W1(b, a); math.Abs(w-5.0/6) > 1e-15 {
		t.Errorf("W1 is not symmetric: W1(b, a) = %.17g, want 5/6", w)
	}
	if !slices.Equal(a, []float32{3, 0, 1}) {
		t.Errorf("W1 modified its input: %v", a)
	}
}

// For equal sizes W1 is the mean distance between the sorted samples paired in order.
func TestW1EqualSizesMatchesSortedPairing(t *testing.T) {
	a := target.Bimodal().Sample(target.NewRand(5), 300)
	b := target.Gaussian(0.3, 1.5).Sample(target.NewRand(6), 300)
	as, bs := slices.Clone(a), slices.Clone(b)
	slices.Sort(as)
	slices.Sort(bs)
	want := 0.0
	for i := range as {
		want += math.Abs(float64(as[i]) - float64(bs[i]))
	}
	want /= float64(len(as))
	if w := W1(a, b); math.Abs(w-want) > 1e-12 {
		t.Errorf("W1 = %.15f, sorted pairing gives %.15f", w, want)
	}
}

func TestW1BadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b []float32
	}{
		{"empty a", nil, []float32{1}},
		{"empty b", []float32{1}, []float32{}},
		{"NaN", []float32{1, float32(math.NaN())}, []float32{1}},
		{"Inf", []float32{1}, []float32{float32(math.Inf(1))}},
	} {
		if w := W1(tc.a, tc.b); !math.IsNaN(w) {
			t.Errorf("%s: W1 = %g, want NaN", tc.name, w)
		}
	}
}

// --- GridDivergences ---

func TestGridDivergencesIdentical(t *testing.T) {
	x := target.Ring(8, 2, 0.02).Sample(target.NewRand(2), 1000)
	lo, hi := []float64{-2.5, -2.5}, []float64{2.5, 2.5}
	kl, js, err := GridDivergences(x, x, 2, lo, hi, 30)
	if err != nil || kl != 0 || js != 0 {
		t.Errorf("identical sets: KL %g, JS %g, err %v; want exactly 0, 0, nil", kl, js, err)
	}
	// The same points in another order, and twice over, have the same histogram.
	y := slices.Clone(x)
	slices.Reverse(y) // reverses coordinates too: swap each pair back
	for i := 0; i < len(y); i += 2 {
		y[i], y[i+1] = y[i+1], y[i]
	}
	y = append(y, x...)
	kl, js, err = GridDivergences(x, y, 2, lo, hi, 30)
	if err != nil || kl != 0 || js != 0 {
		t.Errorf("reordered and doubled: KL %g, JS %g, err %v; want exactly 0, 0, nil", kl, js, err)
	}
}

// All real samples in one cell, all fake ones in another: closed forms.
func TestGridDivergencesDisjoint(t *testing.T) {
	for _, tc := range []struct {
		dim, bins  int
		real, fake []float32
	}{
		{1, 10, []float32{0.05, 0.01}, []float32{0.95}},
		{2, 30, []float32{0.01, 0.01, 0.02, 0.02}, []float32{0.5, 0.99}},
	} {
		lo, hi := make([]float64, tc.dim), make([]float64, tc.dim)
		for d := range hi {
			hi[d] = 1
		}
		kl, js, err := GridDivergences(tc.real, tc.fake, tc.dim, lo, hi, tc.bins)
		if err != nil {
			t.Fatal(err)
		}
		// The two occupied cells hold (1+ε, ε) and (ε, 1+ε); every other cell (ε, ε)
		// contributes 0.
		a, b := 1+GridSmoothing, GridSmoothing
		wantKL := (a - b) * math.Log(a/b)
		wantJS := a*math.Log(2*a/(a+b)) + b*math.Log(2*b/(a+b))
		if math.Abs(kl-wantKL) > 1e-12 || math.Abs(js-wantJS) > 1e-12 {
			t.Errorf("%d-D, %d bins: KL %.15f, JS %.15f; want %.15f, %.15f", tc.dim, tc.bins, kl, js, wantKL, wantJS)
		}
		if !(js < math.Ln2) || math.Abs(js-0.6923) > 5e-5 {
			t.Errorf("%d-D: disjoint JS %.6f, want 0.6923, just below log 2 = %.6f", tc.dim, js, math.Ln2)
		}
	}
}

func TestGridDivergencesProperties(t *testing.T) {
	ring := target.Ring(8, 2, 0.02)
	lo, hi := ring.Bounds()
	real := ring.Sample(target.NewRand(7), 2000)
	for _, fake := range [][]float32{
		ring.Sample(target.NewRand(8), 2000),
		target.Grid(5, 2, 0.05).Sample(target.NewRand(9), 500),
		atModes(ring, []int{100, 0, 0, 0, 0, 0, 0, 0}),
	} {
		kl, js, err := GridDivergences(real, fake, 2, lo, hi, 30)
		if err != nil {
			t.Fatal(err)
		}
		_, js2, _ := GridDivergences(fake, real, 2, lo, hi, 30)
		if !(kl > 0) || !(js > 0) || !(js < math.Ln2) || math.Abs(js-js2) > 1e-12 {
			t.Errorf("KL %g, JS %g, JS swapped %g: want KL > 0, 0 < JS < log 2, JS symmetric", kl, js, js2)
		}
	}
}

// Points outside the box count in the nearest edge cell.
func TestGridDivergencesClampsToTheBox(t *testing.T) {
	kl, js, err := GridDivergences([]float32{-5, 0.05}, []float32{0.01, 0.02}, 1, []float64{0}, []float64{1}, 10)
	if err != nil || kl != 0 || js != 0 {
		t.Errorf("KL %g, JS %g, err %v; want 0, 0, nil (-5 and 0.05 share cell 0)", kl, js, err)
	}
	kl, _, _ = GridDivergences([]float32{7}, []float32{0.95}, 1, []float64{0}, []float64{1}, 10)
	if kl != 0 {
		t.Errorf("7 and 0.95 should share the last cell: KL %g", kl)
	}
}

func TestGridDivergencesErrors(t *testing.T) {
	ok := []float32{0.5, 0.5}
	lo, hi := []float64{0, 0}, []float64{1, 1}
	for _, tc := range []struct {
		name       string
		real, fake []float32
		dim        int
		lo, hi     []float64
		bins       int
		want       string
	}{
		{"dim 0", ok, ok, 0, lo, hi, 10, "dimension"},
		{"short lo", ok, ok, 2, []float64{0}, hi, 10, "lo and hi"},
		{"empty box", ok, ok, 2, lo, []float64{1, 0}, 10, "axis 1"},
		{"infinite box", ok, ok, 2, []float64{math.Inf(-1), 0}, hi, 10, "axis 0"},
		{"no bins", ok, ok, 2, lo, hi, 0, "bins"},
		{"too many cells", ok, ok, 2, lo, hi, 5000, "cells"},
		{"no real samples", nil, ok, 2, lo, hi, 10, "no real samples"},
		{"ragged fake", ok, []float32{1, 2, 3}, 2, lo, hi, 10, "fake samples have 3 values"},
		{"NaN", []float32{0, float32(math.NaN())}, ok, 2, lo, hi, 10, "is NaN"},
	} {
		_, _, err := GridDivergences(tc.real, tc.fake, tc.dim, tc.lo, tc.hi, tc.bins)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// --- MeanStd ---

func TestMeanStd(t *testing.T) {
	m, s := MeanStd([]float64{1, 2, 3, 4})
	if m != 2.5 || math.Abs(s-math.Sqrt(5.0/3)) > 1e-15 {
		t.Errorf("MeanStd(1,2,3,4) = %g, %.17g; want 2.5, sqrt(5/3)", m, s)
	}
	if m, s := MeanStd([]float64{0.7, 0.7, 0.7}); m != 0.7 || s != 0 {
		t.Errorf("constant: %g, %g; want 0.7, 0", m, s)
	}
	if m, s := MeanStd([]float64{7}); m != 7 || !math.IsNaN(s) {
		t.Errorf("one value: %g, %g; want 7, NaN", m, s)
	}
	if m, s := MeanStd[float64](nil); !math.IsNaN(m) || !math.IsNaN(s) {
		t.Errorf("empty: %g, %g; want NaN, NaN", m, s)
	}
}

// 1-D samples of a generator are float32: same numbers as with float64.
func TestMeanStdFloat32(t *testing.T) {
	m, s := MeanStd([]float32{1, 2, 3, 4})
	if m != 2.5 || math.Abs(s-math.Sqrt(5.0/3)) > 1e-15 {
		t.Errorf("MeanStd(float32 1,2,3,4) = %g, %.17g; want 2.5, sqrt(5/3)", m, s)
	}
}

func TestMean(t *testing.T) {
	if m := Mean([]float64{1, 2, 3, 4}); m != 2.5 {
		t.Errorf("Mean(1,2,3,4) = %g, want 2.5", m)
	}
	if m := Mean([]float32{-1, 0.5}); m != -0.25 {
		t.Errorf("Mean(-1, 0.5) = %g, want -0.25", m)
	}
	if m := Mean([]float64{}); !math.IsNaN(m) {
		t.Errorf("Mean of nothing = %g, want NaN", m)
	}
}

func TestPlusMinus(t *testing.T) {
	// 7, 8, 8: mean 23/3 = 7.67, sample sd sqrt((4/9+1/9+1/9)/2) = sqrt(1/3) = 0.577.
	if got, want := PlusMinus([]float64{7, 8, 8}, 1), "7.7 ± 0.6"; got != want {
		t.Errorf("PlusMinus(7, 8, 8) = %q, want %q", got, want)
	}
	if got, want := PlusMinus([]float64{2.5}, 2), "2.50 ± NaN"; got != want {
		t.Errorf("PlusMinus of one value = %q, want %q", got, want)
	}
}

// --- W1Gaussian ---

// By hand: N(0, 1)'s quantiles at 1/4 and 3/4 are ∓q with q = 0.6744897501960817, so the
// samples {1, 0} are 0+q and 1-q from them: W1 = (q + 1 - q)/2 = 1/2 whatever q is.
func TestW1GaussianByHand(t *testing.T) {
	xs := []float32{1, 0}
	if w := W1Gaussian(xs, 0, 1); math.Abs(w-0.5) > 1e-15 {
		t.Errorf("W1Gaussian({1, 0}, N(0,1)) = %.17g, want 0.5", w)
	}
	if xs[0] != 1 || xs[1] != 0 {
		t.Errorf("W1Gaussian modified its input: %v", xs)
	}
	// One sample: the only quantile is the median mu.
	if w := W1Gaussian([]float32{3}, 2, 0.5); w != 1 {
		t.Errorf("W1Gaussian({3}, N(2, 0.5²)) = %g, want 1", w)
	}
	// Samples at the quantiles of N(2, 0.5²) themselves: distance 0 (to float32 rounding).
	q := 0.5 * 0.6744897501960817
	if w := W1Gaussian([]float32{float32(2 - q), float32(2 + q)}, 2, 0.5); w > 1e-7 {
		t.Errorf("W1Gaussian at the quantiles = %g, want 0", w)
	}
}

func TestW1GaussianSamples(t *testing.T) {
	xs := target.Gaussian(2, 0.5).Sample(target.NewRand(1), 20000)
	if w := W1Gaussian(xs, 2, 0.5); w > 0.01 {
		t.Errorf("W1 of N(2,0.5) samples to N(2,0.5) = %.4f, want < 0.01", w)
	}
	// Shifting every sample by 0.3 shifts the distribution: W1 = 0.3.
	for i := range xs {
		xs[i] += 0.3
	}
	if w := W1Gaussian(xs, 2, 0.5); w < 0.29 || w > 0.31 {
		t.Errorf("W1 after a shift by 0.3 = %.4f, want 0.3 ± 0.01", w)
	}
}

func TestW1GaussianBadInput(t *testing.T) {
	for name, xs := range map[string][]float32{
		"empty": nil,
		"NaN":   {1, float32(math.NaN())},
		"+Inf":  {float32(math.Inf(1)), 0},
	} {
		if w := W1Gaussian(xs, 0, 1); !math.IsNaN(w) {
			t.Errorf("%s: W1Gaussian = %g, want NaN", name, w)
		}
	}
}

// Smoothing can only lower the divergences of the raw histograms (see GridDivergences).
func TestGridDivergencesBelowUnsmoothed(t *testing.T) {
	real := target.Bimodal().Sample(target.NewRand(11), 400)
	fake := target.Gaussian(0.5, 1.2).Sample(target.NewRand(12), 300)
	const bins = 12
	lo, hi := -4.0, 4.0
	hist := func(xs []float32) []float64 {
		h := make([]float64, bins)
		for _, x := range xs {
			b := min(bins-1, max(0, int(math.Floor((float64(x)-lo)/(hi-lo)*bins))))
			h[b] += 1 / float64(len(xs))
		}
		return h
	}
	p, q := hist(real), hist(fake)
	rawKL, rawJS := 0.0, 0.0
	for j := range p {
		m := (p[j] + q[j]) / 2
		if p[j] > 0 {
			rawKL += p[j] * math.Log(p[j]/q[j]) // +Inf if q[j] = 0
			rawJS += p[j] / 2 * math.Log(p[j]/m)
		}
		if q[j] > 0 {
			rawJS += q[j] / 2 * math.Log(q[j]/m)
		}
	}
	kl, js, err := GridDivergences(real, fake, 1, []float64{lo}, []float64{hi}, bins)
	if err != nil {
		t.Fatal(err)
	}
	if !(kl > 0 && kl <= rawKL && js > 0 && js <= rawJS && rawJS <= math.Ln2) {
		t.Errorf("smoothed KL %g, JS %g; raw KL %g, JS %g: want 0 < smoothed <= raw, raw JS <= log 2", kl, js, rawKL, rawJS)
	}
	if rawJS-js > 0.01 || math.IsInf(rawKL, 0) || rawKL-kl > 0.05 {
		t.Errorf("smoothing moved the divergences too far: KL %g vs %g, JS %g vs %g", kl, rawKL, js, rawJS)
	}
}

func TestHistogramKL(t *testing.T) {
	u := []float64{0.25, 0.25, 0.25, 0.25}
	for _, tc := range []struct {
		counts []int
		want   float64
	}{
		{[]int{5, 5, 5, 5}, 0},
		{[]int{7, 0, 0, 0}, math.Log(4)},
		{[]int{1, 1, 0, 0}, math.Log(2)},
		{[]int{0, 0, 0, 0}, math.Inf(1)},
	} {
		if got := HistogramKL(tc.counts, u); math.Abs(got-tc.want) > 1e-15 && got != tc.want {
			t.Errorf("HistogramKL(%v) = %g, want %g", tc.counts, got, tc.want)
		}
	}
	if !math.IsNaN(HistogramKL([]int{1}, u)) || !math.IsNaN(HistogramKL([]int{1, -1, 0, 0}, u)) {
		t.Error("mismatched lengths or a negative count: want NaN")
	}
}
