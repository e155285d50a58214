package pointgan_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
)

// ringConfig is a small ring-of-8 GAN with 2-D noise, so that View has a manifold.
func ringConfig() pointgan.Config {
	return pointgan.Config{
		Target:          target.Ring(8, 2, 0.05),
		Generator:       nets.Generator(2, []int{32, 32}, 2),
		Discriminator:   nets.Discriminator(2, []int{32, 32}),
		BatchSize:       128,
		DSteps:          1,
		GOptimizer:      train.Adam(1e-3, 0.5, 0.999),
		DOptimizer:      train.Adam(1e-3, 0.5, 0.999),
		Seed:            3,
		SnapshotSamples: 300,
		GridSize:        30,
	}
}

func TestViewShapes(t *testing.T) {
	tr, err := pointgan.New(testkit.Backend(t), ringConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(5); err != nil {
		t.Fatal(err)
	}
	real := target.Ring(8, 2, 0.05).Sample(target.NewRand(1), 100)
	v, err := tr.View(real, 11)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want int
	}{
		{"Iteration", v.Iteration, 5},
		{"Dim", v.Dim, 2},
		{"len(Real)", len(v.Real), 200},
		{"len(Samples)", len(v.Samples), 600},
		{"len(Gradients)", len(v.Gradients), 600},
		{"len(GridX)", len(v.GridX), 30},
		{"len(GridY)", len(v.GridY), 30},
		{"len(D)", len(v.D), 900},
		{"ManifoldSize", v.ManifoldSize, 11},
		{"len(Manifold)", len(v.Manifold), 11 * 11 * 2},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	for i, g := range v.Gradients {
		if math.IsNaN(float64(g)) || math.IsInf(float64(g), 0) {
			t.Fatalf("gradient %d is %v", i, g)
		}
	}
	// Real is a copy, not an alias of the caller's slice.
	real[0] = 99
	if v.Real[0] == 99 {
		t.Error("View.Real aliases the caller's slice")
	}
	// The manifold is G on the noise grid: its corners are G at (±2, ±2).
	corners, err := tr.Generate([]float32{-2, -2, 2, -2, -2, 2, 2, 2})
	if err != nil {
		t.Fatal(err)
	}
	for k, rc := range [][2]int{{0, 0}, {0, 10}, {10, 0}, {10, 10}} {
		p := v.ManifoldPoint(rc[0], rc[1])
		for j := range 2 {
			if d := math.Abs(float64(p[j] - corners[2*k+j])); d > 1e-5 {
				t.Errorf("manifold point %v coordinate %d = %g, G(corner) = %g", rc, j, p[j], corners[2*k+j])
			}
		}
	}
	// The same real batch when none is given, and no manifold when not asked for.
	a, err := tr.View(nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := tr.View(nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Real) != 600 || a.Manifold != nil || a.ManifoldSize != 0 {
		t.Errorf("View(nil, 0): %d real values, manifold of %d values (size %d); want 600, none", len(a.Real), len(a.Manifold), a.ManifoldSize)
	}
	for i := range a.Real {
		if a.Real[i] != b.Real[i] {
			t.Fatalf("View(nil, 0) drew different real samples at two calls (value %d)", i)
		}
	}
}

func TestViewErrorsAndSkips(t *testing.T) {
	b := testkit.Backend(t)
	tr, err := pointgan.New(b, ringConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		real []float32
		size int
		want string
	}{
		{[]float32{1, 2, 3}, 0, "whole number"},
		{nil, 1, "manifold size 1"},
		{nil, -3, "manifold size -3"},
	} {
		if _, err := tr.View(tc.real, tc.size); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("View(%v, %d) error = %v, want one mentioning %q", tc.real, tc.size, err, tc.want)
		}
	}

	// 4-D noise: no manifold, the rest as usual.
	cfg := ringConfig()
	cfg.Generator = nets.Generator(4, []int{16}, 2)
	tr4, err := pointgan.New(b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	v, err := tr4.View(nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if v.Manifold != nil || v.ManifoldSize != 0 || len(v.Gradients) != 600 {
		t.Errorf("4-D noise: manifold %d values (size %d), %d gradients; want none and 600", len(v.Manifold), v.ManifoldSize, len(v.Gradients))
	}

	// A fixed Fake: no generator, so no manifold, but D's gradients still show where a
	// generator would be pushed.
	fake, err := target.NewMixture("blob", [][]float64{{0, 0}}, []float64{0.5}, []float64{1})
	if err != nil {
		t.Fatal(err)
	}
	cfg = ringConfig()
	cfg.Generator, cfg.Fake = nil, fake
	trF, err := pointgan.New(b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	v, err = trF.View(nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if v.Manifold != nil || len(v.Samples) != 600 || len(v.Gradients) != 600 {
		t.Errorf("fixed Fake: manifold %d values, %d samples, %d gradients; want none, 600, 600", len(v.Manifold), len(v.Samples), len(v.Gradients))
	}
}

// GAN Lab's arrows: with a trained D, a small step along each arrow raises D at the
// generated sample, on average and for most samples.
func TestViewArrowsClimbD(t *testing.T) {
	tr, err := pointgan.New(testkit.Backend(t), ringConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(100); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.TrainD(100); err != nil { // A D that clearly tells the two apart.
		t.Fatal(err)
	}
	v, err := tr.View(nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	const step = 0.01 // Each sample moves by this distance along its arrow.
	n := len(v.Samples) / 2
	moved := make([]float32, 0, len(v.Samples))
	for i := range n {
		gx, gy := float64(v.Gradients[2*i]), float64(v.Gradients[2*i+1])
		norm := math.Hypot(gx, gy)
		if norm == 0 {
			norm = 1
		}
		moved = append(moved, v.Samples[2*i]+float32(step*gx/norm), v.Samples[2*i+1]+float32(step*gy/norm))
	}
	before, err := tr.Discriminate(v.Samples)
	if err != nil {
		t.Fatal(err)
	}
	after, err := tr.Discriminate(moved)
	if err != nil {
		t.Fatal(err)
	}
	var gain, meanD float64
	up := 0
	for i := range n {
		gain += after[i] - before[i]
		meanD += before[i]
		if after[i] > before[i] {
			up++
		}
	}
	gain /= float64(n)
	meanD /= float64(n)
	t.Logf("mean D(G(z)) = %.3f; a step of %g along the arrows raises it by %.2e on average, for %d of %d samples", meanD, step, gain, up, n)
	if gain <= 0 || up < n*9/10 {
		t.Errorf("a step along the arrows changes D by %.2e on average and raises it for %d of %d samples; want > 0 and >= 90%%", gain, up, n)
	}
}

// A View of a ring-of-8 GAN with 2-D noise, for plots.GANLab.
func ExampleTrainer_View() {
	tr, err := pointgan.New(nil, ringConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := tr.Run(10); err != nil {
		fmt.Println(err)
		return
	}
	v, err := tr.View(nil, 15) // 15 x 15 noise points in [-2, 2]².
	if err != nil {
		fmt.Println(err)
		return
	}
	// Prints 10 300 300 900 225: the iteration, 300 samples and arrows, D on a 30 x 30
	// grid and 225 manifold points. (No Output check: creating the backend prints a line.)
	fmt.Println(v.Iteration, len(v.Samples)/v.Dim, len(v.Gradients)/v.Dim, len(v.D), len(v.Manifold)/v.Dim)
}

func TestSteps(t *testing.T) {
	tr, err := pointgan.New(testkit.Backend(t), ringConfig())
	if err != nil {
		t.Fatal(err)
	}
	before, err := tr.View(nil, 5)
	if err != nil {
		t.Fatal(err)
	}
	// D only: the generator does not move.
	r, err := tr.Steps(3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if r.DSteps != 3 || r.GSteps != 0 || r.D.Loss == 0 {
		t.Errorf("Steps(3, 0) = %+v, want 3 D steps with a loss and no G step", r)
	}
	dOnly, err := tr.View(nil, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before.Samples, dOnly.Samples) || !slices.Equal(before.Manifold, dOnly.Manifold) {
		t.Error("D steps moved the generated samples")
	}
	if slices.Equal(before.D, dOnly.D) {
		t.Error("D steps left D unchanged")
	}
	// G only: D does not change, the samples move.
	if r, err = tr.Steps(0, 2); err != nil {
		t.Fatal(err)
	}
	if r.GSteps != 2 || r.DSteps != 0 || r.GLoss == 0 {
		t.Errorf("Steps(0, 2) = %+v, want 2 G steps with a loss", r)
	}
	gOnly, err := tr.View(nil, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(dOnly.D, gOnly.D) {
		t.Error("G steps changed D")
	}
	if slices.Equal(dOnly.Samples, gOnly.Samples) {
		t.Error("G steps left the generated samples where they were")
	}
	if tr.Iteration() != 0 || len(tr.History()) != 0 {
		t.Errorf("Steps advanced Iteration to %d with %d records; want 0, 0", tr.Iteration(), len(tr.History()))
	}
	if _, err := tr.Steps(-1, 0); err == nil {
		t.Error("Steps(-1, 0): want an error")
	}
}
