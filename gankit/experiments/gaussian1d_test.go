package experiments_test

import (
	"testing"

	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
)

func TestW1Gaussian(t *testing.T) {
	xs := target.Gaussian(2, 0.5).Sample(target.NewRand(1), 20000)
	if w := experiments.W1Gaussian(xs, 2, 0.5); w > 0.01 {
		t.Errorf("W1 of N(2,0.5) samples to N(2,0.5) = %.4f, want < 0.01", w)
	}
	// Shifting every sample by 0.3 shifts the distribution: W1 = 0.3.
	for i := range xs {
		xs[i] += 0.3
	}
	if w := experiments.W1Gaussian(xs, 2, 0.5); w < 0.29 || w > 0.31 {
		t.Errorf("W1 after a shift by 0.3 = %.4f, want 0.3 ± 0.01", w)
	}
}

// Lesson 1's claim: after Gaussian1DIterations, p_g sits on p_data.
func TestGaussian1DLearns(t *testing.T) {
	tr, err := pointgan.New(testBackend(t), experiments.Gaussian1D(losses.NonSaturating, 1))
	if err != nil {
		t.Fatal(err)
	}
	before, err := tr.Sample(10000)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(experiments.Gaussian1DIterations); err != nil {
		t.Fatal(err)
	}
	after, err := tr.Sample(10000)
	if err != nil {
		t.Fatal(err)
	}
	w0, w1 := experiments.W1Gaussian(before, 2, 0.5), experiments.W1Gaussian(after, 2, 0.5)
	mean, std := experiments.Moments(after)
	t.Logf("W1 to p_data: %.3f before, %.3f after; mean %.3f std %.3f", w0, w1, mean, std)
	if w1 > 0.08 || w0 < 1 {
		t.Errorf("W1(p_g, p_data) = %.3f before and %.3f after %d iterations; want > 1 before and <= 0.08 after", w0, w1, experiments.Gaussian1DIterations)
	}
}
