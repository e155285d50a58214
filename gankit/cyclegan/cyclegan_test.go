package cyclegan

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/train"
)

func testSet(t *testing.T) *mnist.Set { return testkit.Set(t, "mnist-test") }

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func TestThinThick(t *testing.T) {
	set := testSet(t)
	d, err := ThinThick(set)
	if err != nil {
		t.Fatal(err)
	}
	if d.NA()+d.NB() != set.N || d.NA() != (set.N+1)/2 || len(d.LabelsA) != d.NA() || len(d.LabelsB) != d.NB() {
		t.Fatalf("A %d, B %d images of %d; labels %d, %d", d.NA(), d.NB(), set.N, len(d.LabelsA), len(d.LabelsB))
	}
	all := set.Float32(-1, 1)
	// A is the even images unchanged, B the odd ones thickened.
	for k := range mnist.Pixels {
		if d.A[mnist.Pixels+k] != all[2*mnist.Pixels+k] {
			t.Fatal("A's second image is not the set's third")
		}
	}
	b1 := Thicken(all[3*mnist.Pixels : 4*mnist.Pixels])
	for k := range mnist.Pixels {
		if d.B[mnist.Pixels+k] != b1[k] {
			t.Fatal("B's second image is not the set's fourth, thickened")
		}
	}
	// Thickening adds ink: B's mean ink fraction is well above A's.
	inkA, inkB := mean(InkFraction(d.A)), mean(InkFraction(d.B))
	t.Logf("ink fraction: A %.3f, B %.3f", inkA, inkB)
	if !(inkB > 1.5*inkA) {
		t.Errorf("ink fraction A %.3f, B %.3f: want B well above A", inkA, inkB)
	}
	if _, err := ThinThick(nil); err == nil {
		t.Error("nil set: want an error")
	}
}

func TestThicken(t *testing.T) {
	img := make([]float32, mnist.Pixels)
	for i := range img {
		img[i] = -1
	}
	img[5*mnist.Side+5] = 0.5
	out := Thicken(img)
	for r := range mnist.Side {
		for c := range mnist.Side {
			want := float32(-1)
			if r >= 4 && r <= 6 && c >= 4 && c <= 6 {
				want = 0.5
			}
			if out[r*mnist.Side+c] != want {
				t.Fatalf("pixel (%d, %d) = %v; want %v", r, c, out[r*mnist.Side+c], want)
			}
		}
	}
}

func TestNewDomains(t *testing.T) {
	img := make([]float32, mnist.Pixels)
	bad := append([]float32{}, img...)
	bad[3] = -2
	if d, err := NewDomains("a", img, nil, "b", append(img, img...), nil); err != nil || d.NA() != 1 || d.NB() != 2 {
		t.Fatalf("unpaired counts 1 and 2: %v, %v", d, err)
	}
	for _, c := range []struct {
		a, b []float32
		la   []uint8
		want string
	}{
		{nil, img, nil, `domain "a": 0 values`},
		{img, img[:10], nil, `domain "b": 10 values`},
		{img, img, []uint8{1, 2}, "2 labels for 1 images"},
		{bad, img, nil, "image 0 has value -2 at pixel 3"},
	} {
		if _, err := NewDomains("a", c.a, c.la, "b", c.b, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v; want an error containing %q", err, c.want)
		}
	}
}

func tiny(t *testing.T) Config {
	d, err := ThinThick(testSet(t))
	if err != nil {
		t.Fatal(err)
	}
	adam := train.Adam(1e-3, 0.5, 0.999)
	return Config{Domains: d, Width: 4, DWidth: 4, BatchSize: 8, GOptimizer: adam, DOptimizer: adam, Seed: 3}
}

func TestValidate(t *testing.T) {
	good := tiny(t)
	for _, c := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Domains = nil }, "Domains (the two unpaired sets) are required"},
		{func(c *Config) { c.Lambda = -10 }, "Lambda (the cycle loss's weight) must be positive"},
		{func(c *Config) { c.Lambda = math.NaN() }, "Lambda"},
		{func(c *Config) { c.Identity = -0.5 }, "Identity"},
		{func(c *Config) { c.Identity = math.Inf(1) }, "Identity"},
		{func(c *Config) { c.BatchSize = -1 }, "BatchSize"},
		{func(c *Config) { c.GOptimizer.LearningRate = math.Inf(1) }, "GOptimizer: bad optimizer setting: learning rate"},
		{func(c *Config) { c.DOptimizer.Beta2 = 1 }, "DOptimizer: bad optimizer setting: adam betas"},
		{func(c *Config) { c.SnapshotSamples = -2 }, "SnapshotSamples"},
	} {
		cfg := good
		c.edit(&cfg)
		if _, err := New(testkit.Backend(t), cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v; want an error containing %q", err, c.want)
		}
	}
	if got := (Config{}).WithDefaults(); got.GOptimizer != train.Adam(2e-4, 0.5, 0.999) || got.DOptimizer != got.GOptimizer ||
		got.SnapshotSamples != 10 || got.Lambda != 10 || got.Identity != 0 {
		t.Errorf("defaults %+v; want the paper's Adam (2e-4, 0.5, 0.999) for both, 10 snapshot samples, λ 10, no identity term", got)
	}
}

