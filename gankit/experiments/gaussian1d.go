package experiments

import (
	"math"

	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/trainer"
)

// Gaussian1D is lesson 1's GAN: it learns N(2, 0.5²) from 1-D standard normal noise.
// G is 1 -> 32 -> 32 -> 1 (ReLU), D is 1 -> 32 -> 32 -> 1 (LeakyReLU 0.2), batch 128,
// k = 1 D-step per G-step, Adam (1e-3, β1 = 0.5) for both, with the given generator loss.
func Gaussian1D(loss losses.Generator, seed uint64) trainer.Config {
	return trainer.Config{
		Target:        target.Gaussian(2, 0.5),
		Generator:     nets.Generator(1, []int{32, 32}, 1),
		Discriminator: nets.Discriminator(1, []int{32, 32}),
		GeneratorLoss: loss,
		BatchSize:     128,
		DSteps:        1,
		GOptimizer:    trainer.Adam(1e-3, 0.5, 0.999),
		DOptimizer:    trainer.Adam(1e-3, 0.5, 0.999),
		Seed:          seed,
	}
}

// Moments returns the mean and standard deviation of 1-D samples.
func Moments(xs []float32) (mean, std float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range xs {
		mean += float64(x)
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		d := float64(x) - mean
		std += d * d
	}
	return mean, math.Sqrt(std / float64(len(xs)))
}
