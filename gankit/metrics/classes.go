package metrics

import (
	"fmt"
	"math"
)

// ClassReport is the class histogram of a set of labels (typically a classifier's
// predictions on generated images) and how far it is from uniform.
type ClassReport struct {
	Counts   []int // Counts[c]: labels equal to c
	N        int   // number of labels
	MinCount int   // a class is covered when it has at least MinCount labels
	Covered  int   // classes covered
	// KL is KL(p ‖ uniform) = Σ_c p_c log(k p_c) in nats, p the histogram (0 for a uniform
	// histogram, log k when every label is one class): the reverse KL of PacGAN, as
	// ModeReport.ReverseKL.
	KL float64
	// TV is the total variation distance to uniform, ½ Σ_c |p_c − 1/k|, in [0, 1 − 1/k].
	TV float64
}

// ClassHistogram counts labels in 0..k-1 and measures mode coverage: how many of the k
// classes have at least minCount labels (minCount < 1 counts as 1), and the KL divergence
// and total variation distance between the histogram and the uniform distribution. A
// generator trained on MNIST's ten roughly balanced digits should cover all ten with a
// histogram close to uniform; mode collapse shows as missing classes and a large KL. (The
// real test subsets are not exactly uniform: their own TV is about 0.03.)
func ClassHistogram(labels []int, k, minCount int) (ClassReport, error) {
	if k < 1 {
		return ClassReport{}, fmt.Errorf("metrics: ClassHistogram needs k >= 1 classes, got %d", k)
	}
	if len(labels) == 0 {
		return ClassReport{}, fmt.Errorf("metrics: ClassHistogram: no labels")
	}
	r := ClassReport{Counts: make([]int, k), N: len(labels), MinCount: max(minCount, 1)}
	for i, l := range labels {
		if l < 0 || l >= k {
			return ClassReport{}, fmt.Errorf("metrics: ClassHistogram: label %d (index %d) is not in 0..%d", l, i, k-1)
		}
		r.Counts[l]++
	}
	uniform := make([]float64, k)
	for c, n := range r.Counts {
		uniform[c] = 1 / float64(k)
		if n >= r.MinCount {
			r.Covered++
		}
		r.TV += math.Abs(float64(n)/float64(r.N)-1/float64(k)) / 2
	}
	r.KL = HistogramKL(r.Counts, uniform)
	return r, nil
}

// LabelAccuracy is the fraction of positions where pred equals want: for a conditional
// GAN, the share of its samples that a classifier assigns to the label they were
// generated for.
func LabelAccuracy(pred, want []int) (float64, error) {
	if len(pred) != len(want) {
		return 0, fmt.Errorf("metrics: LabelAccuracy: %d predictions but %d labels", len(pred), len(want))
	}
	if len(pred) == 0 {
		return 0, fmt.Errorf("metrics: LabelAccuracy: no labels")
	}
	right := 0
	for i := range pred {
		if pred[i] == want[i] {
			right++
		}
	}
	return float64(right) / float64(len(pred)), nil
}

// Confusion is the k×k confusion table of a classifier's predictions pred against the
// labels want (each in 0..k-1): table[w][p] counts the samples of label w predicted as p.
// For a conditional GAN, row w shows what the classifier sees in the samples requested
// as w; its diagonal over the row's sum is that label's accuracy.
func Confusion(pred, want []int, k int) ([][]int, error) {
	if len(pred) != len(want) {
		return nil, fmt.Errorf("metrics: Confusion: %d predictions but %d labels", len(pred), len(want))
	}
	if k < 1 {
		return nil, fmt.Errorf("metrics: Confusion needs k >= 1 classes, got %d", k)
	}
	table := make([][]int, k)
	for i := range table {
		table[i] = make([]int, k)
	}
	for i := range pred {
		p, w := pred[i], want[i]
		if p < 0 || p >= k || w < 0 || w >= k {
			return nil, fmt.Errorf("metrics: Confusion: sample %d has prediction %d and label %d, both must be in 0..%d", i, p, w, k-1)
		}
		table[w][p]++
	}
	return table, nil
}

// CodeAgreement measures how well InfoGAN's categorical code (codes[i] in 0..k-1, the
// code value sample i was generated with) matches the class a classifier sees in the
// sample (classes[i] in 0..k-1). InfoGAN learns the code without labels, so code 3 need
// not mean digit 3: the agreement is the accuracy under the best one-to-one relabelling,
//
//	max over permutations π of (1/n) #{i : π(codes[i]) = classes[i]},
//
// the "unsupervised clustering accuracy" of Xie et al. (2016) and Chen et al.'s InfoGAN
// paper (5% error on MNIST). It returns that accuracy and the best mapping (mapping[code] =
// class). The maximum over the k! permutations (3.6 million for k = 10) is found by the
// Hungarian algorithm on the k×k table of counts in O(k³).
func CodeAgreement(codes, classes []int, k int) (acc float64, mapping []int, err error) {
	if len(codes) != len(classes) {
		return 0, nil, fmt.Errorf("metrics: CodeAgreement: %d codes but %d classes", len(codes), len(classes))
	}
	if len(codes) == 0 || k < 1 {
		return 0, nil, fmt.Errorf("metrics: CodeAgreement needs samples and k >= 1 (got %d samples, k = %d)", len(codes), k)
	}
	table := make([][]float64, k) // table[code][class] = count
	for i := range table {
		table[i] = make([]float64, k)
	}
	for i := range codes {
		c, l := codes[i], classes[i]
		if c < 0 || c >= k || l < 0 || l >= k {
			return 0, nil, fmt.Errorf("metrics: CodeAgreement: sample %d has code %d and class %d, both must be in 0..%d", i, c, l, k-1)
		}
		table[c][l]++
	}
	mapping = MaxAssignment(table)
	right := 0.0
	for c, l := range mapping {
		right += table[c][l]
	}
	return right / float64(len(codes)), mapping, nil
}

// MaxAssignment returns the one-to-one assignment of rows to columns of a square matrix
// that maximises the sum of the chosen entries (assign[row] = column), by the Hungarian
// algorithm (Kuhn-Munkres, in the O(n³) form with potentials and shortest augmenting
// paths) on the costs -w.
func MaxAssignment(w [][]float64) []int {
	n := len(w)
	for _, row := range w {
		if len(row) != n {
			panic(fmt.Sprintf("metrics: MaxAssignment needs a square matrix, got %d rows and a row of %d", n, len(row)))
		}
	}
	// 1-based arrays: u, v potentials; p[j] the row matched to column j; way for the path.
	inf := math.Inf(1)
	u, v := make([]float64, n+1), make([]float64, n+1)
	p, way := make([]int, n+1), make([]int, n+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		minv := make([]float64, n+1)
		used := make([]bool, n+1)
		for j := range minv {
			minv[j] = inf
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], inf, 0
			for j := 1; j <= n; j++ {
				if used[j] {
					continue
				}
				cur := -w[i0-1][j-1] - u[i0] - v[j]
				if cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= n; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	assign := make([]int, n)
	for j := 1; j <= n; j++ {
		if p[j] > 0 {
			assign[p[j]-1] = j - 1
		}
	}
	return assign
}
