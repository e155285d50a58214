package metrics

import (
	"fmt"
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

// W1Gaussian is the Wasserstein-1 distance between the empirical distribution of 1-D
// samples and the normal N(mu, sd²), with the normal discretised at its n quantiles
// Φ⁻¹((i+½)/n) (n = len(xs)): the mean distance between the sorted samples and those
// quantiles, which for equal sizes is W1 between the two point sets. It tends to the
// distance to the continuous normal as n grows. Like W1 it returns NaN for no samples or
// a NaN or infinite one. The input is not modified.
func W1Gaussian(xs []float32, mu, sd float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s, ok := sortedFinite(xs)
	if !ok {
		return math.NaN()
	}
	n := float64(len(s))
	w := 0.0
	for i, x := range s {
		p := (float64(i) + 0.5) / n
		w += math.Abs(x - (mu + sd*math.Sqrt2*math.Erfinv(2*p-1)))
	}
	return w / n
}

// Mean is the arithmetic mean of xs, NaN when xs is empty.
func Mean[T float32 | float64](xs []T) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range xs {
		s += float64(x)
	}
	return s / float64(len(xs))
}

// MeanStd returns the mean and the sample standard deviation (with n-1 in the
// denominator) of xs: for "mean ± sd over seeds" tables, and for the spread of a
// generator's 1-D samples (where, over thousands of samples, n-1 and n differ by a
// negligible factor). With fewer than two values the standard deviation is undefined and
// is NaN (and the mean too when xs is empty).
func MeanStd[T float32 | float64](xs []T) (mean, sd float64) {
	n := len(xs)
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	mean = Mean(xs)
	// One correction pass removes the rounding error of the first sum (so that n equal
	// values have exactly that mean and sd 0).
	corr := 0.0
	for _, x := range xs {
		corr += float64(x) - mean
	}
	mean += corr / float64(n)
	if n < 2 {
		return mean, math.NaN()
	}
	ss := 0.0
	for _, x := range xs {
		d := float64(x) - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / float64(n-1))
}

// PlusMinus formats the mean ± sample standard deviation of xs (MeanStd) with the given
// number of decimals, as the mode-collapse papers' tables print them.
func PlusMinus(xs []float64, decimals int) string {
	m, s := MeanStd(xs)
	return fmt.Sprintf("%.*f ± %.*f", decimals, m, decimals, s)
}
