package metrics

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// checkRows checks that x holds at least minRows vectors of one length d >= 1 (equal to
// want when want > 0), all values finite, and returns d. what names x in errors.
func checkRows(fn, what string, x [][]float64, minRows, want int) (int, error) {
	if len(x) < minRows {
		return 0, fmt.Errorf("metrics: %s needs at least %d vectors in %s, got %d", fn, minRows, what, len(x))
	}
	d := len(x[0])
	if d == 0 {
		return 0, fmt.Errorf("metrics: %s: %s has vectors of length 0", fn, what)
	}
	if want > 0 && d != want {
		return 0, fmt.Errorf("metrics: %s: %s has vectors of length %d, the other set %d", fn, what, d, want)
	}
	for i, row := range x {
		if len(row) != d {
			return 0, fmt.Errorf("metrics: %s: vector %d of %s has length %d, vector 0 has %d", fn, i, what, len(row), d)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("metrics: %s: value %d of vector %d of %s is %v", fn, j, i, what, v)
			}
		}
	}
	return d, nil
}

// Softmax turns flat [n, k] logits (a classifier's Logits) into n rows of class
// probabilities p(y|x), computed in float64 with the maximum subtracted first.
func Softmax(logits []float32, k int) ([][]float64, error) {
	if k < 1 || len(logits) == 0 || len(logits)%k != 0 {
		return nil, fmt.Errorf("metrics: Softmax: %d logits are not a whole, non-zero number of rows of %d", len(logits), k)
	}
	out := make([][]float64, len(logits)/k)
	for i := range out {
		row := logits[i*k : (i+1)*k]
		top := math.Inf(-1)
		for j, v := range row {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("metrics: Softmax: logit %d of row %d is %v", j, i, v)
			}
			top = max(top, float64(v))
		}
		p := make([]float64, k)
		sum := 0.0
		for j, v := range row {
			p[j] = math.Exp(float64(v) - top)
			sum += p[j]
		}
		for j := range p {
			p[j] /= sum
		}
		out[i] = p
	}
	return out, nil
}

// InceptionScore is the Inception Score of Salimans et al. (2016) computed from the class
// probabilities p(y|x) of n generated samples (rows of probs, k classes each):
//
//	IS = exp( (1/n) Σ_i KL(p(y|x_i) ‖ p(y)) ),   p(y) = (1/n) Σ_i p(y|x_i),
//
// the exponential of the mutual information between sample and class under the
// classifier. It lies between 1 (every sample gets the same distribution) and k (each
// sample one confident class, the k classes used equally often). Each row must be
// non-negative and sum to 1 within 1e-4 (it is renormalised); 0·log 0 counts as 0.
// It needs no real data at all, which is its main blind spot.
func InceptionScore(probs [][]float64) (float64, error) {
	k, err := checkRows("InceptionScore", "probs", probs, 1, 0)
	if err != nil {
		return 0, err
	}
	p := make([][]float64, len(probs))
	marginal := make([]float64, k)
	for i, row := range probs {
		sum := 0.0
		for j, v := range row {
			if v < 0 {
				return 0, fmt.Errorf("metrics: InceptionScore: probability %d of row %d is negative (%v)", j, i, v)
			}
			sum += v
		}
		if math.Abs(sum-1) > 1e-4 {
			return 0, fmt.Errorf("metrics: InceptionScore: row %d sums to %v, not 1 (pass probabilities, not logits: see Softmax)", i, sum)
		}
		p[i] = make([]float64, k)
		for j, v := range row {
			p[i][j] = v / sum
			marginal[j] += p[i][j] / float64(len(probs))
		}
	}
	kl := 0.0
	for _, row := range p {
		for j, v := range row {
			if v > 0 {
				kl += v * math.Log(v/marginal[j])
			}
		}
	}
	return math.Exp(kl / float64(len(p))), nil
}

