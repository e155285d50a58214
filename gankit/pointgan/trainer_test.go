package pointgan_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/gomlx/core/tensors"
)

func gaussianConfig() pointgan.Config {
	return pointgan.Config{
		Target:        target.Gaussian(2, 0.5),
		Generator:     nets.Generator(1, []int{16, 16}, 1),
		Discriminator: nets.Discriminator(1, []int{16, 16}),
		BatchSize:     64,
		DSteps:        2,
		GOptimizer:    train.Adam(1e-3, 0.5, 0.999),
		DOptimizer:    train.Adam(1e-3, 0.5, 0.999),
		Seed:          7,
	}
}

func TestEachGraphIsBuiltOnce(t *testing.T) {
	tr, err := pointgan.New(testkit.Backend(t), gaussianConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(30, 0, 10, 30); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Sample(3000); err != nil { // 3 evaluation chunks, one padded
		t.Fatal(err)
	}
	for _, l := range []losses.Generator{losses.Minimax, losses.NonSaturating, losses.Minimax} {
		if _, _, err := tr.GeneratorGradNorm(l); err != nil {
			t.Fatal(err)
		}
	}
	builds := tr.Builds()
	for _, name := range []string{"d_step", "g_step", "generate", "discriminate", "grad_norm/0", "grad_norm/1"} {
		if builds[name] != 1 {
			t.Errorf("graph %q built %d times, want exactly 1 (all builds: %v)", name, builds[name], builds)
		}
	}
	if got := len(tr.History()); got != 30 {
		t.Errorf("history has %d records, want 30", got)
	}
	if got := len(tr.Snapshots()); got != 3 {
		t.Errorf("took %d snapshots, want 3", got)
	}
}

func TestSameSeedSameRun(t *testing.T) {
	b := testkit.Backend(t)
	var last [2]pointgan.Record
	for i := range last {
		tr, err := pointgan.New(b, gaussianConfig())
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Run(20); err != nil {
			t.Fatal(err)
		}
		last[i] = tr.History()[19]
	}
	if last[0] != last[1] {
		t.Errorf("two runs with the same seed differ: %+v vs %+v", last[0], last[1])
	}
}

func TestDivergingRunStopsWithError(t *testing.T) {
	cfg := gaussianConfig()
	cfg.DOptimizer = train.SGD(1e12)
	cfg.GOptimizer = train.SGD(1e12)
	tr, err := pointgan.New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	err = tr.Run(200)
	if err == nil {
		t.Fatalf("training with learning rate 1e12 did not fail; last record %+v", tr.History()[len(tr.History())-1])
	}
	if !errors.Is(err, train.ErrDiverged) {
		t.Errorf("error %q does not wrap train.ErrDiverged", err)
	}
	for _, want := range []string{"pointgan", "diverged", "iteration", "loss", "lower the learning rate"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if !errors.Is(tr.Err(), train.ErrDiverged) {
		t.Errorf("Err() = %v after divergence, want the divergence error", tr.Err())
	}
	if err2 := tr.Iterate(); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("after divergence Iterate returned %v, want the same error again", err2)
	}
	if _, err2 := tr.TrainD(1); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("after divergence TrainD returned %v, want the same error again", err2)
	}
	if len(tr.History()) >= 200 {
		t.Errorf("training went on after diverging: %d records", len(tr.History()))
	}
}

