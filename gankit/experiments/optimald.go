package experiments

import (
	"fmt"

	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/theory"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
)

// SupportDensity is the density p_data(x)+p_g(x) above which lesson 2 counts x as "on the
// support": where neither distribution puts samples, D is never trained and unconstrained.
const SupportDensity = 0.05

// WideQuadrature is the grid lesson 2 computes C(G) and JSD on: Simpson's rule on
// [-25, 25], wide enough that the Gaussian tails it leaves out are below 1e-12.
func WideQuadrature() theory.Quadrature { return theory.Quadrature{Lo: -25, Hi: 25, N: 10000} }

// OptimalD is lesson 2's numerical check of the optimal-discriminator theorem.
type OptimalD struct {
	Data, Gen target.Density
	// Xs is the grid where D, DStar and the densities are evaluated.
	Xs, D, DStar, PData, PG []float64
	// Gap is the largest |D(x) - D*(x)| on the support, at x = GapAt.
	Gap, GapAt float64
	// Steps is the number of discriminator steps taken.
	Steps int
	// VTrained is V(D, G) for the trained D, and C is V(D*, G), both by quadrature;
	// JSD is JSD(p_data || p_g) by quadrature, and CFromJSD = -log 4 + 2·JSD.
	VTrained, C, JSD, CFromJSD float64
	// CEqual is C(G) when p_g = p_data (the global minimum, -log 4), and DStarEqualGap the
	// largest |D*(x) - 1/2| in that case.
	CEqual, DStarEqualGap float64
	// DEqualGap is the largest |D(x) - 1/2| on the support for a discriminator trained the
	// same way with p_g = p_data.
	DEqualGap float64
}

// OptimalDConfig is lesson 2's discriminator run: p_data is Bimodal, p_g is fixed (only D
// trains), D is 1 -> 64 -> 64 -> 1 LeakyReLU, batch 1024, Adam(1e-3, 0.9, 0.999).
func OptimalDConfig(data, gen target.Distribution, seed uint64) pointgan.Config {
	return pointgan.Config{
		Target:        data,
		Fake:          gen,
		Discriminator: nets.Discriminator(1, []int{64, 64}),
		BatchSize:     1024,
		DSteps:        1,
		DOptimizer:    train.Adam(1e-3, 0.9, 0.999),
		Seed:          seed,
	}
}

// TrainOptimalD trains D against a fixed p_g: steps at the learning rate 1e-3, then
// steps/2 more at 1e-4 to average out the noise of the stochastic gradients.
func TrainOptimalD(b compute.Backend, data, gen target.Distribution, seed uint64, steps int) (*pointgan.Trainer, error) {
	if steps < 1 {
		return nil, fmt.Errorf("experiments: steps must be >= 1, got %d", steps)
	}
	return trainD(b, OptimalDConfig(data, gen, seed), steps)
}

// trainD is TrainOptimalD for any configuration of lesson 2's set-up (lesson 6 changes its
// loss).
func trainD(b compute.Backend, cfg pointgan.Config, steps int) (*pointgan.Trainer, error) {
	tr, err := pointgan.New(b, cfg)
	if err != nil {
		return nil, err
	}
	if _, err := tr.TrainD(steps); err != nil {
		return nil, err
	}
	if err := tr.SetLearningRate(pointgan.DiscriminatorScope, 1e-4); err != nil {
		return nil, err
	}
	if _, err := tr.TrainD(steps / 2); err != nil {
		return nil, err
	}
	return tr, nil
}

func discriminateAt(tr *pointgan.Trainer, xs []float64) ([]float64, error) {
	return tr.Discriminate(points1D(xs))
}

// points1D converts 1-D grid coordinates to the trainer's flat float32 points.
func points1D(xs []float64) []float32 {
	pts := make([]float32, len(xs))
	for i, x := range xs {
		pts[i] = float32(x)
	}
	return pts
}

// MeasureOptimalD runs lesson 2's experiment: p_data = Bimodal (0.5·N(-2, 0.5²) +
// 0.5·N(2, 0.5²)), p_g = N(0, 1) frozen; D trained for steps (+ steps/2) steps.
func MeasureOptimalD(b compute.Backend, seed uint64, steps int) (*OptimalD, error) {
	data, gen := target.Bimodal(), target.Gaussian(0, 1)
	r := &OptimalD{Data: data, Gen: gen, Steps: steps + steps/2}
	tr, err := TrainOptimalD(b, data, gen, seed, steps)
	if err != nil {
		return nil, err
	}
	r.Xs = target.Linspace(-4, 4, 321)
	if r.D, err = discriminateAt(tr, r.Xs); err != nil {
		return nil, err
	}
	dStar := theory.OptimalD(data, gen)
	for _, x := range r.Xs {
		r.DStar = append(r.DStar, dStar(x))
		r.PData = append(r.PData, data.Density([]float64{x}))
		r.PG = append(r.PG, gen.Density([]float64{x}))
	}
	r.Gap, r.GapAt = theory.MaxGap(lookup(r.Xs, r.D), dStar, data, gen, r.Xs, SupportDensity)

	// V of the trained D is integrated on the distributions' own bounds: far out in the
	// tails a float32 D rounds to exactly 0 or 1 and log D to -Inf, although the density
	// there is negligible.
	qTrained := theory.Auto(data, gen, 2000)
	qx := qTrained.Points()
	dq, err := discriminateAt(tr, qx)
	if err != nil {
		return nil, err
	}
	if r.VTrained, err = theory.Value(data, gen, lookup(qx, dq), qTrained); err != nil {
		return nil, err
	}
	q := WideQuadrature()
	if r.C, err = theory.C(data, gen, q); err != nil {
		return nil, err
	}
	if r.JSD, err = theory.JSD(data, gen, q); err != nil {
		return nil, err
	}
	r.CFromJSD = theory.MinC + 2*r.JSD

	// p_g = p_data: D* = 1/2 everywhere and C(G) = -log 4.
	if r.CEqual, err = theory.C(data, data, q); err != nil {
		return nil, err
	}
	same := theory.OptimalD(data, data)
	for _, x := range r.Xs {
		r.DStarEqualGap = max(r.DStarEqualGap, abs(same(x)-0.5))
	}
	trEq, err := TrainOptimalD(b, data, data, seed, steps)
	if err != nil {
		return nil, err
	}
	dEq, err := discriminateAt(trEq, r.Xs)
	if err != nil {
		return nil, err
	}
	half := func(float64) float64 { return 0.5 }
	r.DEqualGap, _ = theory.MaxGap(lookup(r.Xs, dEq), half, data, data, r.Xs, SupportDensity)
	return r, nil
}

// lookup turns values known at the points xs into a function of those points.
func lookup(xs, vs []float64) func(float64) float64 {
	m := make(map[float64]float64, len(xs))
	for i, x := range xs {
		m[x] = vs[i]
	}
	return func(x float64) float64 {
		v, ok := m[x]
		if !ok {
			panic(fmt.Sprintf("experiments: no value at x=%g", x))
		}
		return v
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
