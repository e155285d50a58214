package cyclegan

import (
	"fmt"

	"github.com/gankit/kit/gankit/metrics"
)

// InkMeans returns the mean ink fraction (InkFraction) of d's domains A and B.
func InkMeans(d *Domains) (a, b float64) {
	a, _ = metrics.MeanStd(InkFraction(d.A))
	b, _ = metrics.MeanStd(InkFraction(d.B))
	return a, b
}

// InkThreshold is the ink fraction halfway between the mean ink fractions of d's two
// domains (InkMeans): a one-number domain classifier.
func InkThreshold(d *Domains) float64 {
	a, b := InkMeans(d)
	return (a + b) / 2
}

// CycleCurve is the unweighted cycle loss of a CycleGAN's training history
// (Record.Cycle, both directions summed) averaged over blocks of block iterations:
// the blocks' last iterations and their means. A last, partial block is left out.
func CycleCurve(history []Record, block int) (iterations, cycle []float64, err error) {
	if block < 1 {
		return nil, nil, fmt.Errorf("cyclegan: CycleCurve needs a block of at least 1 iteration, got %d", block)
	}
	for s := 0; s+block <= len(history); s += block {
		m := 0.0
		for _, rec := range history[s : s+block] {
			m += rec.Cycle
		}
		iterations, cycle = append(iterations, float64(history[s+block-1].Iteration)), append(cycle, m/float64(block))
	}
	return iterations, cycle, nil
}
