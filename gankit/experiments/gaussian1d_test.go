package experiments_test

import (
	"errors"
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
	d, g := experiments.Gaussian1DLosses(tr.History())
	t.Logf("W1 to p_data: %.3f before, %.3f after; mean %.3f std %.3f; last %d iterations' losses D %.4f G %.4f",
		w0, w1, mean, std, experiments.Gaussian1DWindow, d, g)
	if w0 < 1 {
		t.Errorf("W1(p_g, p_data) = %.3f before training; want > 1", w0)
	}
	if err := experiments.CheckGaussian1D(w1, tr.History()); err != nil {
		t.Error(err)
	}
	// A run that has not learned fails the check with ErrClaim.
	if err := experiments.CheckGaussian1D(w0, tr.History()); !errors.Is(err, experiments.ErrClaim) {
		t.Errorf("CheckGaussian1D(untrained W1 %.3f) = %v, want ErrClaim", w0, err)
	}
}