// TestCycleLossFalls trains a tiny CycleGAN (with the identity term) for 60 iterations:
// the cycle loss of the last 10 is below 70% of the first 10's, and Cycle's reconstructions
// have the shape of their inputs.
func TestCycleLossFalls(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a CycleGAN for 60 iterations")
	}
	cfg := tiny(t)
	cfg.Identity = 0.5
	tr, err := New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(60); err != nil {
		t.Fatal(err)
	}
	h := tr.History()
	var first, last []float64
	for i, r := range h {
		if i < 10 {
			first = append(first, r.Cycle)
		} else if i >= 50 {
			last = append(last, r.Cycle)
		}
		if !(r.Identity > 0) || !(r.DA > 0) || !(r.DB > 0) {
			t.Fatalf("iteration %d: %+v: want positive identity and D losses", i+1, r)
		}
	}
	t.Logf("cycle loss %.3f -> %.3f, %.1f it/s", mean(first), mean(last), tr.ItersPerSecond())
	if !(mean(last) < 0.7*mean(first)) {
		t.Errorf("cycle loss %.3f -> %.3f: not below 70%%", mean(first), mean(last))
	}
	in := cfg.Domains.A[:3*mnist.Pixels]
	tr1, rec, err := tr.Cycle(AToB, in)
	if err != nil || len(tr1) != len(in) || len(rec) != len(in) {
		t.Fatalf("Cycle: %d, %d values, %v", len(tr1), len(rec), err)
	}
	if _, err := tr.Translate(Direction(2), in); err == nil || !strings.Contains(err.Error(), "unknown direction") {
		t.Errorf("direction 2: got %v", err)
	}
	if _, err := tr.Translate(AToB, in[:5]); err == nil {
		t.Error("partial image: want an error")
	}
}

func TestDivergence(t *testing.T) {
	cfg := tiny(t)
	cfg.GOptimizer.LearningRate, cfg.DOptimizer.LearningRate = 1e8, 1e8
	tr, err := New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	err = tr.Run(200)
	if !errors.Is(err, train.ErrDiverged) || !strings.Contains(err.Error(), "cyclegan: training diverged at iteration") ||
		!strings.Contains(err.Error(), "lower the learning rates") {
		t.Fatalf("learning rate 1e8: got %v; want a divergence error with advice", err)
	}
	if tr.Iterate() != err || tr.Err() != err {
		t.Error("after divergence, Iterate and Err do not return the same error")
	}
}

// TestSnapshots checks that Run takes one snapshot per listed iteration, each the
// translations of the first SnapshotSamples images of each domain as Translate gives
// them.
func TestSnapshots(t *testing.T) {
	cfg := tiny(t)
	cfg.SnapshotSamples = 2
	tr, err := New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(2, 2, 0, 2); err != nil {
		t.Fatal(err)
	}
	snaps := tr.Snapshots()
	if len(snaps) != 2 || snaps[0].Iteration != 0 || snaps[1].Iteration != 2 {
		t.Fatalf("%d snapshots; want iterations 0 and 2", len(snaps))
	}
	d, s := cfg.Domains, snaps[1]
	if len(s.A) != 2*mnist.Pixels || len(s.B) != 2*mnist.Pixels || &s.A[0] != &d.A[0] || &s.B[0] != &d.B[0] {
		t.Errorf("snapshot images are not the first 2 of each domain: %d and %d values", len(s.A), len(s.B))
	}
	for _, c := range []struct {
		dir       Direction
		in, trans []float32
	}{{AToB, s.A, s.AToB}, {BToA, s.B, s.BToA}} {
		want, err := tr.Translate(c.dir, c.in)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != len(c.trans) {
			t.Fatalf("direction %d: %d values, want %d", c.dir, len(c.trans), len(want))
		}
		for i := range want {
			if want[i] != c.trans[i] {
				t.Fatalf("direction %d: value %d is %v, Translate gives %v", c.dir, i, c.trans[i], want[i])
			}
		}
	}
}
