package vae

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

func testSet(t *testing.T) *mnist.Set { return testkit.Set(t, "mnist") }

// tiny is a configuration small enough to train for a hundred steps in a few seconds.
func tiny(t *testing.T, conditional bool) Config {
	return Config{Set: testSet(t), Conditional: conditional, Latent: 4, Width: 8, EncoderWidth: 4, BatchSize: 16, Seed: 2}
}

func newTrainer(t *testing.T, cfg Config) *Trainer {
	t.Helper()
	tr, err := New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestKLStandardNormal checks the closed form against a Monte Carlo estimate of
// E_q[log q(z) − log p(z)] with 200,000 samples, within 4 standard errors.
func TestKLStandardNormal(t *testing.T) {
	mu := []float64{0.5, -1.2, 0}
	logVar := []float64{-0.7, 0.4, 0}
	want, err := KLStandardNormal(mu, logVar)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	const n = 200000
	var sum, sum2 float64
	for range n {
		v := 0.0
		for j := range mu {
			sd := math.Exp(logVar[j] / 2)
			eps := rng.NormFloat64()
			z := mu[j] + sd*eps
			// log q − log p; the 2π terms cancel.
			v += -0.5*eps*eps - math.Log(sd) + 0.5*z*z
		}
		sum += v
		sum2 += v * v
	}
	mean := sum / n
	se := math.Sqrt((sum2/n - mean*mean) / n)
	if math.Abs(mean-want) > 4*se {
		t.Errorf("closed-form KL %.5f, Monte Carlo %.5f ± %.5f", want, mean, se)
	}
	if kl, _ := KLStandardNormal([]float64{0, 0}, []float64{0, 0}); kl != 0 {
		t.Errorf("KL(N(0, I) ‖ N(0, I)) = %g; want 0", kl)
	}
	if _, err := KLStandardNormal([]float64{0}, nil); err == nil || !strings.Contains(err.Error(), "1 means but 0") {
		t.Errorf("mismatched lengths: got %v", err)
	}
}

// TestLossTerms checks the graph's reconstruction and KL terms against host computations
// on random values: the batch mean of KLStandardNormal, and the Bernoulli negative
// log-likelihood −Σ [t log s + (1−t) log(1−s)] with s = sigmoid(logit), t = (x+1)/2.
func TestLossTerms(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const n, m, px = 3, 4, 5
	rnd := func(k int, scale float64) []float32 {
		v := make([]float32, k)
		for i := range v {
			v[i] = float32(scale * rng.NormFloat64())
		}
		return v
	}
	logits, mu, logVar := rnd(n*px, 3), rnd(n*m, 1), rnd(n*m, 0.5)
	x := make([]float32, n*px)
	for i := range x {
		x[i] = float32(2*rng.Float64() - 1)
	}
	out := graph.MustExecOnceN(testkit.Backend(t), func(l, xx, mm, lv *graph.Node) []*graph.Node {
		rec, kl := LossTerms(l, xx, mm, lv)
		return []*graph.Node{rec, kl}
	}, tensors.FromFlatDataAndDimensions(logits, n, px), tensors.FromFlatDataAndDimensions(x, n, px),
		tensors.FromFlatDataAndDimensions(mu, n, m), tensors.FromFlatDataAndDimensions(logVar, n, m))
	var wantRec, wantKL float64
	for i := range n {
		for p := range px {
			l, tt := float64(logits[i*px+p]), (float64(x[i*px+p])+1)/2
			s := 1 / (1 + math.Exp(-l))
			wantRec -= (tt*math.Log(s) + (1-tt)*math.Log(1-s)) / n
		}
		mu64, lv64 := make([]float64, m), make([]float64, m)
		for j := range m {
			mu64[j], lv64[j] = float64(mu[i*m+j]), float64(logVar[i*m+j])
		}
		kl, _ := KLStandardNormal(mu64, lv64)
		wantKL += kl / n
	}
	gotRec, gotKL := train.Scalar(out[0]), train.Scalar(out[1])
	if math.Abs(gotRec-wantRec) > 1e-4*wantRec || math.Abs(gotKL-wantKL) > 1e-4*wantKL {
		t.Errorf("graph terms (%g, %g), host (%g, %g)", gotRec, gotKL, wantRec, wantKL)
	}
}

// TestELBOImproves trains a tiny VAE and a tiny CVAE for 150 steps: the mean negative
// ELBO of the last 20 steps is below 75% of the first 20's (about 0.45 with these settings), and
// the KL term, 0 for an encoder that ignores its input, has become positive: z carries
// information about x.
func TestELBOImproves(t *testing.T) {
	for _, cond := range []bool{false, true} {
		tr := newTrainer(t, tiny(t, cond))
		if err := tr.Run(150); err != nil {
			t.Fatal(err)
		}
		h := tr.History()
		mean := func(rs []Record, f func(Record) float64) float64 {
			s := 0.0
			for _, r := range rs {
				s += f(r)
			}
			return s / float64(len(rs))
		}
		loss := func(r Record) float64 { return -r.ELBO() }
		first, last := mean(h[:20], loss), mean(h[len(h)-20:], loss)
		t.Logf("conditional=%v: -ELBO %.1f -> %.1f (ratio %.2f), KL %.2f, %.0f it/s", cond, first, last, last/first, mean(h[len(h)-20:], func(r Record) float64 { return r.KL }), tr.ItersPerSecond())
		if !(last < 0.75*first) {
			t.Errorf("conditional=%v: -ELBO went from %.1f to %.1f, not below 75%%", cond, first, last)
		}
		if kl := mean(h[len(h)-20:], func(r Record) float64 { return r.KL }); !(kl > 0.5) {
			t.Errorf("conditional=%v: KL %.3f: the code carries no information", cond, kl)
		}
	}
}

// TestSampleAndReconstruct checks shapes, ranges, determinism and the CVAE's label.
func TestSampleAndReconstruct(t *testing.T) {
	tr := newTrainer(t, tiny(t, true))
	if err := tr.Run(3); err != nil {
		t.Fatal(err)
	}
	z := tr.PriorNoise(300) // more than one chunk
	labels := make([]int, 300)
	for i := range labels {
		labels[i] = i % 10
	}
	a, err := tr.Sample(z, labels)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 300*mnist.Pixels {
		t.Fatalf("%d values; want %d", len(a), 300*mnist.Pixels)
	}
	for _, v := range a {
		if !(v >= -1 && v <= 1) {
			t.Fatalf("pixel %v outside [-1, 1]", v)
		}
	}
	for i := range labels {
		labels[i] = (i + 3) % 10
	}
	b, _ := tr.Sample(z, labels)
	diff := 0.0
	for i := range a {
		diff = math.Max(diff, math.Abs(float64(a[i]-b[i])))
	}
	if diff < 1e-4 {
		t.Errorf("other labels give the same images (within %g): the decoder ignores y", diff)
	}
	real := tr.Config().Set.Float32(-1, 1)[:5*mnist.Pixels]
	rec, err := tr.Reconstruct(real, []int{0, 1, 2, 3, 4})
	if err != nil || len(rec) != 5*mnist.Pixels {
		t.Fatalf("Reconstruct: %d values, %v", len(rec), err)
	}
	for _, c := range []struct {
		z      []float32
		labels []int
		msg    string
	}{
		{z[:5], nil, "not a positive whole number"},
		{z[:8], []int{0}, "1 labels for 2 images"},
		{z[:4], []int{10}, "outside [0, 10)"},
	} {
		if _, err := tr.Sample(c.z, c.labels); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Sample(%d values, %v): got %v; want %q", len(c.z), c.labels, err, c.msg)
		}
	}
	plain := newTrainer(t, tiny(t, false))
	if _, err := plain.Sample(z[:4], []int{1}); err == nil || !strings.Contains(err.Error(), "unconditional") {
		t.Errorf("labels to a VAE: got %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	a, b := newTrainer(t, tiny(t, false)), newTrainer(t, tiny(t, false))
	if err := a.Run(3); err != nil {
		t.Fatal(err)
	}
	if err := b.Run(3); err != nil {
		t.Fatal(err)
	}
	for i := range a.History() {
		if a.History()[i] != b.History()[i] {
			t.Fatalf("step %d: %+v vs %+v", i, a.History()[i], b.History()[i])
		}
	}
}

func TestValidate(t *testing.T) {
	s := testSet(t)
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "Set (the training images) is required"},
		{Config{Set: s, Latent: -1}, "Latent"},
		{Config{Set: s, Width: 1}, "Width"},
		{Config{Set: s, BatchSize: -2}, "BatchSize"},
		{Config{Set: s, Optimizer: train.Adam(math.Inf(1), 0.9, 0.999)}, "Optimizer: bad optimizer setting: learning rate"},
		{Config{Set: s, Optimizer: train.Optimizer{Kind: "adagrad", LearningRate: 1e-3}}, "unknown optimizer"},
		{Config{Set: s, Beta: -1}, "Beta (the KL term's weight)"},
		{Config{Set: s, Beta: math.NaN()}, "Beta"},
		{Config{Set: s, Autoencoder: true, Beta: 1}, "Autoencoder does not train on"},
	} {
		_, err := New(testkit.Backend(t), c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v; want an error containing %q", c.cfg, err, c.want)
		}
	}
	if err := newTrainer(t, tiny(t, false)).Run(-1); err == nil {
		t.Error("Run(-1): want an error")
	}
}

