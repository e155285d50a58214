package pix2pix

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

func TestNewPairs(t *testing.T) {
	img := make([]float32, mnist.Pixels)
	two := make([]float32, 2*mnist.Pixels)
	if p, err := NewPairs("ok", two, two, []uint8{1, 2}); err != nil || p.N() != 2 {
		t.Fatalf("two pairs: %v, %v", p, err)
	}
	bad := append([]float32{}, img...)
	bad[5] = 1.5
	nan := append([]float32{}, img...)
	nan[7] = float32(math.NaN())
	for _, c := range []struct {
		name            string
		inputs, targets []float32
		labels          []uint8
		want            string
	}{
		{"counts", two, img, nil, "2 input images but 1 target images"},
		{"partial image", img[:100], img[:100], nil, "whole number of 28×28 images"},
		{"empty", nil, nil, nil, "no images"},
		{"labels", img, img, []uint8{1, 2}, "2 labels for 1 pairs"},
		{"range", bad, img, nil, "input image 0 has value 1.5 at pixel 5"},
		{"NaN", img, nan, nil, "target image 0 has value NaN at pixel 7"},
	} {
		if _, err := NewPairs(c.name, c.inputs, c.targets, c.labels); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v; want an error containing %q", c.name, err, c.want)
		}
	}
}

func TestMakePairs(t *testing.T) {
	set := testSet(t)
	in, err := MakePairs(set, Inpaint)
	if err != nil {
		t.Fatal(err)
	}
	if in.N() != set.N || len(in.Labels) != set.N || in.Name != "mnist-test/inpaint" {
		t.Fatalf("%d pairs, %d labels, name %q", in.N(), len(in.Labels), in.Name)
	}
	lo := (mnist.Side - InpaintSize) / 2
	for i := range 20 {
		for r := range mnist.Side {
			for c := range mnist.Side {
				k := i*mnist.Pixels + r*mnist.Side + c
				inside := r >= lo && r < lo+InpaintSize && c >= lo && c < lo+InpaintSize
				if inside && in.Inputs[k] != -1 || !inside && in.Inputs[k] != in.Targets[k] {
					t.Fatalf("image %d pixel (%d, %d): input %v, target %v", i, r, c, in.Inputs[k], in.Targets[k])
				}
			}
		}
	}
	out, err := MakePairs(set, Outline)
	if err != nil {
		t.Fatal(err)
	}
	kept, ink := 0, 0
	for k, v := range out.Inputs {
		if out.Targets[k] > 0 {
			ink++
		}
		if v > -1 {
			kept++
			if v != out.Targets[k] || out.Targets[k] <= 0 {
				t.Fatalf("pixel %d: outline %v, target %v: an outline pixel must be an ink pixel", k, v, out.Targets[k])
			}
		}
	}
	// The outline keeps some of the ink, not all (strokes are 2-3 pixels wide).
	if !(kept > ink/3 && kept < ink) {
		t.Errorf("outline keeps %d of %d ink pixels", kept, ink)
	}
	if _, err := MakePairs(set, "sketch"); err == nil || !strings.Contains(err.Error(), `unknown task "sketch"`) {
		t.Errorf("unknown task: got %v", err)
	}
	if _, err := MakePairs(nil, Inpaint); err == nil {
		t.Error("nil set: want an error")
	}
}

func tiny(t *testing.T, obj Objective) Config {
	pairs, err := MakePairs(testSet(t), Inpaint)
	if err != nil {
		t.Fatal(err)
	}
	adam := train.Adam(1e-3, 0.5, 0.999)
	return Config{Pairs: pairs, Objective: obj, Width: 4, DWidth: 4, BatchSize: 8, Seed: 5, GOptimizer: adam, DOptimizer: adam}
}

