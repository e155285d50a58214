package experiments_test

import (
	"errors"
	"math"
	"testing"

	"github.com/gankit/kit/gankit/dirac"
	"github.com/gankit/kit/gankit/experiments"
)

// Lesson 15's claims on the Dirac-GAN: simultaneous steps spiral out, alternating steps
// circle, R1 and instance noise converge, and the float64 field is graph.Gradient's.
func TestDirac(t *testing.T) {
	r, err := experiments.MeasureDirac(testBackend(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range r.Runs {
		t.Logf("%s: final radius %.4g, second half in [%.4g, %.4g]", run.Name, run.Final(), run.MinRadius, run.MaxRadius)
	}
	t.Logf("graph gap %.3g; EMA of G ends at |θ| = %.4g, the alternating iterates reach %.4g", r.GraphGap, r.EMATheta, r.AltTheta)
	if err := experiments.CheckDirac(r); err != nil {
		t.Fatal(err)
	}
	// The numbers the lesson prints, as measured (float64 arithmetic: the same on every backend).
	if got := r.Runs[0].Final(); math.Abs(got-3.098) > 1e-3 {
		t.Errorf("simultaneous final radius %.6g, want 3.098", got)
	}
	if got := r.Runs[1].Final(); math.Abs(got-0.9955) > 1e-4 {
		t.Errorf("alternating final radius %.6g, want 0.9955", got)
	}
	// Each claim fails when its number is wrong.
	breakers := map[string]func(d *experiments.DiracDynamics){
		"no spiral": func(d *experiments.DiracDynamics) { d.Runs[0].Radius[len(d.Runs[0].Radius)-1] = 1.5 },
		"shrinks":   func(d *experiments.DiracDynamics) { d.Runs[0].Radius[3] = 0.5 },
		"alt grows": func(d *experiments.DiracDynamics) { d.Runs[1].Radius[7] = 1.2 },
		"alt dies":  func(d *experiments.DiracDynamics) { d.Runs[1].Radius[9] = 0.5 },
		"R1 stays":  func(d *experiments.DiracDynamics) { d.Runs[2].Radius[len(d.Runs[2].Radius)-1] = 0.01 },
		"noise NaN": func(d *experiments.DiracDynamics) { d.Runs[3].Radius[len(d.Runs[3].Radius)-1] = math.NaN() },
		"graph":     func(d *experiments.DiracDynamics) { d.GraphGap = 1e-6 },
		"EMA far":   func(d *experiments.DiracDynamics) { d.EMATheta = 0.5 },
	}
	for name, breakIt := range breakers {
		c := *r
		c.Runs = make([]experiments.DiracRun, len(r.Runs))
		for i, run := range r.Runs {
			run.Radius = append([]float64(nil), run.Radius...)
			c.Runs[i] = run
		}
		breakIt(&c)
		if err := experiments.CheckDirac(&c); !errors.Is(err, experiments.ErrClaim) {
			t.Errorf("%s: CheckDirac = %v, want an error wrapping ErrClaim", name, err)
		}
	}
	if err := experiments.CheckDirac(&experiments.DiracDynamics{}); err == nil || errors.Is(err, experiments.ErrClaim) {
		t.Errorf("CheckDirac without runs = %v, want a usage error", err)
	}
}

// The decay rate near the equilibrium follows the Jacobian's slowest eigenvalue, and too
// much R1 slows convergence down.
func TestDiracDecay(t *testing.T) {
	for _, s := range []dirac.Stabiliser{{Gamma: 0.3}, {Gamma: 3}, {Sigma: 0.7}} {
		got, err := experiments.DiracDecay(s)
		if err != nil {
			t.Fatal(err)
		}
		if want := s.DecayRate(); math.Abs(got-want) > 0.05*want {
			t.Errorf("%v: measured decay rate %.4g, predicted %.4g", s, got, want)
		}
	}
	a, _ := experiments.DiracDecay(dirac.Stabiliser{Gamma: 0.3})
	b, _ := experiments.DiracDecay(dirac.Stabiliser{Gamma: 3})
	if !(b < a) {
		t.Errorf("γ = 3 decays at %.3g, γ = 0.3 at %.3g: want the larger γ slower", b, a)
	}
	if _, err := experiments.DiracDecay(dirac.Stabiliser{Gamma: -1}); err == nil {
		t.Error("DiracDecay accepted γ = -1")
	}
}

func TestDiracDecayTable(t *testing.T) {
	rows, err := experiments.MeasureDiracDecay([]dirac.Stabiliser{{Gamma: 0.3}, {Gamma: 3}, {Gamma: 10}, {Sigma: 0.7}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		t.Logf("%v: predicted %.4g, measured %.4g", r.Stabiliser, r.Predicted, r.Measured)
	}
	if err := experiments.CheckDiracDecay(rows); err != nil {
		t.Fatal(err)
	}
	rows[0].Measured *= 1.2
	if err := experiments.CheckDiracDecay(rows); !errors.Is(err, experiments.ErrClaim) {
		t.Errorf("a measured rate 20%% off: CheckDiracDecay = %v, want ErrClaim", err)
	}
	if err := experiments.CheckDiracDecay(nil); err == nil || errors.Is(err, experiments.ErrClaim) {
		t.Errorf("no rows: %v, want a usage error", err)
	}
}
