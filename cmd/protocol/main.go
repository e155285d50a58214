// Command protocol trains one GAN variant on the ring of 8 or the grid of 25 Gaussians
// for several seeds and scores it, every few iterations, with the mode-collapse protocol
// of VEEGAN and PacGAN (gankit/metrics): modes captured, the fraction of high-quality
// samples and the reverse KL of the captured-mode histogram.
//
// It is how the lessons' settings were chosen, and how to check a claim about a variant
// on your own machine before putting it in a lesson:
//
//	go run ./cmd/protocol -target ring -method unroll -noise 16 -lr 2e-4 -batch 64 -iters 3000 -seeds 3
//
// (lesson 3's unrolled GAN: experiments.UnrolledGAN).
//
// Methods: gan (the standard GAN), pack (PacGAN, 4 samples per D input), unroll (5
// unrolled D steps), wgan (weight clipping, RMSProp, 5 critic steps), wgangp (λ = 10,
// Adam (0.5, 0.9), 5 critic steps), lsgan, hinge.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
)

var (
	flagTarget  = flag.String("target", "ring", "ring (8 Gaussians, radius 2, std 0.02) or grid (25 Gaussians, spacing 2, std 0.05)")
	flagMethod  = flag.String("method", "gan", "gan, pack, unroll, wgan, wgangp, lsgan or hinge")
	flagNoise   = flag.Int("noise", 2, "dimension of the generator's noise")
	flagHidden  = flag.Int("hidden", 64, "units in each of the two hidden layers of G and D")
	flagLR      = flag.Float64("lr", 1e-3, "learning rate of both networks")
	flagClip    = flag.Float64("clip", 0.05, "weight clipping for -method wgan")
	flagBatch   = flag.Int("batch", 256, "samples per step (per D input group for pack)")
	flagIters   = flag.Int("iters", 3000, "iterations (generator steps)")
	flagEvery   = flag.Int("every", 1000, "score every this many iterations")
	flagSeeds   = flag.Int("seeds", 3, "seeds 1..n")
	flagSamples = flag.Int("samples", 2500, "generated samples per score")
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "protocol:", err)
		os.Exit(1)
	}
}

func config(m *target.Mixture, seed uint64) (pointgan.Config, error) {
	h, lr := *flagHidden, *flagLR
	cfg := pointgan.Config{
		Target:        m,
		Generator:     nets.Generator(*flagNoise, []int{h, h}, 2),
		Discriminator: nets.Discriminator(2, []int{h, h}),
		BatchSize:     *flagBatch,
		DSteps:        1,
		GOptimizer:    train.Adam(lr, 0.5, 0.999),
		DOptimizer:    train.Adam(lr, 0.5, 0.999),
		Seed:          seed,
	}
	switch *flagMethod {
	case "gan":
	case "pack":
		cfg.Pack = 4
		cfg.Discriminator = nets.Discriminator(2*cfg.Pack, []int{h, h})
	case "unroll":
		cfg.Unroll, cfg.UnrollLearningRate = 5, 1e-2
	case "wgan":
		cfg.Loss, cfg.Clip, cfg.DSteps = losses.Wasserstein, *flagClip, 5
		cfg.GOptimizer, cfg.DOptimizer = train.RMSProp(lr), train.RMSProp(lr)
	case "wgangp":
		cfg.Loss, cfg.GradientPenalty, cfg.DSteps = losses.Wasserstein, 10, 5
		cfg.GOptimizer, cfg.DOptimizer = train.Adam(lr, 0.5, 0.9), train.Adam(lr, 0.5, 0.9)
	case "lsgan":
		cfg.Loss = losses.LeastSquares
	case "hinge":
		cfg.Loss = losses.Hinge
	default:
		return cfg, fmt.Errorf("unknown method %q (gan, pack, unroll, wgan, wgangp, lsgan, hinge)", *flagMethod)
	}
	return cfg, nil
}

func run() error {
	var m *target.Mixture
	switch *flagTarget {
	case "ring":
		m = target.Ring(8, 2, 0.02)
	case "grid":
		m = target.Grid(5, 2, 0.05)
	default:
		return fmt.Errorf("unknown target %q (ring or grid)", *flagTarget)
	}
	if *flagEvery < 1 || *flagIters < 1 || *flagSeeds < 1 || *flagSamples < 1 {
		return fmt.Errorf("-every, -iters, -seeds and -samples must be >= 1")
	}
	b, err := backend.New()
	if err != nil {
		return err
	}
	var modes, hq []float64
	for seed := uint64(1); seed <= uint64(*flagSeeds); seed++ {
		cfg, err := config(m, seed)
		if err != nil {
			return err
		}
		tr, err := pointgan.New(b, cfg)
		if err != nil {
			return err
		}
		start := time.Now()
		fmt.Printf("%s, %s, seed %d:", m.Name(), *flagMethod, seed)
		var last metrics.ModeReport
		for tr.Iteration() < *flagIters {
			if err := tr.Run(min(*flagEvery, *flagIters-tr.Iteration())); err != nil {
				return err
			}
			// Scored on noise of its own, so scoring does not change the training run.
			if last, err = pointgan.ScoreModes(tr, m, *flagSamples); err != nil {
				return err
			}
			fmt.Printf("  @%d %d/%d %.1f%%", tr.Iteration(), last.Captured, last.Modes, 100*last.HighQualityFraction)
		}
		fmt.Printf("  (%.0fs)\n", time.Since(start).Seconds())
		modes = append(modes, float64(last.Captured))
		hq = append(hq, 100*last.HighQualityFraction)
	}
	mm, ms := metrics.MeanStd(modes)
	hm, hs := metrics.MeanStd(hq)
	fmt.Printf("after %d iterations: modes %.1f ± %.1f, high quality %.1f%% ± %.1f\n", *flagIters, mm, ms, hm, hs)
	return nil
}
