package experiments

import (
	"fmt"

	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/theory"
	"github.com/gomlx/compute"
)

// LSGANOptimalD is lesson 6's measurement of LSGAN's optimal discriminator: lesson 2's
// frozen p_g and p_data, with D trained on LSGAN's loss (targets a = 0 for generated and
// b = 1 for real samples) instead of the cross-entropy.
type LSGANOptimalD struct {
	// Xs is the grid; D is the trained D's raw score there, DStar theory.LeastSquaresDStar
	// (a = 0, b = 1), PData and PG the densities.
	Xs, D, DStar, PData, PG []float64
	// Gap is the largest |D(x) - D*(x)| on the support (p_data + p_g > SupportDensity), at
	// x = GapAt.
	Gap, GapAt float64
	// Steps is the number of discriminator steps taken.
	Steps int
}

// LSGANOptimalDSteps is how long lesson 6 trains its LSGAN discriminator (then half as
// many steps at a tenth of the learning rate, as lesson 2).
const LSGANOptimalDSteps = 1000

// LSGANMaxGap is lesson 6's claim: the trained LSGAN D is within this of
// (b·p_data + a·p_g)/(p_data + p_g) on the support.
const LSGANMaxGap = 0.05

// MeasureLSGANOptimalD trains lesson 2's discriminator (OptimalDConfig: p_data = Bimodal,
// p_g = N(0, 1) frozen) on LSGAN's loss for steps (+ steps/2) steps and compares its raw
// score with theory.LeastSquaresDStar.
func MeasureLSGANOptimalD(b compute.Backend, seed uint64, steps int) (*LSGANOptimalD, error) {
	if steps < 1 {
		return nil, fmt.Errorf("experiments: steps must be >= 1, got %d", steps)
	}
	data, gen := target.Bimodal(), target.Gaussian(0, 1)
	cfg := OptimalDConfig(data, gen, seed)
	cfg.Loss = losses.LeastSquares
	tr, err := trainD(b, cfg, steps)
	if err != nil {
		return nil, err
	}
	r := &LSGANOptimalD{Xs: target.Linspace(-4, 4, 321), Steps: steps + steps/2}
	if r.D, err = tr.Critic(points1D(r.Xs)); err != nil {
		return nil, err
	}
	for _, x := range r.Xs {
		pd, pg := data.Density([]float64{x}), gen.Density([]float64{x})
		r.PData, r.PG = append(r.PData, pd), append(r.PG, pg)
		r.DStar = append(r.DStar, theory.LeastSquaresDStar(0, 1, pd, pg))
	}
	dStar := func(x float64) float64 {
		pt := []float64{x}
		return theory.LeastSquaresDStar(0, 1, data.Density(pt), gen.Density(pt))
	}
	r.Gap, r.GapAt = theory.MaxGap(lookup(r.Xs, r.D), dStar, data, gen, r.Xs, SupportDensity)
	return r, nil
}

// At returns the trained D and D* at the grid point nearest x.
func (r *LSGANOptimalD) At(x float64) (d, dStar float64) {
	i := nearest(r.Xs, x)
	return r.D[i], r.DStar[i]
}

// CheckLSGANOptimalD asserts lesson 6's claim: the trained D is within maxGap of D* on the
// support.
func CheckLSGANOptimalD(r *LSGANOptimalD, maxGap float64) error {
	if r.Gap > maxGap {
		return fmt.Errorf("experiments: lesson 6: %w: the LSGAN discriminator is %.3f away from D* at x = %.2f; the lesson claims at most %.3g on the support", ErrClaim, r.Gap, r.GapAt, maxGap)
	}
	return nil
}
