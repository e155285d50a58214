package experiments_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
)

// runs builds Runs on the ring from (captured, high-quality fraction) pairs, one per seed.
func runs(method string, seeds []uint64, captured []int, hq []float64) experiments.Runs {
	r := experiments.Runs{Method: method, Target: "ring of 8", Seeds: seeds}
	for i := range captured {
		r.Reports = append(r.Reports, metrics.ModeReport{Captured: captured[i], Modes: 8, HighQualityFraction: hq[i]})
	}
	return r
}

func TestCheckRecovers(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	gan := runs("GAN", seeds, []int{1, 2, 1}, []float64{0.002, 0.009, 0.004})
	for _, tc := range []struct {
		name   string
		remedy experiments.Runs
		err    string // "" for no error
	}{
		{"recovers", runs("WGAN-GP", seeds, []int{8, 8, 8}, []float64{0.2, 0.1, 0.05}), ""},
		{"misses a mode", runs("WGAN-GP", seeds, []int{8, 7, 8}, []float64{0.2, 0.1, 0.05}), "seed 2: WGAN-GP captured 7 of 8"},
		{"blurrier", runs("WGAN-GP", seeds, []int{8, 8, 8}, []float64{0.2, 0.1, 0.004}), "seed 3: WGAN-GP has 0.4%"},
		{"other seeds", runs("WGAN-GP", []uint64{1, 2, 4}, []int{8, 8, 8}, []float64{0.2, 0.1, 0.05}), "different seeds"},
		{"fewer runs", runs("WGAN-GP", seeds[:2], []int{8, 8}, []float64{0.2, 0.1}), "one report per seed"},
	} {
		err := experiments.CheckRecovers(gan, tc.remedy)
		if tc.err == "" && err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.err)
		}
		// Runs that cannot be compared are a wrong call, not a failed claim.
		if claim := tc.err != "" && !strings.Contains(tc.err, "seeds") && !strings.Contains(tc.err, "per seed"); errors.Is(err, experiments.ErrClaim) != claim {
			t.Errorf("%s: errors.Is(%v, ErrClaim) = %t, want %t", tc.name, err, !claim, claim)
		}
	}
}

func TestCheckFewerModes(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	gan := runs("GAN", seeds, []int{18, 19, 20}, []float64{0.01, 0.01, 0.01})
	other := runs("WGAN-GP", seeds, []int{21, 22, 22}, []float64{0.01, 0.01, 0.01})
	if err := experiments.CheckFewerModes(gan, other, 2); err != nil {
		t.Errorf("margin 2: %v", err)
	}
	if err := experiments.CheckFewerModes(gan, other, 3); !errors.Is(err, experiments.ErrClaim) || !strings.Contains(err.Error(), "seed 3: GAN captured 20") {
		t.Errorf("margin 3: error %v, want one about seed 3", err)
	}
	grid := other
	grid.Target = "grid of 25"
	if err := experiments.CheckFewerModes(gan, grid, 1); err == nil || errors.Is(err, experiments.ErrClaim) || !strings.Contains(err.Error(), "grid of 25") {
		t.Errorf("different targets: error %v", err)
	}
}

func TestCollapseMethodsBuild(t *testing.T) {
	b := testBackend(t)
	ring := target.Ring(8, 2, 0.02)
	var names []string
	for _, m := range experiments.CollapseMethods() {
		names = append(names, m.Name)
		cfg := m.Config(ring, 1)
		if err := cfg.Validate(); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
		if m.Iterations < 1 {
			t.Errorf("%s: %d iterations", m.Name, m.Iterations)
		}
		got, err := experiments.MethodByName(m.Name)
		if err != nil || got.Name != m.Name {
			t.Errorf("MethodByName(%q) = %q, %v", m.Name, got.Name, err)
		}
	}
	if !slices.Equal(names, []string{"GAN", "Unrolled GAN (k = 5)", "PacGAN4", "WGAN-GP"}) {
		t.Errorf("methods %v", names)
	}
	if _, err := experiments.MethodByName("VEEGAN"); !errors.Is(err, experiments.ErrUnknownMethod) || !strings.Contains(err.Error(), `"PacGAN4"`) {
		t.Errorf("unknown method: error %v", err)
	}
	// The remedies differ from the GAN in their remedy only.
	gan, unrolled, packed := experiments.CollapseGAN(ring, 1), experiments.UnrolledGAN(ring, 1), experiments.PackedGAN(ring, 1)
	if unrolled.Unroll != 5 || packed.Pack != 4 || packed.Discriminator.InDim() != 8 || gan.Unroll != 0 || gan.Pack != 0 {
		t.Errorf("unroll %d, pack %d with D input %d; GAN unroll %d pack %d", unrolled.Unroll, packed.Pack, packed.Discriminator.InDim(), gan.Unroll, gan.Pack)
	}
	if unrolled.GOptimizer != gan.GOptimizer || packed.BatchSize != gan.BatchSize || packed.Generator.InDim() != gan.Generator.InDim() {
		t.Errorf("remedies changed more than the remedy")
	}

	// Track's checkpoints are scored by pointgan.ScoreModes (tested there); training
	// changes the score.
	tr, err := pointgan.New(b, gan)
	if err != nil {
		t.Fatal(err)
	}
	first, err := pointgan.ScoreModes(tr, ring, 500)
	if err != nil {
		t.Fatal(err)
	}
	cps, err := experiments.Track(tr, ring, 20, 10, ring.Sample(target.NewRand(9), 50), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cps) != 2 || cps[0].Iteration != 10 || cps[1].Iteration != 20 || cps[1].View == nil || len(cps[1].View.Real) != 100 {
		t.Fatalf("checkpoints: %d", len(cps))
	}
	if slices.Equal(cps[1].Report.Nearest, first.Nearest) && cps[1].Report.HighQuality == first.HighQuality {
		t.Errorf("20 iterations did not change the score")
	}
	if _, err := experiments.Track(tr, ring, 30, 0, nil, nil); err == nil {
		t.Error("Track every 0: no error")
	}
}

