package metrics_test

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/target"
)

// The VEEGAN / PacGAN protocol on the ring of 8: 2,500 samples from the target itself
// capture every mode with about 98.9% of them high quality (1 - e^{-4.5}, the mass of a 2-D
// Gaussian within 3 std); a generator collapsed on two of the modes captures 2 and scores
// a reverse KL of about log 4 (log 8 minus the entropy of its near-even split).
func ExampleModes() {
	ring := target.Ring(8, 2, 0.02)
	real := ring.Sample(target.NewRand(1), 2500)
	r, err := metrics.Modes(real, ring, metrics.DefaultModeOptions())
	if err != nil {
		panic(err)
	}
	fmt.Println("target samples:", r)

	// A collapsed "generator": the same Gaussians, but only modes 0 and 4.
	two, err := target.NewMixture("modes 0 and 4", [][]float64{ring.Modes()[0], ring.Modes()[4]}, []float64{0.02, 0.02}, nil)
	if err != nil {
		panic(err)
	}
	r, err = metrics.Modes(two.Sample(target.NewRand(2), 2500), ring, metrics.ModeOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println("collapsed:     ", r)
	fmt.Println("counts:        ", r.Counts)
	fmt.Printf("log 4 =          %.3f\n", math.Log(4))

	_, err = metrics.Modes([]float32{1, 2, 3}, ring, metrics.ModeOptions{})
	fmt.Println(err)
	// Output:
	// target samples: 8/8 modes, 98.9% high quality, reverse KL 0.001
	// collapsed:      2/8 modes, 98.5% high quality, reverse KL 1.386
	// counts:         [1209 0 0 0 1254 0 0 0]
	// log 4 =          1.386
	// metrics: Modes on ring of 8: samples have 3 values, not a multiple of the dimension 2
}

// GAN Lab's estimate of KL and JS on a grid: 0 for the same samples, close to log 2 for
// samples that share no cell, and in between for a generator that found half the ring
// (the exact JS for that is 0.2158: half of the real mass is where the generator puts
// none). KL(real ‖ fake) is large but finite: the smoothing keeps it from +Inf, at
// log(1/ε) ≈ 9.21 for disjoint samples.
func ExampleGridDivergences() {
	ring := target.Ring(8, 2, 0.02)
	lo, hi := ring.Bounds()
	real := ring.Sample(target.NewRand(1), 2000)

	kl, js, _ := metrics.GridDivergences(real, real, 2, lo, hi, 30)
	fmt.Printf("same samples:    KL %.4f  JS %.4f\n", kl, js)

	half, _ := target.NewMixture("half ring", ring.Modes()[:4], ring.Stds()[:4], nil)
	kl, js, _ = metrics.GridDivergences(real, half.Sample(target.NewRand(2), 2000), 2, lo, hi, 30)
	fmt.Printf("half the modes:  KL %.4f  JS %.4f\n", kl, js)

	far := target.Gaussian(0, 0.01) // 1-D, far from 5
	kl, js, _ = metrics.GridDivergences(far.Sample(target.NewRand(3), 100), []float32{5}, 1, []float64{-1}, []float64{6}, 30)
	fmt.Printf("disjoint (1-D):  KL %.4f  JS %.4f  (log 2 = %.4f)\n", kl, js, math.Ln2)
	fmt.Printf("JS in GAN Lab's bits: %.4f\n", js/math.Ln2)
	// Output:
	// same samples:    KL 0.0000  JS 0.0000
	// half the modes:  KL 2.8839  JS 0.2135
	// disjoint (1-D):  KL 9.2104  JS 0.6923  (log 2 = 0.6931)
	// JS in GAN Lab's bits: 0.9987
}

// The exact 1-D Wasserstein-1 distance between two sample sets of different sizes:
// moving {0, 1, 3} onto {1, 2} costs 5/6.
func ExampleW1() {
	fmt.Printf("%.4f\n", metrics.W1([]float32{0, 1, 3}, []float32{1, 2}))
	// Samples of N(0,1) and N(2,1): W1 between the distributions is exactly 2.
	a := target.Gaussian(0, 1).Sample(target.NewRand(1), 5000)
	b := target.Gaussian(2, 1).Sample(target.NewRand(2), 5000)
	fmt.Printf("%.2f\n", metrics.W1(a, b))
	// Output:
	// 0.8333
	// 2.00
}

// Mean ± sample standard deviation over three seeds.
func ExampleMeanStd() {
	captured := []float64{8, 7, 8}
	mean, sd := metrics.MeanStd(captured)
	fmt.Printf("modes captured: %.2f ± %.2f\n", mean, sd)
	// Output:
	// modes captured: 7.67 ± 0.58
}

// Lesson 1 scores its generator against p_data = N(2, 0.5²): 10,000 samples of p_data
// itself are within sampling noise (about 0.01) of it, the same draws shifted to
// N(2.3, 0.5²) about the shift, 0.3, away.
func ExampleW1Gaussian() {
	same := target.Gaussian(2, 0.5).Sample(target.NewRand(1), 10000)
	shifted := target.Gaussian(2.3, 0.5).Sample(target.NewRand(1), 10000)
	fmt.Printf("W1 %.3f and %.3f\n", metrics.W1Gaussian(same, 2, 0.5), metrics.W1Gaussian(shifted, 2, 0.5))
	mean, sd := metrics.MeanStd(same)
	fmt.Printf("mean %.3f, sd %.3f\n", mean, sd)
	// Output:
	// W1 0.010 and 0.297
	// mean 1.997, sd 0.510
}

// The mean ± sd columns of lesson 3's table.
func ExamplePlusMinus() {
	fmt.Println(metrics.PlusMinus([]float64{8, 7, 8}, 1))
	// Output:
	// 7.7 ± 0.6
}
