package experiments

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/dirac"
	"github.com/gomlx/compute"
)

// DiracCase is one of lesson 15's Dirac-GAN trajectories.
type DiracCase struct {
	// Name labels the case in tables and plots.
	Name string
	// Update and Stabiliser say how the players step.
	Update     dirac.Update
	Stabiliser dirac.Stabiliser
}

// DiracCases are lesson 15's four trajectories: the plain GAN with simultaneous and with
// alternating steps, and simultaneous steps with R1 (γ = 0.3) and with instance noise
// (σ = 0.7).
func DiracCases() []DiracCase {
	return []DiracCase{
		{"simultaneous", dirac.Simultaneous, dirac.Stabiliser{}},
		{"alternating", dirac.Alternating, dirac.Stabiliser{}},
		{"simultaneous + R1 (γ = 0.3)", dirac.Simultaneous, dirac.Stabiliser{Gamma: 0.3}},
		{"simultaneous + instance noise (σ = 0.7)", dirac.Simultaneous, dirac.Stabiliser{Sigma: 0.7}},
	}
}

// DiracStart, DiracStep and DiracSteps are where lesson 15's trajectories start (G at 1, D
// flat), their step size and their length.
var DiracStart = dirac.Point{Theta: 1, Psi: 0}

const (
	DiracStep  = 0.2
	DiracSteps = 500
)

// DiracRun is one measured trajectory.
type DiracRun struct {
	DiracCase
	// Path holds the DiracSteps+1 points visited, Radius their distance to (0, 0).
	Path   []dirac.Point
	Radius []float64
	// MinRadius and MaxRadius bound Radius over the second half of the run.
	MinRadius, MaxRadius float64
}

// Final is the radius after the last step.
func (r DiracRun) Final() float64 { return r.Radius[len(r.Radius)-1] }

// DiracDynamics is lesson 15's measurement of the Dirac-GAN.
type DiracDynamics struct {
	Runs []DiracRun
	// EMATheta is |θ| of the EMA of G (decay DiracEMADecay) along the alternating run at its
	// end, AltTheta the largest |θ| of that run over its second half.
	EMATheta, AltTheta float64
	// GraphGap is the largest difference between the float64 field (dirac.Stabiliser.Field)
	// and the graph's (dirac.GraphField: graph.Gradient on the backend) over the points of
	// the plain and the R1 trajectories.
	GraphGap float64
}

// MeasureDirac runs DiracCases from DiracStart (DiracSteps steps of DiracStep) in float64
// and checks the field they follow against automatic differentiation on backend b.
func MeasureDirac(b compute.Backend) (*DiracDynamics, error) {
	r := &DiracDynamics{}
	for _, c := range DiracCases() {
		path, err := dirac.Trajectory(DiracStart, c.Update, c.Stabiliser, DiracStep, DiracSteps)
		if err != nil {
			return nil, fmt.Errorf("experiments: Dirac-GAN %s: %w", c.Name, err)
		}
		run := DiracRun{DiracCase: c, Path: path, MinRadius: math.Inf(1)}
		for i, p := range path {
			run.Radius = append(run.Radius, p.Radius())
			if i >= len(path)/2 {
				run.MinRadius, run.MaxRadius = math.Min(run.MinRadius, p.Radius()), math.Max(run.MaxRadius, p.Radius())
			}
		}
		r.Runs = append(r.Runs, run)
		if c.Update == dirac.Alternating && c.Stabiliser == (dirac.Stabiliser{}) {
			ema, err := dirac.EMA(path, DiracEMADecay)
			if err != nil {
				return nil, err
			}
			r.EMATheta = math.Abs(ema[len(ema)-1])
			for _, p := range path[len(path)/2:] {
				r.AltTheta = math.Max(r.AltTheta, math.Abs(p.Theta))
			}
		}
		if c.Stabiliser.Sigma != 0 {
			continue // the graph has no instance noise (its expectation has no closed form)
		}
		got, err := dirac.GraphField(b, path, c.Stabiliser.Gamma)
		if err != nil {
			return nil, fmt.Errorf("experiments: Dirac-GAN %s: %w", c.Name, err)
		}
		for i, p := range path {
			want := c.Stabiliser.Field(p)
			r.GraphGap = math.Max(r.GraphGap, math.Max(math.Abs(got[i].Theta-want.Theta), math.Abs(got[i].Psi-want.Psi)))
		}
	}
	return r, nil
}

// Lesson 15's claims on the Dirac-GAN, relative to the start's radius: simultaneous steps
// end at least DiracSpiralOut times as far, alternating steps stay within DiracCircle of it
// (above and below: bounded, and not converging), the stabilised runs end within
// DiracConverged of the equilibrium; the float64 field is within DiracGraphTol of the
// graph's.
const (
	DiracSpiralOut = 2.0
	DiracCircle    = 0.1
	DiracConverged = 1e-3
	DiracGraphTol  = 1e-9
	// DiracEMADecay is the decay of the EMA of G along the alternating run; DiracEMAClose
	// the claim: the average ends within this fraction of the start's radius of θ = 0,
	// while the iterates themselves still reach (1 - DiracCircle) of it.
	DiracEMADecay = 0.99
	DiracEMAClose = 0.2
)

