package metrics_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/metrics"
)

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

func col(xs ...float64) [][]float64 {
	out := make([][]float64, len(xs))
	for i, x := range xs {
		out[i] = []float64{x}
	}
	return out
}

func TestSoftmax(t *testing.T) {
	// exp(0) : exp(ln 3) = 1 : 3, so the probabilities are 1/4 and 3/4; a row of equal
	// logits is uniform whatever their size (the maximum is subtracted first).
	p, err := metrics.Softmax([]float32{0, float32(math.Log(3)), 1000, 1000}, 2)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "p[0][0]", p[0][0], 0.25, 1e-7)
	near(t, "p[0][1]", p[0][1], 0.75, 1e-7)
	near(t, "p[1][0]", p[1][0], 0.5, 0)
	for _, bad := range [][]float32{nil, {1, 2, 3}, {1, float32(math.NaN())}} {
		if _, err := metrics.Softmax(bad, 2); err == nil {
			t.Errorf("Softmax(%v, 2): no error", bad)
		}
	}
}

func TestInceptionScore(t *testing.T) {
	for _, tc := range []struct {
		name  string
		probs [][]float64
		want  float64
	}{
		// Two confident samples of two different classes: p(y) = (½, ½), each KL is
		// 1·log(1/½) = log 2, so IS = exp(log 2) = 2.
		{"two confident classes", [][]float64{{1, 0}, {0, 1}}, 2},
		// Both samples the same confident class: p(y|x) = p(y), KL 0, IS 1.
		{"one class", [][]float64{{1, 0}, {1, 0}}, 1},
		// Both samples unsure in the same way: KL 0 again, IS 1.
		{"unsure", [][]float64{{0.5, 0.5}, {0.5, 0.5}}, 1},
		// (½, ½) and (1, 0): p(y) = (¾, ¼). KL₁ = ½ log(½/¾) + ½ log(½/¼) = ½ log(4/3);
		// KL₂ = log(1/¾) = log(4/3). Mean ¾ log(4/3), so IS = (4/3)^¾ = 1.240806...
		{"mixed", [][]float64{{0.5, 0.5}, {1, 0}}, math.Pow(4.0/3, 0.75)},
		// Ten confident classes used equally: IS = 10, the maximum for 10 classes.
		{"ten classes", [][]float64{{1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, {0, 0, 1, 0, 0, 0, 0, 0, 0, 0},
			{0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 1, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 1, 0, 0, 0},
			{0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, {0, 0, 0, 0, 0, 0, 0, 0, 1, 0}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}, 10},
	} {
		got, err := metrics.InceptionScore(tc.probs)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		near(t, tc.name, got, tc.want, 1e-12)
	}
	near(t, "(4/3)^¾ by hand", math.Pow(4.0/3, 0.75), 1.240806, 1e-6)

	for _, tc := range []struct {
		probs [][]float64
		msg   string
	}{
		{nil, "at least 1"},
		{[][]float64{{0.5, 0.5}, {1}}, "length 1"},
		{[][]float64{{math.NaN(), 1}}, "NaN"},
		{[][]float64{{2, -1}}, "negative"},
		{[][]float64{{3, 1}}, "sums to 4"},
	} {
		if _, err := metrics.InceptionScore(tc.probs); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("InceptionScore(%v): error %v, want one containing %q", tc.probs, err, tc.msg)
		}
	}
}

func TestInceptionScoreSplits(t *testing.T) {
	// The first half two different confident classes (IS 2), the second the same class
	// twice (IS 1): mean 1.5, and the standard deviation of {2, 1} (dividing by n) 0.5.
	mean, sd, err := metrics.InceptionScoreSplits([][]float64{{1, 0}, {0, 1}, {1, 0}, {1, 0}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "mean", mean, 1.5, 1e-12)
	near(t, "sd", sd, 0.5, 1e-12)
	if _, _, err := metrics.InceptionScoreSplits([][]float64{{1, 0}}, 2); err == nil {
		t.Error("2 splits of 1 sample: no error")
	}
}

func TestKID(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b [][]float64
		want float64
	}{
		// d = 1, k(x, y) = (xy + 1)³. Within a = {0, 1}: k(0,1) = 1, twice, over 2·1 pairs:
		// 1. Within b = {0, -1}: k(0,-1) = 1: 1. Across: k(0,0) = k(0,-1) = k(1,0) = 1 and
		// k(1,-1) = 0, sum 3, times 2/(2·2): 1.5. MMD² = 1 + 1 − 1.5 = 0.5.
		{"1-D", col(0, 1), col(0, -1), 0.5},
		// The same two points on both sides: within each 1; across k(0,0) = k(0,1) =
		// k(1,0) = 1 and k(1,1) = 8, sum 11, times 2/4: 5.5. MMD² = 2 − 5.5 = −3.5: the
		// unbiased estimate can be negative.
		{"same set", col(0, 1), col(0, 1), -3.5},
		// d = 2, k(x, y) = (x·y/2 + 1)³. a = {(1,0), (0,1)}: x·y = 0, k = 1: 1. b = {(1,1),
		// (−1,−1)}: x·y = −2, k = 0: 0. Across: (1,0)·(1,1) = 1 gives 1.5³ = 3.375 and
		// (1,0)·(−1,−1) = −1 gives 0.5³ = 0.125, the same for (0,1): sum 7, times 2/4: 3.5.
		// MMD² = 1 + 0 − 3.5 = −2.5.
		{"2-D", [][]float64{{1, 0}, {0, 1}}, [][]float64{{1, 1}, {-1, -1}}, -2.5},
	} {
		got, err := metrics.KID(tc.a, tc.b)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		near(t, tc.name, got, tc.want, 1e-12)
	}
	near(t, "PolyKernel", metrics.PolyKernel([]float64{1, 0}, []float64{1, 1}), 3.375, 0)

	for _, tc := range []struct {
		a, b [][]float64
		msg  string
	}{
		{col(1), col(1, 2), "at least 2"},
		{col(1, 2), [][]float64{{1, 2}, {3, 4}}, "length 2, the other set 1"},
		{col(1, math.Inf(1)), col(1, 2), "+Inf"},
		{[][]float64{{}, {}}, col(1, 2), "length 0"},
	} {
		if _, err := metrics.KID(tc.a, tc.b); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("KID(%v, %v): error %v, want one containing %q", tc.a, tc.b, err, tc.msg)
		}
	}
}