// Sweep's results do not depend on how many runs train at once, and only the first
// seed's checkpoints carry views.
func TestSweep(t *testing.T) {
	b := testBackend(t)
	ring := target.Ring(8, 2, 0.02)
	var methods []experiments.Method
	for _, name := range []string{"GAN", "PacGAN4"} {
		m, err := experiments.MethodByName(name)
		if err != nil {
			t.Fatal(err)
		}
		m.Iterations = 20
		methods = append(methods, m)
	}
	opt := experiments.SweepOptions{Seeds: []uint64{1, 2}, Every: 10, Real: ring.Sample(target.NewRand(9), 50), Workers: 1}
	one, err := experiments.Sweep(b, ring, methods, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Workers = 3
	three, err := experiments.Sweep(b, ring, methods, opt)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range three {
		if r.Method != methods[i].Name || len(r.Reports) != 2 || len(r.Checkpoints) != 2 || len(r.Checkpoints[1]) != 2 {
			t.Fatalf("runs %d: %+v", i, r)
		}
		if r.Checkpoints[0][1].View == nil || r.Checkpoints[1][1].View != nil {
			t.Errorf("%s: views on seed 1: %v, on seed 2: %v; want only on seed 1", r.Method, r.Checkpoints[0][1].View != nil, r.Checkpoints[1][1].View != nil)
		}
		for s := range 2 {
			if !slices.Equal(r.Reports[s].Nearest, one[i].Reports[s].Nearest) || r.Reports[s].HighQuality != one[i].Reports[s].HighQuality {
				t.Errorf("%s seed %d: 3 workers gave %v, 1 worker %v", r.Method, s+1, r.Reports[s].Nearest, one[i].Reports[s].Nearest)
			}
			if !slices.Equal(r.Reports[s].Nearest, r.Checkpoints[s][1].Report.Nearest) {
				t.Errorf("%s seed %d: final report is not the last checkpoint's", r.Method, s+1)
			}
		}
	}
	gan := three[0]
	at10, err := gan.At(10)
	if err != nil {
		t.Fatal(err)
	}
	for s := range 2 {
		if !slices.Equal(at10.Reports[s].Nearest, gan.Checkpoints[s][0].Report.Nearest) {
			t.Errorf("At(10), seed %d: not the checkpoint at 10", s+1)
		}
	}
	if _, err := gan.At(15); !errors.Is(err, experiments.ErrNoCheckpoint) || !strings.Contains(err.Error(), "seed 1: no checkpoint at iteration 15") {
		t.Errorf("At(15): error %v", err)
	}
	if v := gan.Views(); len(v) != 2 || v[1].Iteration != 20 {
		t.Errorf("Views: %d views", len(v))
	}
	its, modes := gan.ModesCurve()
	wantModes := float64(gan.Checkpoints[0][1].Report.Captured+gan.Checkpoints[1][1].Report.Captured) / 2
	if !slices.Equal(its, []float64{10, 20}) || modes[1] != wantModes {
		t.Errorf("ModesCurve = %v, %v; want [10 20] and %g at 20", its, modes, wantModes)
	}
	if row := gan.Row(); len(row) != len(experiments.RowHeaders) || row[0] != "GAN" || !strings.Contains(row[1], " ± ") {
		t.Errorf("Row() = %q", row)
	}
	if slices.Equal(three[0].Reports[0].Nearest, three[0].Reports[1].Nearest) {
		t.Errorf("seeds 1 and 2 gave the same samples: %v", three[0].Reports[0].Nearest)
	}
	if _, err := experiments.Sweep(b, ring, methods, experiments.SweepOptions{}); err == nil {
		t.Error("Sweep with no seeds: no error")
	}
	bad := methods[0]
	bad.Config = func(data target.Distribution, seed uint64) pointgan.Config {
		cfg := experiments.CollapseGAN(data, seed)
		cfg.Pack = -1
		return cfg
	}
	_, err = experiments.Sweep(b, ring, []experiments.Method{bad}, experiments.SweepOptions{Seeds: []uint64{1}})
	if re := (*pointgan.RunError)(nil); !errors.As(err, &re) || re.Run != "GAN on ring of 8, seed 1" {
		t.Errorf("Sweep with a bad config: error %v, want a *RunError for GAN on ring of 8, seed 1", err)
	}
}
