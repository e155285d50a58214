package imagegan

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

func digits(t *testing.T) *mnist.Set { return testkit.Set(t, "mnist") }

// tiny is a configuration small enough for a test to run tens of iterations in a second.
func tiny(t *testing.T, mode Mode) Config {
	c := Config{Set: digits(t), Mode: mode, NoiseDim: 8, GWidth: 8, DWidth: 4, BatchSize: 16, Seed: 3, SnapshotSamples: 20}
	if mode == InfoGAN {
		c.Categorical, c.Continuous = 10, 2
	}
	return c
}

func newTrainer(t *testing.T, cfg Config) *Trainer {
	t.Helper()
	tr, err := New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestValidate(t *testing.T) {
	s := digits(t)
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no set", Config{}, "Set (the training images) is required"},
		{"batch 1", Config{Set: s, BatchSize: 1}, "BatchSize must be >= 2"},
		{"negative batch", Config{Set: s, BatchSize: -4}, "BatchSize must be >= 2"},
		{"negative noise", Config{Set: s, NoiseDim: -1}, "NoiseDim must be >= 1"},
		{"narrow G", Config{Set: s, GWidth: 1}, "GWidth"},
		{"negative D width", Config{Set: s, DWidth: -2}, "DWidth"},
		{"NaN learning rate", Config{Set: s, GOptimizer: train.Adam(math.NaN(), 0.5, 0.999)}, "GOptimizer: bad optimizer setting: learning rate must be positive"},
		{"negative learning rate", Config{Set: s, DOptimizer: train.Adam(-1e-4, 0.5, 0.999)}, "DOptimizer: bad optimizer setting: learning rate must be positive"},
		{"beta 1", Config{Set: s, DOptimizer: train.Adam(1e-4, 1, 0.999)}, "adam betas must lie in [0, 1)"},
		{"InfoGAN without codes", Config{Set: s, Mode: InfoGAN, Categorical: 0, Continuous: 0, InfoWeight: 1, NoiseDim: 8}.WithDefaults(), ""}, // defaults fill the codes
		{"negative codes", Config{Set: s, Mode: InfoGAN, Categorical: -1, Continuous: 2}, "must be >= 0"},
		{"InfoGAN one-value code", Config{Set: s, Mode: InfoGAN, Categorical: 1}, "carries no information"},
		{"negative λ", Config{Set: s, Mode: InfoGAN, Categorical: 10, InfoWeight: -1}, "InfoWeight (λ) must be positive"},
		{"NaN λ", Config{Set: s, Mode: InfoGAN, Categorical: 10, InfoWeight: math.NaN()}, "InfoWeight (λ) must be positive"},
		{"codes outside InfoGAN", Config{Set: s, Mode: Conditional, Continuous: 2}, "InfoGAN settings"},
		{"unknown mode", Config{Set: s, Mode: 7}, "unknown Mode 7"},
		{"snapshot samples", Config{Set: s, SnapshotSamples: -1}, "SnapshotSamples"},
	}
	for _, c := range cases {
		err := c.cfg.WithDefaults().Validate()
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: unexpected error %v", c.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want one containing %q", c.name, err, c.want)
		}
		if _, err := New(nil, c.cfg); err == nil {
			t.Errorf("%s: New accepted the config", c.name)
		}
	}
	// InfoGAN with both codes explicitly 0 after defaults were applied is refused.
	c := DefaultConfig(s, InfoGAN)
	c.Categorical, c.Continuous = 0, 0
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "at least one latent code") {
		t.Errorf("InfoGAN with no codes: got %v", err)
	}
	for _, m := range []Mode{Unconditional, Conditional, InfoGAN} {
		if err := DefaultConfig(s, m).Validate(); err != nil {
			t.Errorf("DefaultConfig(%v): %v", m, err)
		}
	}
}

func TestDefaults(t *testing.T) {
	c := DefaultConfig(digits(t), InfoGAN)
	if c.NoiseDim != 64 || c.GWidth != 64 || c.DWidth != 32 || c.BatchSize != 64 || c.Categorical != 10 ||
		c.Continuous != 2 || c.InfoWeight != 1 || c.GOptimizer != DefaultOptimizer || c.DOptimizer != DefaultOptimizer {
		t.Errorf("DefaultConfig(InfoGAN) = %+v", c)
	}
	if got := c.CondDim(); got != 12 {
		t.Errorf("InfoGAN CondDim = %d, want 12", got)
	}
	if got := DefaultConfig(digits(t), Conditional).CondDim(); got != 10 {
		t.Errorf("Conditional CondDim = %d, want 10", got)
	}
}