// Many blocks: KID on sets larger than the block size equals the sum computed pair by
// pair with PolyKernel.
func TestKIDBlocks(t *testing.T) {
	a, b := make([][]float64, 700), make([][]float64, 600)
	for i := range a {
		a[i] = []float64{math.Sin(float64(i)), math.Cos(float64(3 * i))}
	}
	for i := range b {
		b[i] = []float64{math.Sin(float64(2*i)) + 0.1, math.Cos(float64(i))}
	}
	sum := func(x, y [][]float64, off bool) float64 {
		s := 0.0
		for i := range x {
			for j := range y {
				if !off || i != j {
					s += metrics.PolyKernel(x[i], y[j])
				}
			}
		}
		return s
	}
	m, n := float64(len(a)), float64(len(b))
	want := sum(a, a, true)/(m*(m-1)) + sum(b, b, true)/(n*(n-1)) - 2*sum(a, b, false)/(m*n)
	got, err := metrics.KID(a, b)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "KID", got, want, 1e-9)
}

func TestKNNRadii(t *testing.T) {
	// {0, 1, 3, 6}, k = 2: 0's neighbours are 1 and 3 (radius 3); 1's 0 and 3 (2); 3's
	// 1 and then 0 or 6 (3); 6's 3 and 1 (5).
	r, err := metrics.KNNRadii(col(0, 1, 3, 6), 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{3, 2, 3, 5} {
		near(t, "radius", r[i], want, 1e-12)
	}
	// A duplicate is another sample at distance 0.
	r, _ = metrics.KNNRadii(col(0, 0, 5), 1)
	for i, want := range []float64{0, 0, 5} {
		near(t, "radius with duplicates", r[i], want, 1e-12)
	}
	if _, err := metrics.KNNRadii(col(0, 1, 2), 3); err == nil {
		t.Error("k = 3 with 3 samples: no error")
	}
}

func TestPrecisionRecall(t *testing.T) {
	// k = 1. Real {-4, 0, 1, 2, 10}: radii (nearest other real) 4, 1, 1, 1, 8.
	// Generated {0.5, 2.9, 5, 20}: 0.5 is 0.5 from 0 (<= 1), 2.9 is 0.9 from 2 (<= 1), 5 is
	// 5 from 10 (<= 8, the outlier's wide ball), 20 is 10 from 10 (> 8): precision 3/4.
	// Generated radii: 0.5 → 2.4 (to 2.9), 2.9 → 2.1 (to 5), 5 → 2.1, 20 → 15 (to 5).
	// Real 0, 1 and 2 are within 2.4 of 0.5; 10 is within 15 of 20; -4 is 4.5 from 0.5
	// (> 2.4) and farther from the rest: recall 4/5.
	p, r, err := metrics.PrecisionRecall(col(-4, 0, 1, 2, 10), col(0.5, 2.9, 5, 20), 1)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "precision", p, 0.75, 0)
	near(t, "recall", r, 0.8, 0)

	// A generator that drops a mode: real points in two clusters, generated points all
	// in the first. k = 0 means DefaultK = 3. Every generated point is inside the real
	// manifold (precision 1), the second cluster's real points are 100 away from the
	// generated ones, whose radii are at most 0.3: recall 4/8.
	real := col(0, 0.1, 0.2, 0.3, 100, 100.1, 100.2, 100.3)
	fake := col(0.05, 0.15, 0.25, 0.1)
	p, r, err = metrics.PrecisionRecall(real, fake, 0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "mode-dropped precision", p, 1, 0)
	near(t, "mode-dropped recall", r, 0.5, 0)

	if _, _, err := metrics.PrecisionRecall(col(0, 1, 2, 3), col(0, 1, 2), 3); err == nil || !strings.Contains(err.Error(), "generated") {
		t.Errorf("3 generated samples with k = 3: error %v", err)
	}
	if _, _, err := metrics.PrecisionRecall(col(0, 1, 2, 3), [][]float64{{0, 1}, {1, 1}, {2, 1}, {3, 1}}, 3); err == nil {
		t.Error("mismatched dimensions: no error")
	}
	if _, _, err := metrics.PrecisionRecall(col(0, 1, 2, 3), col(0, 1, 2, 3), -1); err == nil {
		t.Error("k = -1: no error")
	}
}

