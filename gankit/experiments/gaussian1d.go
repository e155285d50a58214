package experiments

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
)

// Gaussian1D is lesson 1's GAN: it learns N(2, 0.5²) from 4-D standard normal noise.
// G is 4 -> 32 -> 32 -> 1 (ReLU), D is 1 -> 32 -> 32 -> 1 (LeakyReLU 0.2), batch 128,
// k = 1 D-step per G-step, Adam (2e-4, β1 = 0.5) for both, with the given generator loss.
// Gaussian1DIterations iterations bring p_g within a W1 distance of about 0.04 of p_data
// (measured over seeds; 1-D noise or a learning rate of 1e-3 stalled around 0.07-0.15).
func Gaussian1D(loss losses.Generator, seed uint64) pointgan.Config {
	return pointgan.Config{
		Target:        target.Gaussian(2, 0.5),
		Generator:     nets.Generator(4, []int{32, 32}, 1),
		Discriminator: nets.Discriminator(1, []int{32, 32}),
		GeneratorLoss: loss,
		BatchSize:     128,
		DSteps:        1,
		GOptimizer:    train.Adam(2e-4, 0.5, 0.999),
		DOptimizer:    train.Adam(2e-4, 0.5, 0.999),
		Seed:          seed,
	}
}

// Gaussian1DIterations is how long lesson 1 trains Gaussian1D.
const Gaussian1DIterations = 3000

// Lesson 1's claims about Gaussian1D after Gaussian1DIterations (CheckGaussian1D).
const (
	// Gaussian1DMaxW1 bounds the Wasserstein-1 distance from p_g to p_data.
	Gaussian1DMaxW1 = 0.08
	// Gaussian1DWindow is how many of the last iterations the losses are averaged over.
	Gaussian1DWindow = 500
	// Gaussian1DLossTolerance bounds how far those averages are from the losses at the
	// equilibrium (D = ½ everywhere): 2·log 2 for D, log 2 for G's non-saturating loss.
	Gaussian1DLossTolerance = 0.02
)

// Gaussian1DLosses averages D's and G's losses over the last Gaussian1DWindow records of
// history (all of them if there are fewer).
func Gaussian1DLosses(history []pointgan.Record) (dLoss, gLoss float64) {
	last := history[max(0, len(history)-Gaussian1DWindow):]
	for _, r := range last {
		dLoss += r.DLoss / float64(len(last))
		gLoss += r.GLoss / float64(len(last))
	}
	return dLoss, gLoss
}

// CheckGaussian1D checks lesson 1's claims on a run of Gaussian1D with the non-saturating
// loss: p_g is within Gaussian1DMaxW1 of p_data (w1, from metrics.W1Gaussian), and the
// losses averaged by Gaussian1DLosses are within Gaussian1DLossTolerance of their values
// at the equilibrium, where D cannot tell the samples apart.
func CheckGaussian1D(w1 float64, history []pointgan.Record) error {
	if len(history) < Gaussian1DIterations {
		return fmt.Errorf("experiments: lesson 1: the run has %d iterations; the claims are about %d", len(history), Gaussian1DIterations)
	}
	if w1 > Gaussian1DMaxW1 {
		return fmt.Errorf("experiments: lesson 1: %w: W1(p_g, p_data) = %.3f, above %.2f", ErrClaim, w1, Gaussian1DMaxW1)
	}
	d, g := Gaussian1DLosses(history)
	wantD := losses.DiscriminatorValue([]float64{0}, []float64{0})
	wantG := losses.NonSaturating.Value([]float64{0})
	if math.Abs(d-wantD) > Gaussian1DLossTolerance || math.Abs(g-wantG) > Gaussian1DLossTolerance {
		return fmt.Errorf("experiments: lesson 1: %w: over the last %d iterations D's loss averages %.3f and G's %.3f; at the equilibrium they are %.3f and %.3f (tolerance %.2f)",
			ErrClaim, Gaussian1DWindow, d, g, wantD, wantG, Gaussian1DLossTolerance)
	}
	return nil
}
