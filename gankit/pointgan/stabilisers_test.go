package pointgan_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
)

// stabConfig is a small ring GAN for the stabilisers' tests.
func stabConfig() pointgan.Config {
	return pointgan.Config{
		Target:          target.Ring(8, 2, 0.05),
		Generator:       nets.Generator(4, []int{16}, 2),
		Discriminator:   nets.Discriminator(2, []int{16, 16}),
		BatchSize:       32,
		DSteps:          1,
		GOptimizer:      train.Adam(1e-3, 0.5, 0.999),
		DOptimizer:      train.Adam(1e-3, 0.5, 0.999),
		Seed:            5,
		SnapshotSamples: 100,
		GridSize:        10,
	}
}

// firstStep builds a trainer for cfg and returns the logits of its untrained D on the first
// discriminator step's real and generated samples (the trainer's streams redrawn here),
// then the loss of that step.
func firstStep(t *testing.T, cfg pointgan.Config) (realLogits, fakeLogits []float64, loss float64) {
	t.Helper()
	tr, err := pointgan.New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	n := cfg.BatchSize
	real := cfg.Target.Sample(target.NewRand(cfg.Seed), n)
	fake, err := tr.Generate(train.Normal(target.NewRand(cfg.Seed+1), n*cfg.Generator.InDim()))
	if err != nil {
		t.Fatal(err)
	}
	if realLogits, err = tr.Critic(real); err != nil {
		t.Fatal(err)
	}
	if fakeLogits, err = tr.Critic(fake); err != nil {
		t.Fatal(err)
	}
	s, err := tr.StepD()
	if err != nil {
		t.Fatal(err)
	}
	return realLogits, fakeLogits, s.Loss
}

func mean(xs []float64, f func(float64) float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += f(x)
	}
	return s / float64(len(xs))
}

func softplus(x float64) float64 { return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.7g, want %.7g (± %g)", what, got, want, tol)
	}
}

// With real target 1-α, BCE is softplus(-l) + α·l on a real logit l: the loss moves by α
// times the mean real logit.
func TestLabelSmoothingShiftsTheLoss(t *testing.T) {
	cfg := stabConfig()
	realL, fakeL, plain := firstStep(t, cfg)
	near(t, "plain D loss", plain, mean(realL, func(l float64) float64 { return softplus(-l) })+mean(fakeL, softplus), 1e-5)
	cfg.LabelSmoothing = 0.1
	_, _, smooth := firstStep(t, cfg)
	near(t, "smoothed D loss", smooth, plain+0.1*mean(realL, func(l float64) float64 { return l }), 1e-5)
}

// Flipping every label swaps the two targets.
func TestLabelNoiseFlipsLabels(t *testing.T) {
	cfg := stabConfig()
	cfg.LabelNoise = 1
	realL, fakeL, loss := firstStep(t, cfg)
	near(t, "D loss with every label flipped", loss, mean(realL, softplus)+mean(fakeL, func(l float64) float64 { return softplus(-l) }), 1e-5)
	cfg.LabelNoise = 0.5
	_, _, half := firstStep(t, cfg)
	if math.Abs(half-loss) < 1e-3 {
		t.Errorf("D loss with half the labels flipped %g, the same as with all flipped", half)
	}
}

// Dropout changes D's loss in its steps but not D's evaluation; a rate so small that no
// unit is dropped changes nothing.
func TestDropoutOnlyInDSteps(t *testing.T) {
	cfg := stabConfig()
	realL, _, plain := firstStep(t, cfg)
	cfg.Dropout = 1e-9
	_, _, none := firstStep(t, cfg)
	near(t, "D loss with no unit dropped", none, plain, 1e-5)
	cfg.Dropout = 0.5
	realD, _, dropped := firstStep(t, cfg)
	if math.Abs(dropped-plain) < 1e-3 {
		t.Errorf("D loss with dropout 0.5 is %g, the same as without (%g)", dropped, plain)
	}
	for i := range realL {
		near(t, "D's evaluation with dropout", realD[i], realL[i], 1e-6)
	}
}

