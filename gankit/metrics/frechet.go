package metrics

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Gaussian is a mean and a covariance matrix: the Gaussian fitted to a set of feature
// vectors, as FID summarises Inception features.
type Gaussian struct {
	Mean []float64
	Cov  *mat.SymDense
}

// Dim is the dimension of the Gaussian.
func (g Gaussian) Dim() int { return len(g.Mean) }

// FitGaussian returns the mean and the unbiased sample covariance (divided by n-1, as
// numpy.cov, which FID uses) of the rows of x: n >= 2 vectors of one length d >= 1, all
// values finite.
func FitGaussian(x [][]float64) (Gaussian, error) {
	n := len(x)
	if n < 2 {
		return Gaussian{}, fmt.Errorf("metrics: FitGaussian needs at least 2 vectors, got %d", n)
	}
	d := len(x[0])
	if d == 0 {
		return Gaussian{}, errors.New("metrics: FitGaussian: vectors of length 0")
	}
	mean := make([]float64, d)
	for i, row := range x {
		if len(row) != d {
			return Gaussian{}, fmt.Errorf("metrics: FitGaussian: vector %d has length %d, vector 0 has %d", i, len(row), d)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Gaussian{}, fmt.Errorf("metrics: FitGaussian: value %d of vector %d is %v", j, i, v)
			}
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	centred := mat.NewDense(n, d, nil)
	for i, row := range x {
		for j, v := range row {
			centred.Set(i, j, v-mean[j])
		}
	}
	cov := mat.NewSymDense(d, nil)
	cov.SymOuterK(1/float64(n-1), centred.T()) // (1/(n-1)) · Xcᵀ Xc
	return Gaussian{Mean: mean, Cov: cov}, nil
}

// Frechet is the Fréchet distance between the Gaussians fitted (FitGaussian) to two sets
// of feature vectors a and b (rows; the counts may differ, the lengths may not):
//
//	d² = ‖μa − μb‖² + Tr(Σa + Σb − 2 (Σa^{1/2} Σb Σa^{1/2})^{1/2})
//
// the squared 2-Wasserstein distance between the two Gaussians. With Inception-v3's pool
// features this is FID (Heusel et al. 2017); the image lessons use the features of
// gankit/classifier instead, so their numbers are on another scale than published FIDs.
// See FrechetGaussians for how it is computed.
func Frechet(a, b [][]float64) (float64, error) {
	ga, err := FitGaussian(a)
	if err != nil {
		return 0, fmt.Errorf("%w (first set)", err)
	}
	gb, err := FitGaussian(b)
	if err != nil {
		return 0, fmt.Errorf("%w (second set)", err)
	}
	return FrechetGaussians(ga, gb)
}

// FrechetGaussians is the Fréchet distance between two Gaussians given by mean and
// covariance (see Frechet). It needs only symmetric eigendecompositions, no general matrix
// square root: Σa = V diag(λ) Vᵀ gives Σa^{1/2} = V diag(√λ) Vᵀ, the matrix
// M = Σa^{1/2} Σb Σa^{1/2} is symmetric positive semi-definite, and Tr(M^{1/2}) = Σ √μ_i
// over M's eigenvalues μ_i. Sample covariances of fewer vectors than dimensions are
// singular, and rounding then leaves tiny negative eigenvalues; those are clamped to 0
// (an eigenvalue below -1e-6 times the largest is an error: not a covariance). The result
// is clamped at 0 too, which only absorbs rounding (two identical sets give exactly 0 or
// a few ulps of their trace).
func FrechetGaussians(a, b Gaussian) (float64, error) {
	d := a.Dim()
	if d == 0 || b.Dim() != d || a.Cov == nil || b.Cov == nil || a.Cov.SymmetricDim() != d || b.Cov.SymmetricDim() != d {
		return 0, fmt.Errorf("metrics: FrechetGaussians: dimensions differ or are 0 (means %d and %d)", d, b.Dim())
	}
	dist := 0.0
	for j := range d {
		diff := a.Mean[j] - b.Mean[j]
		dist += diff * diff
	}
	sqrtA, trA, err := sqrtSym(a.Cov, "first")
	if err != nil {
		return 0, err
	}
	var m mat.Dense
	m.Mul(sqrtA, b.Cov)
	m.Mul(&m, sqrtA)
	ms := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			ms.SetSym(i, j, (m.At(i, j)+m.At(j, i))/2)
		}
	}
	mu, err := eigenvalues(ms, "Σa^½ Σb Σa^½")
	if err != nil {
		return 0, err
	}
	trB, trSqrtM := 0.0, 0.0
	for i := range d {
		trB += b.Cov.At(i, i)
	}
	if err := checkPSD(b.Cov, "second"); err != nil {
		return 0, err
	}
	for _, v := range mu {
		trSqrtM += math.Sqrt(v)
	}
	dist += trA + trB - 2*trSqrtM
	if math.IsNaN(dist) {
		return 0, errors.New("metrics: FrechetGaussians: the distance is NaN (non-finite inputs?)")
	}
	return max(dist, 0), nil
}

// ErrNotPSD is wrapped by the errors of Frechet and FrechetGaussians for a covariance
// (or the matrix under the square root) with an eigenvalue below zero beyond rounding:
// not a covariance at all, so there is no distance. A caller that built the covariance
// itself can regularise it and retry.
var ErrNotPSD = errors.New("not positive semi-definite")

// sqrtSym returns the square root of a symmetric positive semi-definite matrix and its trace.
func sqrtSym(s *mat.SymDense, which string) (*mat.Dense, float64, error) {
	var eig mat.EigenSym
	if !eig.Factorize(s, true) {
		return nil, 0, fmt.Errorf("metrics: the eigendecomposition of the %s covariance failed", which)
	}
	lambda := eig.Values(nil)
	if err := clampEigen(lambda, "the "+which+" covariance"); err != nil {
		return nil, 0, err
	}
	var v mat.Dense
	eig.VectorsTo(&v)
	d := len(lambda)
	scaled := mat.NewDense(d, d, nil)
	tr := 0.0
	for j, l := range lambda {
		tr += l
		r := math.Sqrt(l)
		for i := range d {
			scaled.Set(i, j, v.At(i, j)*r)
		}
	}
	var root mat.Dense
	root.Mul(scaled, v.T()) // V diag(√λ) Vᵀ
	return &root, tr, nil
}

func checkPSD(s *mat.SymDense, which string) error {
	_, err := eigenvalues(s, "the "+which+" covariance")
	return err
}

// eigenvalues returns the eigenvalues of s, clamped at 0 (see clampEigen).
func eigenvalues(s *mat.SymDense, what string) ([]float64, error) {
	var eig mat.EigenSym
	if !eig.Factorize(s, false) {
		return nil, fmt.Errorf("metrics: the eigendecomposition of %s failed", what)
	}
	v := eig.Values(nil)
	return v, clampEigen(v, what)
}

// clampEigen sets the negative eigenvalues of a positive semi-definite matrix to 0; it is
// an error if one is below -1e-6 times the largest magnitude (then the matrix is not
// positive semi-definite, beyond rounding).
func clampEigen(v []float64, what string) error {
	big := 0.0
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("metrics: %s has eigenvalue %v", what, x)
		}
		big = max(big, math.Abs(x))
	}
	for i, x := range v {
		if x < 0 {
			if x < -1e-6*big {
				return fmt.Errorf("metrics: %s has eigenvalue %g (largest %g): %w", what, x, big, ErrNotPSD)
			}
			v[i] = 0
		}
	}
	return nil
}
