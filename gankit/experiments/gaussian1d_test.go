package experiments_test

import (
	"testing"

	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/pointgan"
)

// Lesson 1's claim: after Gaussian1DIterations, p_g sits on p_data.
func TestGaussian1DLearns(t *testing.T) {
	if testing.Short() {
		t.Skip("trains lesson 1's GAN for Gaussian1DIterations")
	}
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
	w0, w1 := metrics.W1Gaussian(before, 2, 0.5), metrics.W1Gaussian(after, 2, 0.5)
	mean, std := metrics.MeanStd(after)
	t.Logf("W1 to p_data: %.3f before, %.3f after; mean %.3f std %.3f", w0, w1, mean, std)
	if w1 > 0.08 || w0 < 1 {
		t.Errorf("W1(p_g, p_data) = %.3f before and %.3f after %d iterations; want > 1 before and <= 0.08 after", w0, w1, experiments.Gaussian1DIterations)
	}
}