func TestInstanceNoise(t *testing.T) {
	cfg := stabConfig()
	cfg.InstanceNoise, cfg.InstanceNoiseAnneal = 0.4, 100
	for _, c := range []struct {
		it    int
		sigma float64
	}{{0, 0.4}, {25, 0.3}, {100, 0}, {500, 0}} {
		near(t, fmt.Sprintf("σ at iteration %d", c.it), cfg.InstanceNoiseAt(c.it), c.sigma, 1e-12)
	}
	cfg.InstanceNoiseAnneal = 0
	near(t, "constant σ", cfg.InstanceNoiseAt(1000), 0.4, 0)
	// The first D step sees the real and generated samples moved by the first 2·n·dim
	// draws of the instance-noise stream (seed + 9), times σ.
	tr, err := pointgan.New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	n := cfg.BatchSize
	real := cfg.Target.Sample(target.NewRand(cfg.Seed), n)
	fake, err := tr.Generate(train.Normal(target.NewRand(cfg.Seed+1), n*cfg.Generator.InDim()))
	if err != nil {
		t.Fatal(err)
	}
	jitter := train.Normal(target.NewRand(cfg.Seed+9), 4*n)
	for i := range real {
		real[i] += 0.4 * jitter[i]
		fake[i] += 0.4 * jitter[2*n+i]
	}
	realL, err := tr.Critic(real)
	if err != nil {
		t.Fatal(err)
	}
	fakeL, err := tr.Critic(fake)
	if err != nil {
		t.Fatal(err)
	}
	s, err := tr.StepD()
	if err != nil {
		t.Fatal(err)
	}
	near(t, "D loss on the noisy samples", s.Loss, mean(realL, func(l float64) float64 { return softplus(-l) })+mean(fakeL, softplus), 1e-5)
	_, _, plain := firstStep(t, stabConfig())
	if math.Abs(s.Loss-plain) < 1e-5 {
		t.Errorf("D loss with instance noise σ = 0.4 is %g, the same as without", s.Loss)
	}
}

// R1 adds γ/2·E‖∇D(x)‖² on the real batch; the gradient here is a central difference of D.
func TestR1AddsTheGradientPenalty(t *testing.T) {
	cfg := stabConfig()
	_, _, plain := firstStep(t, cfg)
	cfg.R1 = 2
	tr, err := pointgan.New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	n, h := cfg.BatchSize, 1e-2
	real := cfg.Target.Sample(target.NewRand(cfg.Seed), n)
	sq := 0.0
	for k := range 2 {
		plus, minus := append([]float32(nil), real...), append([]float32(nil), real...)
		for i := range n {
			plus[2*i+k] += float32(h)
			minus[2*i+k] -= float32(h)
		}
		dp, err := tr.Critic(plus)
		if err != nil {
			t.Fatal(err)
		}
		dm, err := tr.Critic(minus)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			g := (dp[i] - dm[i]) / (2 * h)
			sq += g * g
		}
	}
	s, err := tr.StepD()
	if err != nil {
		t.Fatal(err)
	}
	penalty := cfg.R1 / 2 * sq / float64(n)
	if penalty < 1e-3 {
		t.Fatalf("penalty %g too small to test", penalty)
	}
	near(t, "D loss with R1 minus without", s.Loss-plain, penalty, 0.01*penalty)
}

// maxSlope is the largest |D(x+h·e) - D(x)|/h of a trainer's D over a grid of points and
// both axes.
func maxSlope(t *testing.T, tr *pointgan.Trainer) float64 {
	t.Helper()
	var xs, xh, yh []float32
	for i := range 21 {
		for j := range 21 {
			x, y := float32(-3+0.3*float64(i)), float32(-3+0.3*float64(j))
			xs = append(xs, x, y)
			xh = append(xh, x+1e-2, y)
			yh = append(yh, x, y+1e-2)
		}
	}
	d, err := tr.Critic(xs)
	if err != nil {
		t.Fatal(err)
	}
	slope := 0.0
	for _, moved := range [][]float32{xh, yh} {
		dh, err := tr.Critic(moved)
		if err != nil {
			t.Fatal(err)
		}
		for i := range d {
			slope = math.Max(slope, math.Abs(dh[i]-d[i])/1e-2)
		}
	}
	return slope
}

