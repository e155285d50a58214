package metrics_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/metrics"
)

func TestClassHistogram(t *testing.T) {
	// 100 labels: 40 zeros, 30 ones, 20 twos, 10 threes, none of 4 (k = 5).
	var labels []int
	for c, n := range []int{40, 30, 20, 10} {
		for range n {
			labels = append(labels, c)
		}
	}
	r, err := metrics.ClassHistogram(labels, 5, 15)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Counts, []int{40, 30, 20, 10, 0}) || r.N != 100 || r.Covered != 3 {
		t.Errorf("counts %v, N %d, covered %d; want [40 30 20 10 0], 100, 3 (>= 15)", r.Counts, r.N, r.Covered)
	}
	wantKL := 0.4*math.Log(0.4*5) + 0.3*math.Log(0.3*5) + 0.2*math.Log(0.2*5) + 0.1*math.Log(0.1*5)
	if math.Abs(r.KL-wantKL) > 1e-12 {
		t.Errorf("KL = %.6f, want %.6f", r.KL, wantKL)
	}
	if wantTV := (0.2 + 0.1 + 0 + 0.1 + 0.2) / 2; math.Abs(r.TV-wantTV) > 1e-12 {
		t.Errorf("TV = %.6f, want %.6f", r.TV, wantTV)
	}
	if r, _ := metrics.ClassHistogram(labels, 5, 0); r.Covered != 4 || r.MinCount != 1 {
		t.Errorf("minCount 0: covered %d (MinCount %d), want 4 (1)", r.Covered, r.MinCount)
	}
	// Collapse onto one class of ten: KL = log 10, TV = 0.9.
	r, _ = metrics.ClassHistogram(make([]int, 50), 10, 1)
	if math.Abs(r.KL-math.Log(10)) > 1e-12 || math.Abs(r.TV-0.9) > 1e-12 || r.Covered != 1 {
		t.Errorf("one class: KL %.4f, TV %.4f, covered %d; want log 10, 0.9, 1", r.KL, r.TV, r.Covered)
	}
	// Uniform: KL = TV = 0.
	r, _ = metrics.ClassHistogram([]int{0, 1, 2, 2, 1, 0}, 3, 2)
	if r.KL != 0 || r.TV > 1e-15 || r.Covered != 3 {
		t.Errorf("uniform: KL %g, TV %g, covered %d", r.KL, r.TV, r.Covered)
	}
	if _, err := metrics.ClassHistogram([]int{0, 10}, 10, 1); err == nil || !strings.Contains(err.Error(), "label 10 (index 1)") {
		t.Errorf("label out of range: %v", err)
	}
}

func TestLabelAccuracy(t *testing.T) {
	acc, err := metrics.LabelAccuracy([]int{1, 2, 3, 4}, []int{1, 2, 0, 4})
	if err != nil || acc != 0.75 {
		t.Errorf("LabelAccuracy = %v, %v; want 0.75", acc, err)
	}
	if _, err := metrics.LabelAccuracy([]int{1}, []int{1, 2}); err == nil {
		t.Error("LabelAccuracy of different lengths: no error")
	}
}

// bruteMax is the best assignment's total by trying every permutation.
func bruteMax(w [][]float64) float64 {
	n := len(w)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	best := math.Inf(-1)
	var rec func(k int)
	rec = func(k int) {
		if k == n {
			s := 0.0
			for i, j := range perm {
				s += w[i][j]
			}
			best = max(best, s)
			return
		}
		for i := k; i < n; i++ {
			perm[k], perm[i] = perm[i], perm[k]
			rec(k + 1)
			perm[k], perm[i] = perm[i], perm[k]
		}
	}
	rec(0)
	return best
}

// The Hungarian algorithm finds the optimum that trying all n! permutations finds, on
// random matrices with many ties (small integer entries) and without.
func TestMaxAssignmentMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 300 {
		n := 1 + trial%7
		w := make([][]float64, n)
		for i := range w {
			w[i] = make([]float64, n)
			for j := range w[i] {
				if trial%2 == 0 {
					w[i][j] = float64(rng.IntN(4))
				} else {
					w[i][j] = rng.Float64() * 100
				}
			}
		}
		assign := metrics.MaxAssignment(w)
		seen := make([]bool, n)
		got := 0.0
		for i, j := range assign {
			if seen[j] {
				t.Fatalf("trial %d: column %d assigned twice: %v", trial, j, assign)
			}
			seen[j] = true
			got += w[i][j]
		}
		if want := bruteMax(w); math.Abs(got-want) > 1e-9 {
			t.Fatalf("trial %d (%d×%d): assignment %v sums to %v, the best permutation to %v", trial, n, n, assign, got, want)
		}
	}
}

func TestCodeAgreement(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	perm := rng.Perm(10) // code c means class perm[c]
	codes, classes := make([]int, 1000), make([]int, 1000)
	for i := range codes {
		codes[i] = rng.IntN(10)
		classes[i] = perm[codes[i]]
		if i%10 == 0 { // 10% of the samples land in another class
			classes[i] = (classes[i] + 1 + rng.IntN(9)) % 10
		}
	}
	acc, mapping, err := metrics.CodeAgreement(codes, classes, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(mapping, perm) || math.Abs(acc-0.9) > 1e-12 {
		t.Errorf("CodeAgreement = %.4f with mapping %v, want 0.9 with %v", acc, mapping, perm)
	}
	// A code that ignores the class: agreement near 1/10 (the best permutation of noise
	// does a little better than chance).
	for i := range classes {
		classes[i] = rng.IntN(10)
	}
	if acc, _, _ := metrics.CodeAgreement(codes, classes, 10); acc < 0.1 || acc > 0.2 {
		t.Errorf("CodeAgreement of independent codes and classes = %.3f, want 0.1-0.2", acc)
	}
	if _, _, err := metrics.CodeAgreement([]int{0, 3}, []int{0, 1}, 3); err == nil || !strings.Contains(err.Error(), "sample 1 has code 3") {
		t.Errorf("code out of range: %v", err)
	}
}

func TestConfusion(t *testing.T) {
	pred := []int{0, 1, 1, 2, 2, 2, 0}
	want := []int{0, 1, 2, 2, 2, 0, 0}
	got, err := metrics.Confusion(pred, want, 3)
	if err != nil {
		t.Fatal(err)
	}
	wantTable := [][]int{{2, 0, 1}, {0, 1, 0}, {0, 1, 2}}
	for w := range wantTable {
		for p := range wantTable[w] {
			if got[w][p] != wantTable[w][p] {
				t.Fatalf("Confusion = %v; want %v", got, wantTable)
			}
		}
	}
	// The diagonal over the total is LabelAccuracy.
	acc, _ := metrics.LabelAccuracy(pred, want)
	if diag := float64(got[0][0]+got[1][1]+got[2][2]) / 7; diag != acc {
		t.Errorf("diagonal share %v != LabelAccuracy %v", diag, acc)
	}
	for _, c := range []struct {
		pred, want []int
		k          int
		msg        string
	}{
		{[]int{0}, []int{0, 1}, 2, "1 predictions but 2 labels"},
		{[]int{0}, []int{0}, 0, "k >= 1"},
		{[]int{3}, []int{0}, 3, "sample 0 has prediction 3"},
		{[]int{0}, []int{-1}, 3, "label -1"},
	} {
		if _, err := metrics.Confusion(c.pred, c.want, c.k); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Confusion(%v, %v, %d): got %v; want an error containing %q", c.pred, c.want, c.k, err, c.msg)
		}
	}
}