// InceptionScoreSplits is the Inception Score as Salimans et al. report it: the samples
// are cut into splits consecutive parts of (nearly) equal size, the score is computed on
// each part, and the mean and the standard deviation (n, as numpy.std) of the parts'
// scores are returned. Each part must hold at least one sample.
func InceptionScoreSplits(probs [][]float64, splits int) (mean, sd float64, err error) {
	if splits < 1 || splits > len(probs) {
		return 0, 0, fmt.Errorf("metrics: InceptionScoreSplits: %d splits of %d samples", splits, len(probs))
	}
	scores := make([]float64, splits)
	for s := range splits {
		lo, hi := s*len(probs)/splits, (s+1)*len(probs)/splits
		if scores[s], err = InceptionScore(probs[lo:hi]); err != nil {
			return 0, 0, fmt.Errorf("%w (split %d)", err, s)
		}
	}
	mean = Mean(scores)
	for _, v := range scores {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(splits)), nil
}

// PolyKernel is KID's kernel on two feature vectors of dimension d,
// k(x, y) = (x·y/d + 1)³ (Bińkowski et al. 2018).
func PolyKernel(x, y []float64) float64 {
	dot := 0.0
	for i := range x {
		dot += x[i] * y[i]
	}
	v := dot/float64(len(x)) + 1
	return v * v * v
}

// KID is the Kernel Inception Distance of Bińkowski et al. (2018), "Demystifying MMD
// GANs" (ICLR): the unbiased estimate of the squared maximum mean discrepancy between the
// distributions of the rows of a (m >= 2 vectors) and of b (n >= 2 vectors, the same
// dimension d) under the polynomial kernel k(x, y) = (x·y/d + 1)³ (PolyKernel):
//
//	MMD²_u = 1/(m(m-1)) Σ_{i≠j} k(a_i, a_j) + 1/(n(n-1)) Σ_{i≠j} k(b_i, b_j) − 2/(mn) Σ_{i,j} k(a_i, b_j).
//
// Leaving out the diagonal terms k(a_i, a_i) is what makes the estimate unbiased: its
// expectation is the true MMD² for any sample sizes, so two samples of one distribution
// score around 0, sometimes below (unlike the Fréchet distance, whose estimate from n
// samples is biased upwards by O(1/n)). The paper's code averages the estimate over
// random subsets of 1,000; this is the estimate on all the rows at once, computed with
// matrix products in blocks (O((m+n)² d) time, O(blocks) memory).
func KID(a, b [][]float64) (float64, error) {
	d, err := checkRows("KID", "the first set", a, 2, 0)
	if err != nil {
		return 0, err
	}
	if _, err := checkRows("KID", "the second set", b, 2, d); err != nil {
		return 0, err
	}
	m, n := float64(len(a)), float64(len(b))
	aa := kernelSum(a, a, true)
	bb := kernelSum(b, b, true)
	ab := kernelSum(a, b, false)
	return aa/(m*(m-1)) + bb/(n*(n-1)) - 2*ab/(m*n), nil
}

// block is how many rows kernelSum and the distance functions take at a time.
const block = 512

// toDense copies rows into a gonum matrix.
func toDense(x [][]float64) *mat.Dense {
	d := len(x[0])
	m := mat.NewDense(len(x), d, nil)
	for i, row := range x {
		m.SetRow(i, row)
	}
	return m
}

// kernelSum is Σ_{i,j} (a_i·b_j/d + 1)³, without the terms i = j when offDiagonal (a
// and b are then the same set, and the sum, symmetric, is taken over the blocks on and
// above the diagonal only, those above it twice).
func kernelSum(a, b [][]float64, offDiagonal bool) float64 {
	d := float64(len(a[0]))
	A, B := toDense(a), toDense(b)
	sum := 0.0
	var g mat.Dense
	for i0 := 0; i0 < len(a); i0 += block {
		i1 := min(i0+block, len(a))
		j0 := 0
		if offDiagonal {
			j0 = i0
		}
		for ; j0 < len(b); j0 += block {
			j1 := min(j0+block, len(b))
			g.Reset()
			g.Mul(A.Slice(i0, i1, 0, A.RawMatrix().Cols), B.Slice(j0, j1, 0, B.RawMatrix().Cols).T())
			part := 0.0
			for i := i0; i < i1; i++ {
				for j := j0; j < j1; j++ {
					if offDiagonal && i == j {
						continue
					}
					v := g.At(i-i0, j-j0)/d + 1
					part += v * v * v
				}
			}
			if offDiagonal && j0 != i0 {
				part *= 2
			}
			sum += part
		}
	}
	return sum
}