func TestInvalidConfig(t *testing.T) {
	cases := map[string]struct {
		edit func(*pointgan.Config)
		want string
	}{
		"k<1":            {func(c *pointgan.Config) { c.DSteps = 0 }, "DSteps"},
		"batch 0":        {func(c *pointgan.Config) { c.BatchSize = 0 }, "BatchSize"},
		"negative lr":    {func(c *pointgan.Config) { c.DOptimizer.LearningRate = -1e-3 }, "learning rate"},
		"zero G lr":      {func(c *pointgan.Config) { c.GOptimizer.LearningRate = 0 }, "GOptimizer"},
		"beta 1":         {func(c *pointgan.Config) { c.GOptimizer.Beta2 = 1 }, "betas"},
		"no target":      {func(c *pointgan.Config) { c.Target = nil }, "Target"},
		"wrong G dim":    {func(c *pointgan.Config) { c.Generator = nets.Generator(1, []int{4}, 2) }, "Generator produces 2"},
		"wrong D output": {func(c *pointgan.Config) { c.Discriminator = nets.MLP{In: 1, Out: 3} }, "1 logit"},
		"bad optimizer":  {func(c *pointgan.Config) { c.DOptimizer.Kind = "adagrad" }, "DOptimizer: bad optimizer setting: unknown optimizer"},
		"bad loss":       {func(c *pointgan.Config) { c.GeneratorLoss = 9 }, "unknown generator loss"},
		"bad hidden":     {func(c *pointgan.Config) { c.Generator = nets.Generator(1, []int{0}, 1) }, "hidden layer"},
	}
	b := testkit.Backend(t)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := gaussianConfig()
			tc.edit(&cfg)
			_, err := pointgan.New(b, cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New() error = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestFixedFakeTrainsOnlyD(t *testing.T) {
	cfg := gaussianConfig()
	cfg.Generator = nil
	cfg.Fake = target.Gaussian(-2, 0.5)
	tr, err := pointgan.New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := tr.TrainD(300)
	if err != nil {
		t.Fatal(err)
	}
	// Two well separated Gaussians: D must learn to tell them apart.
	if s.DReal < 0.9 || s.DFake > 0.1 {
		t.Errorf("after 300 steps D(real)=%.3f, D(fake)=%.3f; want > 0.9 and < 0.1", s.DReal, s.DFake)
	}
	if err := tr.Iterate(); err == nil || !strings.Contains(err.Error(), "no generator") {
		t.Errorf("Iterate with a fixed Fake: %v, want an error: there is no generator to train", err)
	}
	// That error is about the call, not the run: D can still train.
	if _, err := tr.TrainD(1); err != nil || tr.Err() != nil {
		t.Errorf("TrainD after Iterate with a fixed Fake: %v (Err %v), want no error", err, tr.Err())
	}
}

func TestGANLearnsGaussianMean(t *testing.T) {
	tr, err := pointgan.New(testkit.Backend(t), gaussianConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(1500); err != nil {
		t.Fatal(err)
	}
	xs, err := tr.Sample(4000)
	if err != nil {
		t.Fatal(err)
	}
	mean := 0.0
	for _, x := range xs {
		mean += float64(x)
	}
	mean /= float64(len(xs))
	if mean < 1.7 || mean > 2.3 {
		t.Errorf("generated mean %.3f after 1500 iterations, want within 0.3 of the target mean 2", mean)
	}
}

// The generator's per-sample gradient points where D is lower: for the non-saturating
// loss -log D(x), the gradient with respect to x is -(1-D)·∂logit/∂x, so stepping
// against it raises D. Check it against finite differences of the loss.
func TestSampleGradientsMatchFiniteDifferences(t *testing.T) {
	cfg := gaussianConfig()
	tr, err := pointgan.New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(50); err != nil {
		t.Fatal(err)
	}
	xs := []float32{-1, 0.5, 1.7, 2.2, 3}
	grads, err := tr.SampleGradients(xs)
	if err != nil {
		t.Fatal(err)
	}
	const h = 1e-2
	for i, x := range xs {
		d, err := tr.Discriminate([]float32{x - h, x + h})
		if err != nil {
			t.Fatal(err)
		}
		// loss = -log D for the non-saturating generator loss.
		fd := (-math.Log(d[1]) + math.Log(d[0])) / (2 * h)
		if math.Abs(fd-float64(grads[i])) > 1e-2*max(1, math.Abs(fd)) {
			t.Errorf("at x=%g: gradient %g, finite difference %g", x, grads[i], fd)
		}
	}
	if tr.Builds()["sample_gradients"] != 1 {
		t.Errorf("sample_gradients built %d times", tr.Builds()["sample_gradients"])
	}
}

// Sampling in the middle of training must not change the run.
func TestSampleDoesNotPerturbTraining(t *testing.T) {
	b := testkit.Backend(t)
	run := func(sampleMidway bool) pointgan.Record {
		tr, err := pointgan.New(b, gaussianConfig())
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Run(10); err != nil {
			t.Fatal(err)
		}
		if sampleMidway {
			if _, err := tr.Sample(500); err != nil {
				t.Fatal(err)
			}
		}
		if err := tr.Run(10); err != nil {
			t.Fatal(err)
		}
		return tr.History()[19]
	}
	if a, b := run(false), run(true); a != b {
		t.Errorf("sampling midway changed training: %+v vs %+v", a, b)
	}
}

// weights returns the trainable weights of one network, flat, in the store's order.
func weights(tr *pointgan.Trainer, network string) []float32 {
	var w []float32
	for v := range tr.Store().RootScope().At("%s", network).IterVariables() {
		if v.Trainable {
			w = append(w, tensors.MustCopyFlatData[float32](v.MustValue())...)
		}
	}
	return w
}

// SetLearningRate changes the rate of the compiled step: a rate of 1e-30 freezes D (its
// Adam updates vanish below float32's resolution) while G keeps training.
func TestSetLearningRate(t *testing.T) {
	tr, err := pointgan.New(testkit.Backend(t), gaussianConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(3); err != nil {
		t.Fatal(err)
	}
	if err := tr.SetLearningRate(pointgan.DiscriminatorScope, 1e-30); err != nil {
		t.Fatal(err)
	}
	d, g := weights(tr, pointgan.DiscriminatorScope), weights(tr, pointgan.GeneratorScope)
	if err := tr.Run(3); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d, weights(tr, pointgan.DiscriminatorScope)) {
		t.Error("D's weights changed at learning rate 1e-30")
	}
	if slices.Equal(g, weights(tr, pointgan.GeneratorScope)) {
		t.Error("G's weights did not change: its learning rate was not D's to change")
	}
	if tr.ItersPerSecond() <= 0 {
		t.Errorf("ItersPerSecond() = %g after 6 iterations, want > 0", tr.ItersPerSecond())
	}
	for _, tc := range []struct {
		network string
		lr      float64
		want    string
	}{
		{"critic", 1e-3, `unknown network "critic"`},
		{pointgan.GeneratorScope, -1, "learning rate must be positive"},
	} {
		err := tr.SetLearningRate(tc.network, tc.lr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("SetLearningRate(%q, %g) = %v, want an error mentioning %q", tc.network, tc.lr, err, tc.want)
		}
	}
	if err := tr.SetLearningRate(pointgan.GeneratorScope, -1); !errors.Is(err, train.ErrBadOptimizer) {
		t.Errorf("SetLearningRate with a negative rate: %v, want train.ErrBadOptimizer", err)
	}
}