// Spectral normalisation makes every layer 1-Lipschitz (LeakyReLU is too), so D's slope
// stays below 1 where the unnormalised D, trained the same way, grows steeper.
func TestSpectralNormBoundsTheSlope(t *testing.T) {
	b := testkit.Backend(t)
	slopes := map[bool]float64{}
	for _, sn := range []bool{false, true} {
		cfg := stabConfig()
		cfg.Loss, cfg.SpectralNorm = losses.Hinge, sn
		cfg.DOptimizer = train.Adam(1e-2, 0.5, 0.999)
		tr, err := pointgan.New(b, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.TrainD(200); err != nil {
			t.Fatal(err)
		}
		slopes[sn] = maxSlope(t, tr)
	}
	if slopes[true] > 1.01 {
		t.Errorf("spectrally normalised D has slope %.3f, want <= 1", slopes[true])
	}
	if slopes[false] < 2 {
		t.Errorf("unnormalised D has slope %.3f: too flat for the test to tell", slopes[false])
	}
}

// The moving average does not change training, and for a linear generator (no hidden
// layer) its output after two steps is (d·G₁(z) + G₂(z))/(1 + d): the debiased average of
// the two iterates' weights.
func TestEMAAveragesTheGenerator(t *testing.T) {
	b := testkit.Backend(t)
	const d = 0.5
	cfg := stabConfig()
	cfg.Generator = nets.MLP{In: 4, Out: 2, Act: nets.ReLU, OutAct: nets.Identity}
	z := train.Normal(target.NewRand(99), 20*4)
	plain, err := pointgan.New(b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.EMA = d
	ema, err := pointgan.New(b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	gen := func(tr *pointgan.Trainer) []float32 {
		out, err := tr.Generate(z)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	g0, e0 := gen(plain), gen(ema)
	var gs [][]float32
	for range 2 {
		if err := plain.Iterate(); err != nil {
			t.Fatal(err)
		}
		if err := ema.Iterate(); err != nil {
			t.Fatal(err)
		}
		gs = append(gs, gen(plain))
	}
	e2 := gen(ema)
	for i := range z[:40] {
		near(t, "untrained EMA generator", float64(e0[i]), float64(g0[i]), 1e-6)
		near(t, "EMA generator after 2 steps", float64(e2[i]), (d*float64(gs[0][i])+float64(gs[1][i]))/(1+d), 1e-5)
	}
	if math.Abs(float64(gs[1][0]-gs[0][0])) < 1e-5 {
		t.Errorf("the generator did not move: %g then %g", gs[0][0], gs[1][0])
	}
	ph, eh := plain.History(), ema.History()
	for i := range ph {
		if ph[i] != eh[i] {
			t.Errorf("iteration %d: EMA changed training: %+v, want %+v", i+1, eh[i], ph[i])
		}
	}
}

func TestStabilisersValidate(t *testing.T) {
	for _, c := range []struct {
		change func(*pointgan.Config)
		want   string
	}{
		{func(c *pointgan.Config) { c.LabelSmoothing = 0.5 }, "LabelSmoothing"},
		{func(c *pointgan.Config) { c.LabelSmoothing, c.Loss = 0.1, losses.Hinge }, "Standard (BCE) loss"},
		{func(c *pointgan.Config) { c.LabelNoise = 1.5 }, "LabelNoise"},
		{func(c *pointgan.Config) { c.Dropout = 1 }, "Dropout"},
		{func(c *pointgan.Config) { c.InstanceNoise = math.NaN() }, "InstanceNoise (σ)"},
		{func(c *pointgan.Config) { c.InstanceNoiseAnneal = -1 }, "InstanceNoiseAnneal"},
		{func(c *pointgan.Config) { c.R1 = -1 }, "R1"},
		{func(c *pointgan.Config) { c.EMA = 1 }, "EMA"},
		{func(c *pointgan.Config) { c.Unroll, c.UnrollLearningRate, c.SpectralNorm = 2, 0.1, true }, "Unroll cannot"},
	} {
		cfg := stabConfig()
		c.change(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one about %q", err, c.want)
		}
	}
	cfg := stabConfig()
	cfg.LabelSmoothing, cfg.LabelNoise, cfg.Dropout, cfg.InstanceNoise, cfg.SpectralNorm, cfg.R1, cfg.EMA = 0.1, 0.05, 0.3, 0.1, true, 1, 0.999
	if err := cfg.Validate(); err != nil {
		t.Errorf("every stabiliser at once: %v", err)
	}
}

// Instance noise of σ = 0.2 annealed over 1,000 iterations, as lesson 15 uses it.
func ExampleConfig_InstanceNoiseAt() {
	cfg := pointgan.Config{InstanceNoise: 0.2, InstanceNoiseAnneal: 1000}
	for _, it := range []int{0, 250, 500, 1000, 1500} {
		fmt.Printf("iteration %4d: σ = %.2f\n", it, cfg.InstanceNoiseAt(it))
	}
	// Output:
	// iteration    0: σ = 0.20
	// iteration  250: σ = 0.15
	// iteration  500: σ = 0.10
	// iteration 1000: σ = 0.00
	// iteration 1500: σ = 0.00
}