// TestDivergence checks that an absurd learning rate stops training with a clear error.
func TestDivergence(t *testing.T) {
	cfg := tiny(t, false)
	cfg.Optimizer = train.Adam(1e6, 0.9, 0.999)
	tr := newTrainer(t, cfg)
	err := tr.Run(100)
	if !errors.Is(err, train.ErrDiverged) {
		t.Fatalf("learning rate 1e6: got %v; want a divergence error (train.ErrDiverged)", err)
	}
	for _, want := range []string{"vae:", "iteration", "the loss", "lower the learning rate"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if tr.Iterate() != err {
		t.Error("Iterate after divergence does not return the same error")
	}
}

// TestAutoencoder trains the tiny networks as a plain auto-encoder: the reconstruction term
// falls (it is the whole loss), the KL term is reported but not trained on, so it stays far
// above the VAE's (the codes drift away from N(0, I)), and the loss equals the
// reconstruction term.
func TestAutoencoder(t *testing.T) {
	cfg := tiny(t, false)
	cfg.Autoencoder = true
	ae := newTrainer(t, cfg)
	vae := newTrainer(t, tiny(t, false))
	for _, tr := range []*Trainer{ae, vae} {
		if err := tr.Run(150); err != nil {
			t.Fatal(err)
		}
	}
	mean := func(rs []Record, f func(Record) float64) float64 {
		s := 0.0
		for _, r := range rs {
			s += f(r)
		}
		return s / float64(len(rs))
	}
	h, hv := ae.History(), vae.History()
	rec := func(r Record) float64 { return r.Reconstruction }
	kl := func(r Record) float64 { return r.KL }
	first, last := mean(h[:20], rec), mean(h[len(h)-20:], rec)
	aeKL, vaeKL := mean(h[len(h)-20:], kl), mean(hv[len(hv)-20:], kl)
	t.Logf("auto-encoder: reconstruction %.1f -> %.1f, KL %.1f (VAE's %.1f)", first, last, aeKL, vaeKL)
	if !(last < 0.75*first) {
		t.Errorf("auto-encoder's reconstruction went from %.1f to %.1f, not below 75%%", first, last)
	}
	if !(aeKL > 2*vaeKL) {
		t.Errorf("auto-encoder's KL %.2f, VAE's %.2f: want the untrained KL at least twice the VAE's", aeKL, vaeKL)
	}
	for _, r := range h {
		if r.Loss != r.Reconstruction {
			t.Fatalf("iteration %d: loss %v, reconstruction %v: want the loss to be the reconstruction", r.Iteration, r.Loss, r.Reconstruction)
		}
	}
}

// TestSnapshots checks that Run takes a snapshot before training and after the steps
// asked for, once per iteration, and that a snapshot decodes the first SnapshotImages
// prior vectors with the labels 0, 1, 2, ...: the same images as Sample.
func TestSnapshots(t *testing.T) {
	tr := newTrainer(t, tiny(t, true))
	if err := tr.Run(4, 0, 2, 4, 4); err != nil {
		t.Fatal(err)
	}
	snaps := tr.Snapshots()
	if len(snaps) != 3 || snaps[0].Iteration != 0 || snaps[1].Iteration != 2 || snaps[2].Iteration != 4 {
		t.Fatalf("snapshots at %v; want iterations 0, 2 and 4", snaps)
	}
	last := snaps[2]
	if len(last.Images) != SnapshotImages*mnist.Pixels || !slices.Equal(last.Labels, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Fatalf("snapshot of %d values with labels %v; want %d images labelled 0-9", len(last.Images), last.Labels, SnapshotImages)
	}
	want, err := tr.Sample(tr.PriorNoise(SnapshotImages), last.Labels)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(last.Images, want) {
		t.Error("the snapshot differs from Sample of the same prior noise and labels")
	}
	if slices.Equal(snaps[0].Images, last.Images) {
		t.Error("the images did not change in 4 steps")
	}
	if got := newTrainer(t, tiny(t, false)); got.Run(2) != nil || len(got.Snapshots()) != 0 {
		t.Errorf("Run without snapshotAt took %d snapshots (err %v); want none", len(got.Snapshots()), got.Err())
	}
}
