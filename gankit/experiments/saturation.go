package experiments

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gomlx/compute"
)

// Saturation is lesson 1's measurement of why the minimax generator loss saturates.
type Saturation struct {
	// Ds are values of D(G(z)) from 1e-4 to 1-1e-4 (log-spaced towards both ends), and
	// GradMinimax, GradNonSaturating the magnitudes |∂L_G/∂logit| of each per-sample
	// generator loss at those values, computed by automatic differentiation.
	Ds, GradMinimax, GradNonSaturating []float64
	// DSteps is how many discriminator steps were taken against the untrained generator.
	DSteps int
	// MeanDFake is the mean D(G(z)) after those steps: "early in training".
	MeanDFake float64
	// NormMinimax and NormNonSaturating are the L2 norms of each loss's gradient with
	// respect to all the generator's weights at that point, and Ratio is
	// NormMinimax / NormNonSaturating.
	NormMinimax, NormNonSaturating, Ratio float64
}

// MeasureSaturation builds Gaussian1D's GAN, trains only its discriminator for dSteps
// steps at learning rate 1e-3 against the untrained generator (the situation early in
// training, when D easily rejects G's samples), and measures both generator losses'
// gradients there.
func MeasureSaturation(b compute.Backend, seed uint64, dSteps int) (*Saturation, error) {
	if dSteps < 0 {
		return nil, fmt.Errorf("experiments: dSteps must be >= 0, got %d", dSteps)
	}
	s := &Saturation{DSteps: dSteps}
	for _, d := range logitSpaced(1e-4, 61) {
		s.Ds = append(s.Ds, d)
	}
	var err error
	if s.GradMinimax, err = absGrad(b, losses.Minimax, s.Ds); err != nil {
		return nil, err
	}
	if s.GradNonSaturating, err = absGrad(b, losses.NonSaturating, s.Ds); err != nil {
		return nil, err
	}
	tr, err := pointgan.New(b, Gaussian1D(losses.NonSaturating, seed))
	if err != nil {
		return nil, err
	}
	if err := tr.SetLearningRate(pointgan.DiscriminatorScope, 1e-3); err != nil {
		return nil, err
	}
	if _, err := tr.TrainD(dSteps); err != nil {
		return nil, err
	}
	if s.NormMinimax, s.MeanDFake, err = tr.GeneratorGradNorm(losses.Minimax); err != nil {
		return nil, err
	}
	if s.NormNonSaturating, _, err = tr.GeneratorGradNorm(losses.NonSaturating); err != nil {
		return nil, err
	}
	s.Ratio = s.NormMinimax / s.NormNonSaturating
	return s, nil
}

func absGrad(b compute.Backend, l losses.Generator, ds []float64) ([]float64, error) {
	g, err := l.LogitGradient(b, ds)
	if err != nil {
		return nil, err
	}
	for i := range g {
		g[i] = math.Abs(g[i])
	}
	return g, nil
}

// logitSpaced returns n values in [eps, 1-eps], evenly spaced in logit, so both ends
// (D near 0 and near 1) are resolved on a log axis.
func logitSpaced(eps float64, n int) []float64 {
	lo, hi := math.Log(eps/(1-eps)), math.Log((1-eps)/eps)
	out := make([]float64, n)
	for i := range out {
		l := lo + (hi-lo)*float64(i)/float64(n-1)
		out[i] = 1 / (1 + math.Exp(-l))
	}
	return out
}
