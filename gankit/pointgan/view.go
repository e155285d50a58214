package pointgan

import (
	"fmt"

	"github.com/gankit/kit/gankit/target"
)

// ManifoldRange is the half-width of the square of noise space, [-ManifoldRange,
// ManifoldRange]², that View maps through the generator to draw its manifold. For
// standard normal noise it holds about 91% of the z's (95.4% per axis).
const ManifoldRange = 2.0

// View is everything the 2-D view of GAN Lab (Kahng et al. 2018) draws at one moment of
// training: the discriminator's D(x) as a heat map, real and generated samples, the
// direction in which the next generator update moves each generated sample, and the
// generator's manifold, the image of a regular grid of noise points, as a warped grid.
// Trainer.View builds it; plots.GANLab draws it.
type View struct {
	// Iteration is the number of completed iterations (generator steps).
	Iteration int
	// Dim is the number of coordinates per sample (Target.Dim()).
	Dim int
	// Real is a fixed batch of real samples, flat row-major (Dim values per point).
	Real []float32
	// Samples are G(z) for the trainer's fixed noise, as Snapshot.Samples.
	Samples []float32
	// Gradients holds, per generated sample, the negative of Trainer.SampleGradients:
	// the direction in which the generator's update moves it, -∂ℓ_G/∂x with D fixed.
	// Same layout as Samples.
	Gradients []float32
	// GridX, GridY and D are the discriminator's D(x) on a grid, as in Snapshot:
	// D[iy*len(GridX)+ix] at (GridX[ix], GridY[iy]) in 2-D.
	GridX, GridY []float64
	D            []float64
	// Manifold is G applied to a regular ManifoldSize x ManifoldSize grid of noise
	// points covering [-ManifoldRange, ManifoldRange]², flat and row-major: point
	// (row iy, column ix), at noise (z₁, z₂) = (u[ix], u[iy]) with u =
	// target.Linspace(-ManifoldRange, ManifoldRange, ManifoldSize), has its Dim coordinates at
	// Manifold[(iy*ManifoldSize+ix)*Dim:]. Neighbours in a row or a column are
	// neighbours in noise space: joining them draws the warped grid. Nil when the
	// generator's noise is not 2-D, with a fixed Config.Fake, or when no manifold was
	// asked for.
	Manifold []float32
	// ManifoldSize is the number of noise points per axis of Manifold (0 when nil).
	ManifoldSize int
}

// ManifoldPoint returns the coordinates of manifold point (row iy, column ix).
func (v View) ManifoldPoint(iy, ix int) []float32 {
	i := (iy*v.ManifoldSize + ix) * v.Dim
	return v.Manifold[i : i+v.Dim]
}

// View captures the state GAN Lab draws, without training: a Snapshot (generated
// samples for the fixed noise and D on its grid), the per-sample generator update
// directions (the negated Trainer.SampleGradients), and, when the generator's noise is
// 2-D, the generator manifold on a manifoldSize x manifoldSize noise grid (0 skips it;
// otherwise it must be at least 2).
//
// real is the batch of real samples to draw (flat, Dim values per point); it is copied.
// With nil, View draws Config.SnapshotSamples real samples from the target with a
// random source seeded from Config.Seed, the same batch at every call, so that a
// sequence of views shows the same real points.
func (t *Trainer) View(real []float32, manifoldSize int) (View, error) {
	cfg := t.Config()
	dim := cfg.Target.Dim()
	if len(real)%dim != 0 {
		return View{}, fmt.Errorf("pointgan: View: %d real values is not a whole number of %d-dimensional points", len(real), dim)
	}
	if manifoldSize < 0 || manifoldSize == 1 {
		return View{}, fmt.Errorf("pointgan: View: manifold size %d: want 0 (none) or at least 2 points per axis", manifoldSize)
	}
	s, err := t.Snapshot()
	if err != nil {
		return View{}, fmt.Errorf("pointgan: View: %w", err)
	}
	v := View{Iteration: s.Iteration, Dim: dim, Samples: s.Samples, GridX: s.GridX, GridY: s.GridY, D: s.D}
	if real == nil {
		v.Real = cfg.Target.Sample(target.NewRand(cfg.Seed+5), cfg.SnapshotSamples)
	} else {
		v.Real = append([]float32(nil), real...)
	}
	grads, err := t.SampleGradients(s.Samples)
	if err != nil {
		return View{}, fmt.Errorf("pointgan: View: %w", err)
	}
	for i := range grads {
		grads[i] = -grads[i]
	}
	v.Gradients = grads
	if manifoldSize == 0 || cfg.Fake != nil || cfg.Generator.InDim() != 2 {
		return v, nil
	}
	u := target.Linspace(-ManifoldRange, ManifoldRange, manifoldSize)
	noise := make([]float32, 0, 2*manifoldSize*manifoldSize)
	for _, z2 := range u {
		for _, z1 := range u {
			noise = append(noise, float32(z1), float32(z2))
		}
	}
	if v.Manifold, err = t.Generate(noise); err != nil {
		return View{}, fmt.Errorf("pointgan: View: manifold: %w", err)
	}
	v.ManifoldSize = manifoldSize
	return v, nil
}
