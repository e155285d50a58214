package experiments

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
)

// Boundary is what one loss family's discriminator learned in lesson 6's fixed-generator
// setting, and the push it gives generated samples.
type Boundary struct {
	Family losses.Family
	// Out is D's raw output on Xs (logit, score or critic value), Grad the generator's
	// per-sample gradient ∂ℓ_G/∂x there (a sample moves along -Grad), and AbsGrad its
	// magnitude.
	Out, Grad, AbsGrad []float64
}

// Boundaries is lesson 6's measurement: p_data = N(2, 0.5²), p_g fixed at N(-2, 0.5²),
// one discriminator per loss family trained against them, then evaluated on Xs.
type Boundaries struct {
	Xs         []float64
	PData, PG  []float64
	ByFamily   []Boundary
	Steps      int
	FarX, Fake float64 // the probe points: beyond the data, and at the generated mode
}

// MeasureBoundaries trains, for each of the Standard, LeastSquares and Hinge families, a
// discriminator 1 -> 32 -> 32 -> 1 for steps steps (Adam 1e-3, batch 256) against the
// fixed p_g, and records its output and the generator's per-sample gradient on a grid.
func MeasureBoundaries(b compute.Backend, seed uint64, steps int) (*Boundaries, error) {
	if steps < 1 {
		return nil, fmt.Errorf("experiments: steps must be >= 1, got %d", steps)
	}
	data, gen := target.Gaussian(2, 0.5), target.Gaussian(-2, 0.5)
	r := &Boundaries{Xs: target.Linspace(-6, 8, 281), Steps: steps, FarX: 6, Fake: -2}
	pts := points1D(r.Xs)
	for _, x := range r.Xs {
		r.PData = append(r.PData, data.Density([]float64{x}))
		r.PG = append(r.PG, gen.Density([]float64{x}))
	}
	for _, f := range []losses.Family{losses.Standard, losses.LeastSquares, losses.Hinge} {
		tr, err := pointgan.New(b, pointgan.Config{
			Target:        data,
			Fake:          gen,
			Discriminator: nets.Discriminator(1, []int{32, 32}),
			Loss:          f,
			BatchSize:     256,
			DSteps:        1,
			DOptimizer:    train.Adam(1e-3, 0.5, 0.999),
			Seed:          seed,
		})
		if err != nil {
			return nil, err
		}
		if _, err := tr.TrainD(steps); err != nil {
			return nil, err
		}
		out, err := tr.Critic(pts)
		if err != nil {
			return nil, err
		}
		g, err := tr.SampleGradients(pts)
		if err != nil {
			return nil, err
		}
		bd := Boundary{Family: f, Out: out}
		for _, v := range g {
			bd.Grad = append(bd.Grad, float64(v))
			bd.AbsGrad = append(bd.AbsGrad, math.Abs(float64(v)))
		}
		r.ByFamily = append(r.ByFamily, bd)
	}
	return r, nil
}

// GradAt returns family i's ∂ℓ_G/∂x at the grid point nearest x.
func (r *Boundaries) GradAt(i int, x float64) float64 {
	return r.ByFamily[i].Grad[nearest(r.Xs, x)]
}

// nearest is the index of the point of xs nearest x (the first of equally near ones).
func nearest(xs []float64, x float64) int {
	best := 0
	for j, xj := range xs {
		if math.Abs(xj-x) < math.Abs(xs[best]-x) {
			best = j
		}
	}
	return best
}

// FamilyConfig is lesson 6's 2-D GAN for one loss family: G 2 -> 64 -> 64 -> 2, D
// 2 -> 64 -> 64 -> 1, batch 256, k = 1, Adam(1e-3, 0.5, 0.999) for both.
func FamilyConfig(f losses.Family, data target.Distribution, seed uint64) pointgan.Config {
	return pointgan.Config{
		Target:        data,
		Generator:     nets.Generator(2, []int{64, 64}, 2),
		Discriminator: nets.Discriminator(2, []int{64, 64}),
		Loss:          f,
		BatchSize:     256,
		DSteps:        1,
		GOptimizer:    train.Adam(1e-3, 0.5, 0.999),
		DOptimizer:    train.Adam(1e-3, 0.5, 0.999),
		Seed:          seed,
	}
}

// FamilyIterations is how long lesson 6 trains each FamilyConfig.
const FamilyIterations = 3000

// FamilyRuns are lesson 6's three loss families on m with one seed: FamilyConfig with the
// standard, least-squares and hinge losses, FamilyIterations each.
func FamilyRuns(m target.Distribution, seed uint64) []pointgan.Job {
	var runs []pointgan.Job
	for _, f := range []losses.Family{losses.Standard, losses.LeastSquares, losses.Hinge} {
		runs = append(runs, pointgan.Job{Name: f.String(), Config: FamilyConfig(f, m, seed), Iterations: FamilyIterations})
	}
	return runs
}
