package plots

import (
	"math"
	"slices"
)

// KDE returns a 1-D Gaussian kernel density estimate of samples evaluated at xs.
//
// The bandwidth is Silverman's rule of thumb, 0.9·min(σ, IQR/1.34)·n^(-1/5), floored at
// the spacing of xs (when xs has two or more points), so that collapsed samples (a
// generator with zero spread) still show as a visible spike instead of falling
// between grid points. Non-finite samples are ignored; with no samples the estimate is
// all zeros.
func KDE(samples []float32, xs []float64) []float64 {
	out := make([]float64, len(xs))
	vals := make([]float64, 0, len(samples))
	for _, s := range samples {
		if v := float64(s); finite(v) {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 || len(xs) == 0 {
		return out
	}
	h := max(silverman(vals), gridStep(xs))
	if h <= 0 || !finite(h) {
		h = 1e-3 * max(1, math.Abs(vals[0]))
	}
	norm := 1 / (float64(len(vals)) * h * math.Sqrt(2*math.Pi))
	for i, x := range xs {
		var sum float64
		for _, v := range vals {
			u := (x - v) / h
			if u > -8 && u < 8 {
				sum += math.Exp(-0.5 * u * u)
			}
		}
		out[i] = sum * norm
	}
	return out
}

// silverman returns Silverman's rule-of-thumb bandwidth of vals (sorted in place).
func silverman(vals []float64) float64 {
	n := float64(len(vals))
	if len(vals) < 2 {
		return 0
	}
	var mean float64
	for _, v := range vals {
		mean += v
	}
	mean /= n
	var ss float64
	for _, v := range vals {
		ss += (v - mean) * (v - mean)
	}
	std := math.Sqrt(ss / (n - 1))
	slices.Sort(vals)
	iqr := quantile(vals, 0.75) - quantile(vals, 0.25)
	spread := std
	if iqr > 0 {
		spread = min(std, iqr/1.34)
	}
	return 0.9 * spread * math.Pow(n, -0.2)
}

// quantile returns the q-quantile of sorted values, interpolating linearly.
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	frac := pos - float64(i)
	return sorted[i]*(1-frac) + sorted[i+1]*frac
}

// gridStep returns the mean spacing of xs, or 0 with fewer than two points.
func gridStep(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	return math.Abs(xs[len(xs)-1]-xs[0]) / float64(len(xs)-1)
}