func TestValidate(t *testing.T) {
	good := tiny(t, CGANAndL1)
	for _, c := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Pairs = nil }, "Pairs (the training pairs) are required"},
		{func(c *Config) { c.Lambda = -1 }, "Lambda (the L1 term's weight) must be positive and finite"},
		{func(c *Config) { c.Lambda = math.Inf(1) }, "Lambda"},
		{func(c *Config) { c.Lambda = math.NaN() }, "Lambda"},
		{func(c *Config) { c.Objective, c.Lambda = L1Only, 10 }, "must be left at 0"},
		{func(c *Config) { c.Objective, c.Lambda = CGANOnly, 100 }, "must be left at 0"},
		{func(c *Config) { c.Objective = 7 }, "unknown Objective 7"},
		{func(c *Config) { c.Width = 1 }, "Width"},
		{func(c *Config) { c.GOptimizer.LearningRate = -1 }, "GOptimizer: bad optimizer setting: learning rate"},
		{func(c *Config) { c.DOptimizer = train.Optimizer{Kind: "adagrad", LearningRate: 1} }, `DOptimizer: bad optimizer setting: unknown optimizer "adagrad"`},
		{func(c *Config) { c.SnapshotSamples = -1 }, "SnapshotSamples"},
	} {
		cfg := good
		c.edit(&cfg)
		if _, err := New(testkit.Backend(t), cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v; want an error containing %q", err, c.want)
		}
	}
	if got := (Config{}).WithDefaults(); got.Lambda != 100 || got.GOptimizer != train.Adam(2e-4, 0.5, 0.999) ||
		got.DOptimizer != got.GOptimizer || got.SnapshotSamples != 10 {
		t.Errorf("defaults: Lambda %g, optimizers %+v and %+v, %d snapshot samples; want 100, the paper's Adam (2e-4, 0.5, 0.999) twice and 10",
			got.Lambda, got.GOptimizer, got.DOptimizer, got.SnapshotSamples)
	}
	if got := (Config{Objective: CGANOnly}).WithDefaults(); got.Lambda != 0 {
		t.Errorf("CGANOnly's Lambda defaults to %g; want 0", got.Lambda)
	}
}

// TestObjectives trains each objective for 60 iterations of a tiny model: an untrained G
// already nearly copies its input (the U-Net's additive outer skip), the objectives with
// the L1 term bring L1 down from there (mean of the last 10 below 90% of the first 10's;
// about 83% with these settings), D trains with the objectives that have a GAN term and stays out of
// L1Only.
func TestObjectives(t *testing.T) {
	mean := func(rs []Record, f func(Record) float64) float64 {
		s := 0.0
		for _, r := range rs {
			s += f(r)
		}
		return s / float64(len(rs))
	}
	l1 := func(r Record) float64 { return r.L1 }
	for _, obj := range []Objective{CGANAndL1, L1Only, CGANOnly} {
		tr, err := New(testkit.Backend(t), tiny(t, obj))
		if err != nil {
			t.Fatal(err)
		}
		in := tr.Config().Pairs.Inputs[:8*mnist.Pixels]
		if out, err := tr.Translate(in); err != nil {
			t.Fatal(err)
		} else if d, _ := L1(out, in); !(d < 0.2) {
			t.Errorf("%v: the untrained G is %.3f from its input per pixel; want < 0.2 (nearly a copy)", obj, d)
		}
		if err := tr.Run(60); err != nil {
			t.Fatal(err)
		}
		h := tr.History()
		first, last := mean(h[:10], l1), mean(h[50:], l1)
		t.Logf("%v: L1 %.3f -> %.3f, D loss %.3f, %.1f it/s", obj, first, last, mean(h[50:], func(r Record) float64 { return r.DLoss }), tr.ItersPerSecond())
		if obj != CGANOnly && !(last < 0.9*first) {
			t.Errorf("%v: L1 went from %.3f to %.3f, not below 90%%", obj, first, last)
		}
		dl := mean(h, func(r Record) float64 { return r.DLoss })
		if obj == L1Only && dl != 0 || obj != L1Only && !(dl > 0) {
			t.Errorf("%v: mean D loss %g", obj, dl)
		}
		out, err := tr.Translate(tr.Config().Pairs.Inputs[:2*mnist.Pixels])
		if err != nil || len(out) != 2*mnist.Pixels {
			t.Fatalf("%v: Translate: %d values, %v", obj, len(out), err)
		}
	}
}

func TestDeterministic(t *testing.T) {
	run := func() []Record {
		tr, err := New(testkit.Backend(t), tiny(t, CGANAndL1))
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Run(3); err != nil {
			t.Fatal(err)
		}
		return tr.History()
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("iteration %d: %+v vs %+v", i, a[i], b[i])
		}
	}
}