// squaredDistances calls each(i, row) for every row a_i with row[j] = ‖a_i − b_j‖²
// (clamped at 0 against rounding); row is reused between calls.
func squaredDistances(a, b [][]float64, each func(i int, row []float64)) {
	A, B := toDense(a), toDense(b)
	na, nb := make([]float64, len(a)), make([]float64, len(b))
	for i, r := range a {
		na[i] = dot(r, r)
	}
	for j, r := range b {
		nb[j] = dot(r, r)
	}
	cols := A.RawMatrix().Cols
	row := make([]float64, len(b))
	var g mat.Dense
	for i0 := 0; i0 < len(a); i0 += block {
		i1 := min(i0+block, len(a))
		g.Reset()
		g.Mul(A.Slice(i0, i1, 0, cols), B.T())
		for i := i0; i < i1; i++ {
			for j := range b {
				row[j] = max(na[i]+nb[j]-2*g.At(i-i0, j), 0)
			}
			each(i, row)
		}
	}
}

func dot(x, y []float64) float64 {
	s := 0.0
	for i := range x {
		s += x[i] * y[i]
	}
	return s
}

// KNNRadii returns, for each row of x, the Euclidean distance to its k-th nearest other
// row of x (itself excluded; duplicates count as other rows, at distance 0): the radius
// of the ball around each sample that the k-NN manifold estimate of Kynkäänniemi et al.
// (2019) uses. It needs k >= 1 and more than k rows.
func KNNRadii(x [][]float64, k int) ([]float64, error) {
	if k < 1 {
		return nil, fmt.Errorf("metrics: KNNRadii needs k >= 1, got %d", k)
	}
	if _, err := checkRows("KNNRadii", "the set", x, k+1, 0); err != nil {
		return nil, err
	}
	return knnRadii(x, k), nil
}

func knnRadii(x [][]float64, k int) []float64 {
	radii := make([]float64, len(x))
	nearest := make([]float64, 0, k+1)
	squaredDistances(x, x, func(i int, row []float64) {
		nearest = nearest[:0]
		for j, v := range row {
			if j == i {
				continue
			}
			// Keep the k smallest, sorted (k is small).
			if len(nearest) == k && v >= nearest[k-1] {
				continue
			}
			p, _ := slices.BinarySearch(nearest, v)
			nearest = slices.Insert(nearest, p, v)
			if len(nearest) > k {
				nearest = nearest[:k]
			}
		}
		radii[i] = math.Sqrt(nearest[k-1])
	})
	return radii
}

// DefaultK is the neighbourhood size of PrecisionRecall by default, as in Kynkäänniemi
// et al. (2019).
const DefaultK = 3

// PrecisionRecall is the improved precision and recall of Kynkäänniemi et al. (2019),
// "Improved Precision and Recall Metric for Assessing Generative Models" (NeurIPS). Each
// set's manifold is estimated as the union of balls around its samples, each ball's
// radius the distance to the sample's k-th nearest neighbour in its own set (KNNRadii;
// k = DefaultK = 3 when k is 0). Then
//
//   - precision is the fraction of generated samples (rows of fake) inside the real
//     manifold: within the radius of at least one real sample (distance <= radius);
//   - recall is the fraction of real samples inside the generated manifold.
//
// Precision measures fidelity (are the samples like real ones?) and recall coverage
// (is every kind of real sample produced?): a generator that drops modes keeps its
// precision and loses recall. Both sets need more than k vectors of one dimension.
func PrecisionRecall(real, fake [][]float64, k int) (precision, recall float64, err error) {
	if k == 0 {
		k = DefaultK
	}
	if k < 1 {
		return 0, 0, fmt.Errorf("metrics: PrecisionRecall needs k >= 1, got %d", k)
	}
	d, err := checkRows("PrecisionRecall", "the real set", real, k+1, 0)
	if err != nil {
		return 0, 0, err
	}
	if _, err := checkRows("PrecisionRecall", "the generated set", fake, k+1, d); err != nil {
		return 0, 0, err
	}
	return coverage(fake, real, knnRadii(real, k)), coverage(real, fake, knnRadii(fake, k)), nil
}

// coverage is the fraction of the rows of q within radii[j] of some row j of ref.
func coverage(q, ref [][]float64, radii []float64) float64 {
	sq := make([]float64, len(radii))
	for j, r := range radii {
		sq[j] = r * r
	}
	inside := 0
	squaredDistances(q, ref, func(_ int, row []float64) {
		for j, v := range row {
			if v <= sq[j] {
				inside++
				return
			}
		}
	})
	return float64(inside) / float64(len(q))
}

