package experiments

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/target"
)

// ParallelLines is lesson 4's example (Arjovsky et al. 2017, Example 1): P_0 is the
// uniform distribution on the segment {0} x [0, 1] and P_θ the same segment moved to
// x = θ. For every θ != 0 the supports are disjoint, so JSD(P_0, P_θ) = log 2 and
// KL = +∞ whatever θ is, while W1(P_0, P_θ) = |θ|: only the Wasserstein distance tells
// the generator which way to move.
type ParallelLines struct {
	Thetas []float64
	// JSD and W1 are the exact values; JSDGrid is GAN Lab's grid estimate of the JSD from
	// samples (Bins x Bins cells on [-1.025, 1.025] x [0, 1], one column per θ) and W1Samples the 1-D W1 between the
	// samples' x coordinates (exact for these distributions: their y coordinates are
	// identically distributed).
	JSD, W1, JSDGrid, W1Samples []float64
	Samples, Bins               int
}

// lineSamples draws n points of P_θ.
func lineSamples(theta float64, n int, seed uint64) []float32 {
	rng := target.NewRand(seed)
	out := make([]float32, 2*n)
	for i := 0; i < n; i++ {
		out[2*i] = float32(theta)
		out[2*i+1] = float32(rng.Float64())
	}
	return out
}

// MeasureParallelLines evaluates the divergences for θ from -1 to 1 in steps of 0.05,
// with n samples from each distribution.
func MeasureParallelLines(n int, seed uint64) (*ParallelLines, error) {
	if n < 1 {
		return nil, fmt.Errorf("experiments: need at least one sample, got %d", n)
	}
	r := &ParallelLines{Samples: n, Bins: 41}
	p0 := lineSamples(0, n, seed)
	x0 := xs(p0)
	for i := -20; i <= 20; i++ {
		theta := float64(i) / 20
		r.Thetas = append(r.Thetas, theta)
		r.W1 = append(r.W1, math.Abs(theta))
		if i == 0 {
			r.JSD = append(r.JSD, 0)
		} else {
			r.JSD = append(r.JSD, math.Ln2)
		}
		pt := lineSamples(theta, n, seed+1)
		_, js, err := metrics.GridDivergences(p0, pt, 2, []float64{-1.025, 0}, []float64{1.025, 1}, r.Bins)
		if err != nil {
			return nil, err
		}
		r.JSDGrid = append(r.JSDGrid, js)
		r.W1Samples = append(r.W1Samples, metrics.W1(x0, xs(pt)))
	}
	return r, nil
}

func xs(points []float32) []float32 {
	out := make([]float32, len(points)/2)
	for i := range out {
		out[i] = points[2*i]
	}
	return out
}