func TestGenerateShapes(t *testing.T) {
	for _, mode := range []Mode{Unconditional, Conditional, InfoGAN} {
		t.Run(mode.String(), func(t *testing.T) {
			tr := newTrainer(t, tiny(t, mode))
			if err := tr.Run(2); err != nil {
				t.Fatal(err)
			}
			for _, n := range []int{1, 7, 300} { // 300: two chunks
				imgs, err := tr.Generate(tr.FixedNoise(n), tr.FixedCodes(n))
				if err != nil {
					t.Fatal(err)
				}
				if len(imgs) != n*mnist.Pixels {
					t.Fatalf("Generate(%d) returned %d values, want %d", n, len(imgs), n*mnist.Pixels)
				}
				for i, v := range imgs {
					if !(v >= -1 && v <= 1) {
						t.Fatalf("pixel %d = %v is outside [-1, 1]", i, v)
					}
				}
			}
			if _, err := tr.Generate(make([]float32, 5), tr.FixedCodes(1)); err == nil {
				t.Error("Generate accepted 5 noise values for 8-dimensional noise")
			}
			if mode != Unconditional {
				if _, err := tr.Generate(tr.FixedNoise(3), tr.FixedCodes(2)); err == nil {
					t.Error("Generate accepted codes for 2 images with noise for 3")
				}
			} else if _, err := tr.Generate(tr.FixedNoise(1), Codes{Labels: []int{1}}); err == nil {
				t.Error("an unconditional Generate accepted labels")
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, mode := range []Mode{Unconditional, InfoGAN} {
		run := func(seed uint64) ([]Record, []float32) {
			cfg := tiny(t, mode)
			cfg.Seed = seed
			tr := newTrainer(t, cfg)
			if err := tr.Run(4); err != nil {
				t.Fatal(err)
			}
			s, err := tr.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			return tr.History(), s.Images
		}
		h1, im1 := run(5)
		h2, im2 := run(5)
		h3, _ := run(6)
		for i := range h1 {
			if h1[i] != h2[i] {
				t.Errorf("%v: iteration %d differs between two runs with one seed: %+v vs %+v", mode, i+1, h1[i], h2[i])
			}
		}
		for i := range im1 {
			if im1[i] != im2[i] {
				t.Errorf("%v: snapshot pixel %d differs between two runs with one seed", mode, i)
				break
			}
		}
		if h1[0] == h3[0] {
			t.Errorf("%v: seeds 5 and 6 gave the same first iteration %+v", mode, h1[0])
		}
	}
}

// TestBatchNormModes checks that Generate uses batch norm's running statistics: at
// initialisation (running mean 0, variance 1) inference differs from training mode, which
// normalises with the batch's statistics; and a training-mode pass moves the running
// statistics, so inference output changes while the weights do not.
func TestBatchNormModes(t *testing.T) {
	tr := newTrainer(t, tiny(t, Unconditional))
	z := tr.FixedNoise(32)
	inf1, err := tr.Generate(z, Codes{})
	if err != nil {
		t.Fatal(err)
	}
	// One image alone in inference mode equals its row in the batch: no batch statistics.
	one, err := tr.Generate(z[:tr.cfg.NoiseDim], Codes{})
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(one, inf1[:mnist.Pixels]); d > 1e-5 {
		t.Errorf("inference output of an image depends on its batch (max difference %g)", d)
	}
	train, err := tr.generateTraining(z, Codes{})
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(inf1, train); d < 1e-3 {
		t.Errorf("inference and training mode agree to %g: Generate does not use the running statistics", d)
	}
	for range 20 { // moves the running statistics towards the batch statistics
		if _, err := tr.generateTraining(z, Codes{}); err != nil {
			t.Fatal(err)
		}
	}
	inf2, err := tr.Generate(z, Codes{})
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(inf1, inf2); d < 1e-3 {
		t.Errorf("training-mode passes did not change inference output (max difference %g): running statistics not updated", d)
	}
	if d1, d2 := maxAbsDiff(inf1, train), maxAbsDiff(inf2, train); !(d2 < d1) {
		t.Errorf("after 20 training passes on the same batch, inference is no closer to training mode: %g, then %g", d1, d2)
	}
}

func maxAbsDiff(a, b []float32) float64 {
	var m float64
	for i := range a {
		m = max(m, math.Abs(float64(a[i]-b[i])))
	}
	return m
}

func TestConditionalDependsOnLabel(t *testing.T) {
	tr := newTrainer(t, tiny(t, Conditional))
	if err := tr.Run(3); err != nil {
		t.Fatal(err)
	}
	z := tr.FixedNoise(4)
	a, err := tr.Generate(z, Codes{Labels: []int{0, 0, 0, 0}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := tr.Generate(z, Codes{Labels: []int{7, 7, 7, 7}})
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(a, b); d < 1e-3 {
		t.Errorf("the same noise with labels 0 and 7 gives images within %g: G ignores the label", d)
	}
	if _, err := tr.Generate(z[:8], Codes{Labels: []int{10}}); err == nil || !strings.Contains(err.Error(), "outside [0, 10)") {
		t.Errorf("label 10: got %v", err)
	}
}

// TestInfoLossDecreases checks that InfoGAN's Q learns to read the codes back: L_I starts
// near ln 10 + E[c²]/2 (chance) and falls within 60 iterations of a tiny model.
func TestInfoLossDecreases(t *testing.T) {
	cfg := tiny(t, InfoGAN)
	cfg.GOptimizer = train.Adam(1e-3, 0.5, 0.999)
	cfg.DOptimizer = cfg.GOptimizer
	tr := newTrainer(t, cfg)
	if err := tr.Run(60); err != nil {
		t.Fatal(err)
	}
	h := tr.History()
	first, last := meanInfo(h[:10]), meanInfo(h[len(h)-10:])
	t.Logf("L_I: first 10 iterations %.3f, last 10 %.3f (chance: ln 10 + 1/3 = %.3f)", first, last, math.Log(10)+1.0/3)
	if first < 2 {
		t.Errorf("L_I starts at %.3f, below chance: the loss is not what it claims", first)
	}
	if !(last < 0.8*first) {
		t.Errorf("L_I went from %.3f to %.3f: Q does not learn the codes", first, last)
	}
}

func meanInfo(h []Record) float64 {
	var s float64
	for _, r := range h {
		s += r.Info
	}
	return s / float64(len(h))
}

// TestNaNGuard checks that absurd learning rates stop training with a clear error: at
// 1e6 the losses explode past train.MaxLoss while still finite; at 1e30 they become NaN/Inf.
func TestNaNGuard(t *testing.T) {
	for _, lr := range []float64{1e6, 1e30} {
		cfg := tiny(t, Unconditional)
		cfg.GOptimizer = train.Adam(lr, 0.5, 0.999)
		cfg.DOptimizer = cfg.GOptimizer
		tr := newTrainer(t, cfg)
		err := tr.Run(50)
		if err == nil {
			t.Fatalf("lr %g: 50 iterations ran without error; last record %+v", lr, tr.History()[len(tr.History())-1])
		}
		if !errors.Is(err, train.ErrDiverged) {
			t.Errorf("lr %g: %v does not wrap train.ErrDiverged", lr, err)
		}
		if !strings.Contains(err.Error(), "imagegan: training diverged at iteration") || !strings.Contains(err.Error(), "lower the learning rates") {
			t.Errorf("lr %g: unclear error: %v", lr, err)
		}
		if lr > 1e20 && !strings.Contains(err.Error(), "NaN") && !strings.Contains(err.Error(), "Inf") {
			t.Errorf("lr %g: expected a NaN or Inf loss, got %v", lr, err)
		}
		if tr.Err() != err {
			t.Errorf("lr %g: Err() = %v, want the sticky %v", lr, tr.Err(), err)
		}
		if err2 := tr.Iterate(); err2 != err {
			t.Errorf("lr %g: Iterate after divergence returned %v, want the sticky error", lr, err2)
		}
		t.Log(err)
	}
}

// TestOptimizers checks that Config's optimizers reach the steps: SGD and RMSProp train
// (finite losses) and, from the second iteration on (the first D loss is measured before
// any update), give other losses than the default Adam.
func TestOptimizers(t *testing.T) {
	run := func(opt train.Optimizer) []Record {
		cfg := tiny(t, Unconditional)
		cfg.GOptimizer, cfg.DOptimizer = opt, opt
		tr := newTrainer(t, cfg)
		if err := tr.Run(3); err != nil {
			t.Fatalf("%+v: %v", opt, err)
		}
		return tr.History()
	}
	adam := run(DefaultOptimizer)
	for _, opt := range []train.Optimizer{train.SGD(1e-2), train.RMSProp(1e-4)} {
		h := run(opt)
		if h[0].DLoss != adam[0].DLoss {
			t.Errorf("%s: first D loss %v, Adam's %v: the initial weights differ", opt.Kind, h[0].DLoss, adam[0].DLoss)
		}
		if h[2] == adam[2] {
			t.Errorf("%s: iteration 3 is Adam's %+v", opt.Kind, adam[2])
		}
	}
}

func TestRunSnapshots(t *testing.T) {
	tr := newTrainer(t, tiny(t, Conditional))
	if err := tr.Run(3, 0, 2, 3, 3); err != nil {
		t.Fatal(err)
	}
	var its []int
	for _, s := range tr.Snapshots() {
		its = append(its, s.Iteration)
		if len(s.Images) != 20*mnist.Pixels || len(s.Codes.Labels) != 20 {
			t.Errorf("snapshot %d: %d values, %d labels", s.Iteration, len(s.Images), len(s.Codes.Labels))
		}
	}
	if len(its) != 3 || its[0] != 0 || its[1] != 2 || its[2] != 3 {
		t.Errorf("snapshots at %v, want [0 2 3]", its)
	}
	// History has plots.LossHistory's methods: plots.Curves draws it.
	h := tr.History()
	it, dLoss, gLoss, dReal, dFake := h.Losses(2)
	if h.Len() != 3 || it != 3 || dLoss != h[2].DLoss || gLoss != h[2].GLoss || dReal != h[2].DReal || dFake != h[2].DFake {
		t.Errorf("History: Len %d, Losses(2) = %d %g %g %g %g for records %+v", h.Len(), it, dLoss, gLoss, dReal, dFake, h)
	}
	if tr.ItersPerSecond() <= 0 {
		t.Errorf("ItersPerSecond = %v after 3 iterations", tr.ItersPerSecond())
	}
}

// TestLearnsDigits checks that the DCGAN learns: 300 iterations of the default DCGAN on
// MNIST (about a minute on 2 cores) bring the samples' mean pixel within 0.1 of the data's
// and leave them varied. Skipped with -short.
func TestLearnsDigits(t *testing.T) {
	if testing.Short() {
		t.Skip("300 DCGAN iterations take about a minute")
	}
	s := digits(t)
	tr := newTrainer(t, DefaultConfig(s, Unconditional))
	if err := tr.Run(300, 0, 300); err != nil {
		t.Fatal(err)
	}
	dataMean := 2*s.PixelMean() - 1
	snaps := tr.Snapshots()
	before, after := pixelStats(snaps[0].Images), pixelStats(snaps[1].Images)
	h := tr.History()
	last := h[len(h)-20:]
	var dReal, dFake float64
	for _, r := range last {
		dReal += r.DReal / float64(len(last))
		dFake += r.DFake / float64(len(last))
	}
	t.Logf("%.2f it/s; data mean pixel %.3f; samples before: mean %.3f, spread across images %.3f; after 300: mean %.3f, spread %.3f; last 20: D(x) %.3f, D(G(z)) %.3f",
		tr.ItersPerSecond(), dataMean, before.mean, before.spread, after.mean, after.spread, dReal, dFake)
	if math.Abs(after.mean-dataMean) > 0.1 {
		t.Errorf("mean pixel of the samples is %.3f, the data's %.3f: more than 0.1 apart", after.mean, dataMean)
	}
	if after.spread < 0.05 {
		t.Errorf("samples barely differ from each other (per-pixel std across images %.3f): collapsed", after.spread)
	}
	if !(dFake > 0.05) {
		t.Errorf("D(G(z)) = %.3f at the end: D wins outright", dFake)
	}
	if out := os.Getenv("IMAGEGAN_GRID"); out != "" {
		writeGrid(t, out, snaps[1].Images)
	}
}

type stats struct{ mean, spread float64 }

// pixelStats returns the mean pixel of images and the per-pixel standard deviation across
// images, averaged over pixels (0 for identical images).
func pixelStats(imgs []float32) stats {
	n := len(imgs) / mnist.Pixels
	var st stats
	for p := range mnist.Pixels {
		var s, s2 float64
		for i := range n {
			v := float64(imgs[i*mnist.Pixels+p])
			s += v
			s2 += v * v
		}
		m := s / float64(n)
		st.mean += m / mnist.Pixels
		st.spread += math.Sqrt(max(s2/float64(n)-m*m, 0)) / mnist.Pixels
	}
	return st
}

// TestConditionalConvIsConcatenation checks that conditionalConv1 computes D's first
// convolution on the image with the label channels concatenated, in values and in the
// gradients with respect to the image and the kernel.
func TestConditionalConvIsConcatenation(t *testing.T) {
	cfg := tiny(t, Conditional)
	tr := newTrainer(t, cfg)
	n := tr.nets
	const batch = 5
	rng := train.Rand(9, 9)
	x := train.Normal(rng, batch*mnist.Pixels)
	labels := []int{0, 3, 9, 3, 7}
	cond, err := tr.condVectors(Codes{Labels: labels}, batch)
	if err != nil {
		t.Fatal(err)
	}
	weights := train.Normal(rng, batch*14*14*cfg.DWidth)
	exec, err := model.NewExec(tr.backend, tr.store, func(scope *model.Scope, x, label, w *graph.Node) []*graph.Node {
		g := x.Graph()
		cs := scope.At(DiscriminatorScope).At("conv1")
		kernel := cs.GetVariable("kernel").NodeValue(g)
		k := cfg.Classes()
		maps := graph.BroadcastToDims(graph.Reshape(label, batch, 1, 1, k), batch, mnist.Side, mnist.Side, k)
		ref := n.dConv1.Apply(cs, graph.Concatenate([]*graph.Node{x, maps}, -1))
		got := n.conditionalConv1(cs, x, label)
		out := []*graph.Node{ref, got}
		for _, y := range []*graph.Node{ref, got} {
			out = append(out, graph.Gradient(graph.ReduceAllSum(graph.Mul(y, w)), x, kernel)...)
		}
		return out
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := exec.Call(tensors.FromFlatDataAndDimensions(x, batch, mnist.Side, mnist.Side, 1),
		tensors.FromFlatDataAndDimensions(cond, batch, cfg.Classes()),
		tensors.FromFlatDataAndDimensions(weights, batch, 14, 14, cfg.DWidth))
	if err != nil {
		t.Fatal(err)
	}
	v := func(i int) []float32 { return tensors.MustCopyFlatData[float32](res[i]) }
	for i, what := range []string{"output", "gradient w.r.t. the image", "gradient w.r.t. the kernel"} {
		ref, got := v([]int{0, 2, 3}[i]), v([]int{1, 4, 5}[i])
		if len(ref) != len(got) {
			t.Fatalf("%s: %d values vs %d", what, len(ref), len(got))
		}
		var scale float64
		for _, r := range ref {
			scale = max(scale, math.Abs(float64(r)))
		}
		if d := maxAbsDiff(ref, got); d > 1e-5*max(scale, 1) {
			t.Errorf("%s differs from the concatenated convolution by %g (scale %g)", what, d, scale)
		}
	}
}

// GeneratorParams counts what New creates: the generator's trainable values.
func TestGeneratorParams(t *testing.T) {
	if got := GeneratorParams(DefaultNoiseDim, DefaultGWidth); got != 222785 {
		t.Errorf("GeneratorParams(defaults) = %d, want 222785", got)
	}
	for _, c := range []Config{tiny(t, Unconditional), {Set: digits(t), NoiseDim: 5, GWidth: 6, DWidth: 2, BatchSize: 4}} {
		tr := newTrainer(t, c)
		cfg := tr.Config()
		if got, want := GeneratorParams(cfg.NoiseDim, cfg.GWidth), train.Parameters(tr.Store().RootScope().At(GeneratorScope)); got != want {
			t.Errorf("NoiseDim %d, GWidth %d: GeneratorParams = %d, the store's generator has %d trainable values", cfg.NoiseDim, cfg.GWidth, got, want)
		}
	}
}