// NearestDistances returns, for each row of q, the Euclidean distance to the nearest row
// of ref (the same dimension; both non-empty).
func NearestDistances(q, ref [][]float64) ([]float64, error) {
	d, err := checkRows("NearestDistances", "the queries", q, 1, 0)
	if err != nil {
		return nil, err
	}
	if _, err := checkRows("NearestDistances", "the reference set", ref, 1, d); err != nil {
		return nil, err
	}
	out := make([]float64, len(q))
	squaredDistances(q, ref, func(i int, row []float64) {
		out[i] = math.Sqrt(slices.Min(row))
	})
	return out, nil
}

// Quantile is the q-quantile (0 <= q <= 1) of xs by linear interpolation between order
// statistics (numpy.quantile's default): with s the sorted values and h = q·(n−1), it is
// s[⌊h⌋] + (h − ⌊h⌋)(s[⌊h⌋+1] − s[⌊h⌋]). NaN for no values or q outside [0, 1]. xs is
// not modified.
func Quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 || !(q >= 0 && q <= 1) {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	h := q * float64(len(s)-1)
	lo := int(math.Floor(h))
	if lo >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

// MemorisationReport compares how close generated samples come to the training set with
// how close real samples that were not trained on (held out) come to it.
type MemorisationReport struct {
	// Q is the quantile of the held-out distances used as the threshold.
	Q float64
	// Threshold is the Q-quantile of the held-out samples' distances to their nearest
	// training sample: only a fraction Q of genuinely new real samples are closer.
	Threshold float64
	// CloserFraction is the fraction of generated samples closer than Threshold to their
	// nearest training sample: about Q for a generator that does not copy, near 1 for one
	// that returns training samples.
	CloserFraction float64
	// GenMedian and HeldOutMedian are the median nearest-training distances of the
	// generated and of the held-out samples, and MedianRatio = GenMedian / HeldOutMedian
	// (about 1 for new samples, 0 for copies; larger than 1 for samples unlike the data).
	GenMedian, HeldOutMedian, MedianRatio float64
}

// Memorisation is a nearest-neighbour memorisation check: for each generated sample (rows
// of gen) and each held-out real sample (rows of heldOut, real data the generator was not
// trained on) it finds the Euclidean distance to the nearest training sample (rows of
// train), then reports the fraction of generated samples closer than the q-quantile of
// the held-out distances (0 < q < 1, e.g. 0.05) and the ratio of the two medians. A
// generator that copies training samples comes closer to them than new real data does:
// CloserFraction near 1 and MedianRatio near 0. The Fréchet distance, KID and the
// Inception Score cannot see this: copies of training images have the training data's
// statistics exactly.
func Memorisation(gen, heldOut, train [][]float64, q float64) (MemorisationReport, error) {
	if !(q > 0 && q < 1) {
		return MemorisationReport{}, fmt.Errorf("metrics: Memorisation: the quantile must be in (0, 1), got %v", q)
	}
	d, err := checkRows("Memorisation", "the training set", train, 1, 0)
	if err != nil {
		return MemorisationReport{}, err
	}
	if _, err := checkRows("Memorisation", "the generated set", gen, 1, d); err != nil {
		return MemorisationReport{}, err
	}
	if _, err := checkRows("Memorisation", "the held-out set", heldOut, 1, d); err != nil {
		return MemorisationReport{}, err
	}
	dg, _ := NearestDistances(gen, train)
	dh, _ := NearestDistances(heldOut, train)
	r := MemorisationReport{Q: q, Threshold: Quantile(dh, q), GenMedian: Quantile(dg, 0.5), HeldOutMedian: Quantile(dh, 0.5)}
	closer := 0
	for _, v := range dg {
		if v < r.Threshold {
			closer++
		}
	}
	r.CloserFraction = float64(closer) / float64(len(dg))
	r.MedianRatio = r.GenMedian / r.HeldOutMedian
	return r, nil
}

// String prints the report in one line.
func (r MemorisationReport) String() string {
	return fmt.Sprintf("%.1f%% of generated samples closer to the training set than %.0f%% of held-out ones; median distance ratio %.2f",
		100*r.CloserFraction, 100*r.Q, r.MedianRatio)
}