func TestDivergence(t *testing.T) {
	cfg := tiny(t, CGANAndL1)
	cfg.GOptimizer.LearningRate, cfg.DOptimizer.LearningRate = 1e8, 1e8
	tr, err := New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	err = tr.Run(200)
	if !errors.Is(err, train.ErrDiverged) || !strings.Contains(err.Error(), "pix2pix: training diverged at iteration") ||
		!strings.Contains(err.Error(), "lower the learning rates") {
		t.Fatalf("learning rate 1e8: got %v; want a divergence error with advice", err)
	}
	if len(tr.History()) != tr.Iteration() || tr.Err() != err {
		t.Errorf("after divergence: %d records, %d iterations, Err %v", len(tr.History()), tr.Iteration(), tr.Err())
	}
	if tr.Iterate() != err {
		t.Error("Iterate after divergence does not return the same error")
	}
}

// TestSnapshots checks that Run takes one snapshot per listed iteration, each the
// translations of the first SnapshotSamples pairs as Translate gives them.
func TestSnapshots(t *testing.T) {
	cfg := tiny(t, CGANAndL1)
	cfg.SnapshotSamples = 3
	tr, err := New(testkit.Backend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(2, 0, 2, 2, 5); err != nil {
		t.Fatal(err)
	}
	snaps := tr.Snapshots()
	if len(snaps) != 2 || snaps[0].Iteration != 0 || snaps[1].Iteration != 2 {
		t.Fatalf("%d snapshots %+v; want iterations 0 and 2", len(snaps), snaps)
	}
	p := cfg.Pairs
	want, err := tr.Translate(p.Inputs[:3*mnist.Pixels])
	if err != nil {
		t.Fatal(err)
	}
	s := snaps[1]
	if len(s.Inputs) != 3*mnist.Pixels || &s.Inputs[0] != &p.Inputs[0] || &s.Targets[0] != &p.Targets[0] || len(s.Targets) != len(s.Inputs) {
		t.Errorf("snapshot inputs and targets are not the first 3 pairs: %d and %d values", len(s.Inputs), len(s.Targets))
	}
	if d := maxAbsDiff(s.Outputs, want); d != 0 {
		t.Errorf("snapshot outputs differ from Translate's by %g", d)
	}
	if d := maxAbsDiff(snaps[0].Outputs, s.Outputs); !(d > 0) {
		t.Error("the snapshots before and after training are the same: G did not change")
	}
	if err := tr.Run(-1); !errors.Is(err, train.ErrNegative) {
		t.Errorf("Run(-1): %v; want train.ErrNegative", err)
	}
}

func maxAbsDiff(a, b []float32) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var m float64
	for i := range a {
		m = max(m, math.Abs(float64(a[i]-b[i])))
	}
	return m
}

func TestL1(t *testing.T) {
	if v, err := L1([]float32{1, -1}, []float32{0, 0}); err != nil || v != 1 {
		t.Errorf("L1 = %v, %v; want 1", v, err)
	}
	if _, err := L1([]float32{1}, nil); err == nil {
		t.Error("different sizes: want an error")
	}
}

func TestHole(t *testing.T) {
	img := make([]float32, 2*mnist.Pixels)
	for i := range img {
		img[i] = float32(i%mnist.Pixels) / mnist.Pixels // pixel index, scaled
	}
	img[mnist.Pixels] = -1 // the second image differs outside the hole only
	h, err := Hole(img)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2*InpaintSize*InpaintSize {
		t.Fatalf("Hole gave %d values, want %d", len(h), 2*InpaintSize*InpaintSize)
	}
	lo := (mnist.Side - InpaintSize) / 2
	for k := range 2 {
		for r := range InpaintSize {
			for c := range InpaintSize {
				want := float32((lo+r)*mnist.Side+lo+c) / mnist.Pixels
				if got := h[k*InpaintSize*InpaintSize+r*InpaintSize+c]; got != want {
					t.Fatalf("image %d, hole pixel (%d, %d) = %v, want %v", k, r, c, got, want)
				}
			}
		}
	}
	// The hole is exactly what Inpaint blacks out.
	set := testSet(t)
	pairs, err := MakePairs(set, Inpaint)
	if err != nil {
		t.Fatal(err)
	}
	in, _ := Hole(pairs.Inputs[:mnist.Pixels])
	for i, v := range in {
		if v != -1 {
			t.Fatalf("masked input's hole pixel %d = %v, want -1", i, v)
		}
	}
	if _, err := Hole(img[:100]); err == nil {
		t.Error("Hole of a partial image: no error")
	}
}