func TestNearestDistancesAndQuantile(t *testing.T) {
	// (3, 4) is 5 from both (0, 0) and (6, 8).
	d, err := metrics.NearestDistances([][]float64{{3, 4}, {6, 9}}, [][]float64{{0, 0}, {6, 8}})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "d[0]", d[0], 5, 1e-12)
	near(t, "d[1]", d[1], 1, 1e-12)
	if _, err := metrics.NearestDistances(nil, col(1)); err == nil {
		t.Error("no queries: no error")
	}
	// Sorted {1, 2, 3}: the median is 2; q = 0.75 is h = 1.5, halfway between 2 and 3.
	near(t, "median", metrics.Quantile([]float64{3, 1, 2}, 0.5), 2, 0)
	near(t, "0.75", metrics.Quantile([]float64{3, 1, 2}, 0.75), 2.5, 0)
	near(t, "1", metrics.Quantile([]float64{3, 1, 2}, 1), 3, 0)
	if !math.IsNaN(metrics.Quantile(nil, 0.5)) || !math.IsNaN(metrics.Quantile([]float64{1}, 2)) {
		t.Error("Quantile of nothing or at q = 2 is not NaN")
	}
}

func TestMemorisation(t *testing.T) {
	// Training set {0, 10}. Held-out {1, 2, 3, 4, 6}: distances 1, 2, 3, 4, 4; the 0.25
	// quantile is at h = 0.25·4 = 1, the second smallest, 2; the median 3.
	// Generated {0, 10, 5, 1.5}: distances 0, 0, 5, 1.5; three of four are below 2; the
	// median of {0, 0, 1.5, 5} is halfway between 0 and 1.5, 0.75; ratio 0.75/3 = 0.25.
	r, err := metrics.Memorisation(col(0, 10, 5, 1.5), col(1, 2, 3, 4, 6), col(0, 10), 0.25)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "threshold", r.Threshold, 2, 1e-12)
	near(t, "closer fraction", r.CloserFraction, 0.75, 0)
	near(t, "generated median", r.GenMedian, 0.75, 1e-12)
	near(t, "held-out median", r.HeldOutMedian, 3, 1e-12)
	near(t, "ratio", r.MedianRatio, 0.25, 1e-12)
	if got := r.String(); !strings.Contains(got, "75.0%") || !strings.Contains(got, "25%") {
		t.Errorf("String() = %q", got)
	}
	for _, q := range []float64{0, 1, math.NaN()} {
		if _, err := metrics.Memorisation(col(0), col(1), col(0), q); err == nil {
			t.Errorf("q = %v: no error", q)
		}
	}
	if _, err := metrics.Memorisation(col(0), [][]float64{{1, 2}}, col(0), 0.5); err == nil || !strings.Contains(err.Error(), "held-out") {
		t.Errorf("mismatched held-out set: error %v", err)
	}
}
