package metrics

import (
	"math"
	"slices"
)

// W1 is the exact Wasserstein-1 (earth mover's) distance between the empirical
// distributions of two 1-D sample sets, which may have different sizes:
//
//	W1(a, b) = ∫ |F_a(x) - F_b(x)| dx,
//
// where F_a and F_b are the empirical CDFs. Both are step functions that only change at
// the samples, so the integral is a finite sum over the gaps of the merged sorted
// samples. W1 returns NaN if either set is empty or holds a NaN or infinite value (there
// is no distance to report). The inputs are not modified.
func W1(a, b []float32) float64 {
	if len(a) == 0 || len(b) == 0 {
		return math.NaN()
	}
	as, ok := sortedFinite(a)
	if !ok {
		return math.NaN()
	}
	bs, ok := sortedFinite(b)
	if !ok {
		return math.NaN()
	}
	na, nb := float64(len(as)), float64(len(bs))
	i, j := 0, 0 // samples of a and b that are <= the current point
	x := math.Min(as[0], bs[0])
	w := 0.0
	for i < len(as) || j < len(bs) {
		// Step both CDFs past every sample equal to x.
		for i < len(as) && as[i] <= x {
			i++
		}
		for j < len(bs) && bs[j] <= x {
			j++
		}
		if i == len(as) && j == len(bs) {
			break // both CDFs are 1 from here on
		}
		next := math.Inf(1)
		if i < len(as) {
			next = as[i]
		}
		if j < len(bs) && bs[j] < next {
			next = bs[j]
		}
		w += math.Abs(float64(i)/na-float64(j)/nb) * (next - x)
		x = next
	}
	return w
}

// sortedFinite returns xs as sorted float64s, or false if one is NaN or infinite.
func sortedFinite(xs []float32) ([]float64, bool) {
	out := make([]float64, len(xs))
	for i, v := range xs {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, false
		}
		out[i] = f
	}
	slices.Sort(out)
	return out, true
}

// MeanStd returns the mean and the sample standard deviation (with n-1 in the
// denominator) of xs, for "mean ± sd over seeds" tables. With fewer than two values the
// standard deviation is undefined and is NaN (and the mean too when xs is empty).
func MeanStd(xs []float64) (mean, sd float64) {
	n := len(xs)
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(n)
	// One correction pass removes the rounding error of the first sum (so that n equal
	// values have exactly that mean and sd 0).
	corr := 0.0
	for _, x := range xs {
		corr += x - mean
	}
	mean += corr / float64(n)
	if n < 2 {
		return mean, math.NaN()
	}
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(n-1))
}
