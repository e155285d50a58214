package experiments_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/target"
)

// stab builds a row of Stabilisers' results on the ring from modes captured per seed.
func stab(method string, captured ...int) experiments.StabiliserRuns {
	hq := make([]float64, len(captured))
	r := runs(method, []uint64{1, 2, 3}, captured, hq)
	return experiments.StabiliserRuns{Runs: r, ItersPerSecond: []float64{500, 500, 500}}
}

// checkCase is one spoiled result for a lesson-15 check: edit spoils the good rows, and the
// check must fail with an error containing err, ErrClaim exactly when claim.
type checkCase struct {
	name  string
	edit  func([]experiments.StabiliserRuns) []experiments.StabiliserRuns
	err   string
	claim bool
}

// checkCases runs check on each case's spoiled copy of good().
func checkCases(t *testing.T, check func([]experiments.StabiliserRuns) error, good func() []experiments.StabiliserRuns, cases []checkCase) {
	t.Helper()
	for _, tc := range cases {
		err := check(tc.edit(good()))
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.err)
		}
		if errors.Is(err, experiments.ErrClaim) != tc.claim {
			t.Errorf("%s: errors.Is(%v, ErrClaim) = %t, want %t", tc.name, err, !tc.claim, tc.claim)
		}
	}
}

func TestCheckStabilisers(t *testing.T) {
	good := func() []experiments.StabiliserRuns {
		return []experiments.StabiliserRuns{stab("GAN", 1, 3, 1), stab("TTUR", 7, 6, 7), stab("dropout in D", 1, 1, 0), stab("R1", 6, 6, 7)}
	}
	if err := experiments.CheckStabilisers(good()); err != nil {
		t.Errorf("measured-like results: %v", err)
	}
	checkCases(t, experiments.CheckStabilisers, good, []checkCase{
		{"no collapse", func(r []experiments.StabiliserRuns) []experiments.StabiliserRuns {
			r[0] = stab("GAN", 5, 4, 5)
			return r
		}, "GAN captured 4.7 modes", true},
		{"small margin", func(r []experiments.StabiliserRuns) []experiments.StabiliserRuns {
			r[3] = stab("R1", 3, 4, 3)
			return r
		}, "R1 captured 3.3 modes of the ring of 8 on average, not 2 more than the GAN's 1.7", true},
		{"one seed no better", func(r []experiments.StabiliserRuns) []experiments.StabiliserRuns {
			r[1] = stab("TTUR", 8, 3, 8)
			return r
		}, "seed 2: TTUR captured 3 modes", true},
		{"missing row", func(r []experiments.StabiliserRuns) []experiments.StabiliserRuns { return r[:3] }, `no "R1" row`, false},
		{"other seeds", func(r []experiments.StabiliserRuns) []experiments.StabiliserRuns {
			r[1].Seeds = []uint64{1, 2, 4}
			return r
		}, "different seeds", false},
	})
}

// gridStab builds a row of Stabilisers' results on the grid from modes captured per seed
// and one high-quality fraction for all seeds.
func gridStab(method string, hq float64, captured ...int) experiments.StabiliserRuns {
	r := runs(method, []uint64{1, 2, 3}, captured, []float64{hq, hq, hq})
	r.Target = "grid of 25"
	return experiments.StabiliserRuns{Runs: r, ItersPerSecond: []float64{500, 500, 500}}
}

func TestCheckStabilisersOnGrid(t *testing.T) {
	good := func() []experiments.StabiliserRuns { // the XLA run's numbers
		return []experiments.StabiliserRuns{gridStab("GAN", 0.012, 15, 17, 19), gridStab("R1", 0.015, 17, 18, 20),
			gridStab("dropout in D", 0.016, 2, 4, 3), gridStab("EMA of G", 0.019, 4, 6, 7)}
	}
	if err := experiments.CheckStabilisersOnGrid(good()); err != nil {
		t.Errorf("measured results: %v", err)
	}
	checkCases(t, experiments.CheckStabilisersOnGrid, good, []checkCase{
		{"sharp", func(r []experiments.StabiliserRuns) []experiments.StabiliserRuns {
			r[1] = gridStab("R1", 0.06, 17, 18, 20)
			return r
		}, "R1's samples are 6.0% high quality on the grid of 25, not below 5%", true},
		{"small margin", func(r []experiments.StabiliserRuns) []experiments.StabiliserRuns {
			r[3] = gridStab("EMA of G", 0.019, 12, 12, 14)
			return r
		}, "EMA of G captured 12.7 modes of the grid of 25 on average, not 5 fewer than the GAN's 17.0", true},
		{"one seed no worse", func(r []experiments.StabiliserRuns) []experiments.StabiliserRuns {
			r[2] = gridStab("dropout in D", 0.016, 2, 17, 3)
			return r
		}, "seed 2: dropout in D captured 17 modes", true},
		{"missing row", func(r []experiments.StabiliserRuns) []experiments.StabiliserRuns { return r[:3] }, `no "EMA of G" row`, false},
		{"other seeds", func(r []experiments.StabiliserRuns) []experiments.StabiliserRuns {
			r[2].Seeds = []uint64{1, 2, 4}
			return r
		}, "different seeds", false},
	})
}

