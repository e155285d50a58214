package experiments

import (
	"math"
	"sort"

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

// W1Gaussian is the Wasserstein-1 distance between the empirical distribution of 1-D
// samples and N(mu, sd²): the mean distance between the sorted samples and the normal's
// quantiles at (i+½)/n.
func W1Gaussian(xs []float32, mu, sd float64) float64 {
	s := make([]float64, len(xs))
	for i, x := range xs {
		s[i] = float64(x)
	}
	sort.Float64s(s)
	w := 0.0
	for i, x := range s {
		p := (float64(i) + 0.5) / float64(len(s))
		w += math.Abs(x - (mu + sd*math.Sqrt2*math.Erfinv(2*p-1)))
	}
	return w / float64(len(s))
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

func nan() float64 { return math.NaN() }
