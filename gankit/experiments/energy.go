package experiments

import (
	"fmt"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/energy"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
)

// RingDAlone is lesson 13's D-alone generator on a 2-D target: CollapseGAN's
// discriminator (2 → 64 → 64 → 1) and batch, Adam(1e-3, 0.5, 0.999), 400 rounds of one D
// step each, 30 ascent steps of 0.05.
func RingDAlone(data target.Distribution, seed uint64) energy.Config {
	return energy.Config{Target: data, Discriminator: nets.Discriminator(data.Dim(), []int{64, 64}), Rounds: 400, DSteps: 1,
		AscentSteps: 30, StepSize: 0.05, StartStd: 1.5, Box: 3, BatchSize: CollapseBatch,
		Optimizer: train.Adam(1e-3, 0.5, 0.999), Seed: seed}
}

// DigitsDAlone is lesson 13's discriminator alone on 28×28 digits, at the same tiny
// budget as on the ring: D 784 → 256 → 1, 200 rounds of 64 negatives and one D step,
// samples by 30 ascent steps of 0.05 from N(0, 0.5²) noise, pixels kept in [-1, 1].
func DigitsDAlone(batch func(rng *rand.Rand, n int) []float32, seed uint64) energy.Config {
	c := RingDAlone(energy.ImageData{Pixels: 28 * 28, Batch: batch}, seed)
	c.Discriminator = nets.Discriminator(28*28, []int{256})
	c.Rounds, c.StartStd, c.Box = 200, 0.5, 1
	return c
}

// Lesson 13's bounds on the discriminator alone on digits: its samples are at least
// NoiseMinSharpness times as "sharp" as real digits (pixel noise, not strokes), and the
// classifier puts at least DigitsMinTopShare of them in one class.
const (
	NoiseMinSharpness = 2
	DigitsMinTopShare = 0.8
)

// CheckDigitsDAlone checks that the discriminator alone, at lesson 13's budget, does not
// generate digits: its samples are pixel noise (sharpness at least NoiseMinSharpness × the
// real digits') that the classifier lumps into one class (at least DigitsMinTopShare). A
// failed claim wraps ErrClaim.
func CheckDigitsDAlone(gen, real Reading) error {
	top := 0
	for _, c := range gen.Classes.Counts {
		top = max(top, c)
	}
	share := float64(top) / float64(max(gen.Classes.N, 1))
	switch {
	case gen.Sharpness < NoiseMinSharpness*real.Sharpness:
		return fmt.Errorf("%w: the samples' sharpness %.3f is below %g × the digits' %.3f: not noise", ErrClaim, gen.Sharpness, float64(NoiseMinSharpness), real.Sharpness)
	case share < DigitsMinTopShare:
		return fmt.Errorf("%w: the classifier's most frequent class holds %.1f%% of the samples, below %g%%", ErrClaim, 100*share, 100*DigitsMinTopShare)
	}
	return nil
}
