package metrics

import (
	"fmt"
	"math"
)

// GridSmoothing is the probability GridDivergences adds to every cell of both histograms,
// GAN Lab's smoothingEps (1e-4), so that no cell is empty and KL stays finite.
const GridSmoothing = 1e-4

// maxGridCells bounds bins^dim, so that a typo cannot allocate gigabytes.
const maxGridCells = 1 << 24

// GridDivergences estimates KL(real ‖ fake) and the Jensen–Shannon divergence, in nats,
// from two sample sets exactly the way GAN Lab (Kahng et al. 2018) does, on any grid: both
// sets are histogrammed on a grid of bins cells per axis (bins^dim in all) over the box
// [lo, hi], giving cell probabilities p_j (real) and q_j (fake); with ε = GridSmoothing
// and m_j = (p_j + q_j)/2,
//
//	KL = Σ_j (p_j+ε) log((p_j+ε) / (q_j+ε))
//	JS = ½ Σ_j (p_j+ε) log((p_j+ε) / (m_j+ε)) + ½ Σ_j (q_j+ε) log((q_j+ε) / (m_j+ε)).
//
// GAN Lab reports the same sums in bits (log₂): divide by ln 2 to compare. Properties:
// identical histograms give exactly 0; 0 <= JS <= JS(p, q) <= log 2 and 0 <= KL <= KL(p ‖ q),
// the divergences of the unsmoothed histograms (the integrands are convex and 1-homogeneous,
// so adding ε to both arguments can only lower them, and both smoothed histograms have the
// same total mass 1 + ε·bins^dim); disjoint sets give JS just below log 2 (0.6923 for one
// occupied cell each). Points outside the box are counted in the nearest edge cell (each
// coordinate clamped), so no sample is dropped.
//
// real and fake are flat and row-major with dim coordinates per point; they may have
// different sizes. GridDivergences returns an error for an empty or ragged sample set, a
// NaN or infinite coordinate, dim < 1, lo/hi of the wrong length or with lo >= hi,
// bins < 1, or more than 2^24 cells.
func GridDivergences(real, fake []float32, dim int, lo, hi []float64, bins int) (kl, js float64, err error) {
	if dim < 1 {
		return 0, 0, fmt.Errorf("metrics: GridDivergences: dimension must be >= 1, got %d", dim)
	}
	if len(lo) != dim || len(hi) != dim {
		return 0, 0, fmt.Errorf("metrics: GridDivergences: lo and hi need %d coordinates each, got %d and %d", dim, len(lo), len(hi))
	}
	for d := range dim {
		if !(lo[d] < hi[d]) || math.IsInf(lo[d], 0) || math.IsInf(hi[d], 0) {
			return 0, 0, fmt.Errorf("metrics: GridDivergences: axis %d needs finite lo < hi, got [%g, %g]", d, lo[d], hi[d])
		}
	}
	if bins < 1 {
		return 0, 0, fmt.Errorf("metrics: GridDivergences: bins must be >= 1, got %d", bins)
	}
	cells := 1
	for range dim {
		if cells > maxGridCells/bins {
			return 0, 0, fmt.Errorf("metrics: GridDivergences: %d^%d cells is more than the limit of %d", bins, dim, maxGridCells)
		}
		cells *= bins
	}
	p, err := gridHistogram("real samples", real, dim, lo, hi, bins, cells)
	if err != nil {
		return 0, 0, err
	}
	q, err := gridHistogram("fake samples", fake, dim, lo, hi, bins, cells)
	if err != nil {
		return 0, 0, err
	}
	for j := range cells {
		pj, qj := p[j], q[j]
		if pj == qj {
			continue // contributes exactly 0 to both
		}
		mj := 0.5 * (pj + qj)
		kl += pj * math.Log(pj/qj)
		js += 0.5*pj*math.Log(pj/mj) + 0.5*qj*math.Log(qj/mj)
	}
	return kl, js, nil
}

// gridHistogram returns the histogram of xs on the grid, as probabilities plus GridSmoothing.
func gridHistogram(what string, xs []float32, dim int, lo, hi []float64, bins, cells int) ([]float64, error) {
	n, err := countPoints(what, xs, dim)
	if err != nil {
		return nil, fmt.Errorf("metrics: GridDivergences: %w", err)
	}
	counts := make([]int, cells)
	for s := 0; s < n; s++ {
		idx := 0
		for d := range dim {
			t := (float64(xs[s*dim+d]) - lo[d]) / (hi[d] - lo[d])
			b := int(math.Floor(t * float64(bins)))
			b = max(0, min(bins-1, b))
			idx = idx*bins + b
		}
		counts[idx]++
	}
	h := make([]float64, cells)
	for j, c := range counts {
		h[j] = float64(c)/float64(n) + GridSmoothing
	}
	return h, nil
}
