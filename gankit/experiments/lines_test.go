package experiments_test

import (
	"math"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
)

// Lesson 4's claim: for the parallel lines, the JSD estimated from samples is the same
// for every θ != 0 (its maximum: log 2 less the grid estimator's smoothing), while
// W1 = |θ| grows with the distance.
func TestParallelLines(t *testing.T) {
	r, err := experiments.MeasureParallelLines(2000, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, th := range r.Thetas {
		if math.Abs(r.W1Samples[i]-math.Abs(th)) > 1e-6 {
			t.Errorf("θ=%g: W1 from samples %g, want |θ|", th, r.W1Samples[i])
		}
		switch {
		case th == 0 && r.JSDGrid[i] > 0.01:
			t.Errorf("θ=0: grid JSD %g, want ~0", r.JSDGrid[i])
		case th != 0 && (math.Abs(r.JSDGrid[i]-r.JSDGrid[0]) > 1e-9 || r.JSDGrid[i] < 0.65):
			t.Errorf("θ=%g: grid JSD %g, want the same value as at θ=-1 (%g), close to log 2", th, r.JSDGrid[i], r.JSDGrid[0])
		}
	}
}