// CheckDirac asserts lesson 15's claims on r (see DiracSpiralOut): the radius of the
// simultaneous plain run grows at every step and ends at least DiracSpiralOut times the
// start's; the alternating run stays within a factor 1 ± DiracCircle of it; R1 and instance
// noise end within DiracConverged of (0, 0); the EMA of G along the alternating run ends
// near θ = 0 (DiracEMAClose) while the run itself does not; and the float64 field agrees with graph code.
func CheckDirac(r *DiracDynamics) error {
	if r == nil || len(r.Runs) != len(DiracCases()) {
		return fmt.Errorf("experiments: CheckDirac needs the %d runs of MeasureDirac", len(DiracCases()))
	}
	r0 := DiracStart.Radius()
	sim, alt := r.Runs[0], r.Runs[1]
	for i := 1; i < len(sim.Radius); i++ {
		if !(sim.Radius[i] > sim.Radius[i-1]) {
			return fmt.Errorf("experiments: lesson 15: %w: simultaneous steps did not grow the radius at step %d (%.6g after %.6g)", ErrClaim, i, sim.Radius[i], sim.Radius[i-1])
		}
	}
	if sim.Final() < DiracSpiralOut*r0 {
		return fmt.Errorf("experiments: lesson 15: %w: simultaneous steps end at radius %.3g; the lesson claims at least %g", ErrClaim, sim.Final(), DiracSpiralOut*r0)
	}
	lo, hi := math.Inf(1), 0.0
	for _, v := range alt.Radius {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if lo < (1-DiracCircle)*r0 || hi > (1+DiracCircle)*r0 {
		return fmt.Errorf("experiments: lesson 15: %w: alternating steps ranged over radii [%.3g, %.3g]; the lesson claims they circle within [%g, %g]", ErrClaim, lo, hi, (1-DiracCircle)*r0, (1+DiracCircle)*r0)
	}
	for _, run := range r.Runs[2:] {
		if !(run.Final() < DiracConverged*r0) {
			return fmt.Errorf("experiments: lesson 15: %w: %s ends at radius %.3g; the lesson claims below %g", ErrClaim, run.Name, run.Final(), DiracConverged*r0)
		}
	}
	if !(r.EMATheta < DiracEMAClose*r0) || r.AltTheta < (1-DiracCircle)*r0 {
		return fmt.Errorf("experiments: lesson 15: %w: the EMA of G ends at |θ| = %.3g while the alternating iterates reach |θ| = %.3g; the lesson claims below %g and above %g", ErrClaim, r.EMATheta, r.AltTheta, DiracEMAClose*r0, (1-DiracCircle)*r0)
	}
	if !(r.GraphGap <= DiracGraphTol) {
		return fmt.Errorf("experiments: lesson 15: %w: the float64 field differs from graph.Gradient's by %.3g (tolerance %g)", ErrClaim, r.GraphGap, DiracGraphTol)
	}
	return nil
}

// DiracDecayStep and DiracDecayTime are the step size and the duration of DiracDecay's
// runs: small steps, close to the continuous flow.
const (
	DiracDecayStep         = 0.01
	DiracDecayTime float64 = 60
)

// DiracDecay measures the rate at which the radius of a run with stabiliser s decays near
// the equilibrium: simultaneous steps of DiracDecayStep from DiracStart for a time
// DiracDecayTime, and -Δlog r/Δt over the second half. dirac.Stabiliser.DecayRate
// predicts it.
func DiracDecay(s dirac.Stabiliser) (float64, error) {
	const h, steps = DiracDecayStep, int(DiracDecayTime / DiracDecayStep)
	path, err := dirac.Trajectory(DiracStart, dirac.Simultaneous, s, h, steps)
	if err != nil {
		return 0, fmt.Errorf("experiments: DiracDecay: %w", err)
	}
	a, b := path[steps/2].Radius(), path[steps].Radius()
	return -(math.Log(b) - math.Log(a)) / (h * float64(steps-steps/2)), nil
}

// DiracDecayRow is one row of lesson 15's decay-rate table.
type DiracDecayRow struct {
	Stabiliser          dirac.Stabiliser
	Predicted, Measured float64
}

// DiracDecayTol is lesson 15's claim on the decay rates: each measured within this
// fraction of the Jacobian's prediction.
const DiracDecayTol = 0.05

// MeasureDiracDecay measures DiracDecay for each stabiliser next to its prediction,
// dirac.Stabiliser.DecayRate.
func MeasureDiracDecay(ss []dirac.Stabiliser) ([]DiracDecayRow, error) {
	var rows []DiracDecayRow
	for _, s := range ss {
		m, err := DiracDecay(s)
		if err != nil {
			return nil, err
		}
		rows = append(rows, DiracDecayRow{s, s.DecayRate(), m})
	}
	return rows, nil
}

// CheckDiracDecay asserts that each measured decay rate is within DiracDecayTol of its
// prediction.
func CheckDiracDecay(rows []DiracDecayRow) error {
	if len(rows) == 0 {
		return fmt.Errorf("experiments: CheckDiracDecay: no rows")
	}
	for _, r := range rows {
		if !(math.Abs(r.Measured-r.Predicted) <= DiracDecayTol*r.Predicted) {
			return fmt.Errorf("experiments: lesson 15: %w: with %v the radius decays at %.4g per unit time; the Jacobian predicts %.4g (tolerance %g%%)", ErrClaim, r.Stabiliser, r.Measured, r.Predicted, 100*DiracDecayTol)
		}
	}
	return nil
}