func TestStabiliserMethods(t *testing.T) {
	ring := target.Ring(8, 2, 0.02)
	names := map[string]bool{}
	for _, m := range experiments.StabiliserMethods() {
		names[m.Name] = true
		cfg := m.Config(ring, 1)
		if err := cfg.Validate(); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
		if m.Iterations != experiments.StabiliserIterations {
			t.Errorf("%s: %d iterations, want %d", m.Name, m.Iterations, experiments.StabiliserIterations)
		}
		// Each row is the plain GAN with one change.
		on := 0
		for _, b := range []bool{cfg.LabelSmoothing > 0, cfg.LabelNoise > 0, cfg.Dropout > 0, cfg.InstanceNoise > 0, cfg.SpectralNorm, cfg.R1 > 0, cfg.EMA > 0, cfg.DOptimizer != cfg.GOptimizer} {
			if b {
				on++
			}
		}
		if want := map[bool]int{true: 0, false: 1}[m.Name == "GAN"]; on != want {
			t.Errorf("%s: %d stabilisers on, want %d", m.Name, on, want)
		}
		if cfg.SpectralNorm != (cfg.Loss == losses.Hinge) {
			t.Errorf("%s: spectral norm %t with the %s loss", m.Name, cfg.SpectralNorm, cfg.Loss)
		}
	}
	for _, n := range append(append([]string{"GAN"}, experiments.StabilisersThatHelp...), experiments.StabilisersThatStayCollapsed...) {
		if !names[n] {
			t.Errorf("no method %q, which CheckStabilisers or CheckStabilisersOnGrid needs", n)
		}
	}
}

// Stabilisers trains, scores and times every run (a short version of lesson 15's sweep).
func TestStabilisersPlumbing(t *testing.T) {
	methods := experiments.StabiliserMethods()[:2]
	for i := range methods {
		methods[i].Iterations = 20
	}
	res, err := experiments.Stabilisers(testBackend(t), target.Ring(8, 2, 0.02), methods, []uint64{1, 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[1].Method != "TTUR" {
		t.Fatalf("results %+v", res)
	}
	for _, r := range res {
		if len(r.Reports) != 2 || r.Reports[0].Modes != 8 || !(r.MillisPerIteration() > 0) {
			t.Errorf("%s: reports %+v, %.3f ms per iteration", r.Method, r.Reports, r.MillisPerIteration())
		}
		if row := experiments.StabiliserRow(r, res[0]); len(row) != len(experiments.StabiliserHeaders) {
			t.Errorf("row %v for headers %v", row, experiments.StabiliserHeaders)
		}
	}
	if _, err := experiments.Stabilisers(testBackend(t), target.Ring(8, 2, 0.02), methods, nil, 0); err == nil {
		t.Error("no seeds: no error")
	}
}

// Lesson 15's rows: lesson 3's plain GAN, then that GAN with one stabiliser each.
func ExampleStabiliserMethods() {
	for _, m := range experiments.StabiliserMethods() {
		fmt.Printf("%s (%d iterations)\n", m.Name, m.Iterations)
	}
	// Output:
	// GAN (1500 iterations)
	// TTUR (1500 iterations)
	// label smoothing (1500 iterations)
	// label noise (1500 iterations)
	// dropout in D (1500 iterations)
	// instance noise (1500 iterations)
	// SN + hinge (1500 iterations)
	// R1 (1500 iterations)
	// EMA of G (1500 iterations)
}

// The cost column uses the fastest seed, the one least slowed by the other runs.
func TestMillisPerIteration(t *testing.T) {
	r := stab("GAN", 1, 1, 1)
	r.ItersPerSecond = []float64{250, 500, 400}
	base := stab("GAN", 1, 1, 1)
	base.ItersPerSecond = []float64{1000, 800, 900}
	if got := r.MillisPerIteration(); got != 2 {
		t.Errorf("MillisPerIteration = %g, want 2 (the fastest seed's 500 per second)", got)
	}
	if row := experiments.StabiliserRow(r, base); row[4] != "2.00" || row[5] != "2.0x" || row[2] != "1 1 1" {
		t.Errorf("row %q", row)
	}
}
