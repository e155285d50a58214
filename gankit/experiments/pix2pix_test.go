package experiments_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/pix2pix"
)

// Lesson 10 runs Pix2PixLesson in full under `make test` and checks its claim there; here
// the check, the layout of the comparison grid and the argument errors.
func TestCheckPix2Pix(t *testing.T) {
	result := func(l1Acc, bothAcc, ganL1, bothL1 float64) *experiments.Pix2PixResult {
		return &experiments.Pix2PixResult{
			Objectives: experiments.Pix2PixObjectives(), // L1 only, cGAN only, cGAN + L1
			Scores: []experiments.ImageScores{
				{L1: 0.048, Accuracy: l1Acc}, {L1: ganL1, Accuracy: 0.71}, {L1: bothL1, Accuracy: bothAcc}},
		}
	}
	for _, r := range [][2]float64{{0.923, 0.940}, {0.930, 0.925}, {0.930, 0.9151}} {
		if err := experiments.CheckPix2Pix(result(r[0], r[1], 0.106, 0.047)); err != nil {
			t.Errorf("measured-like result, L1 alone %.3f, cGAN + L1 %.3f: %v", r[0], r[1], err)
		}
	}
	for _, c := range []struct {
		name string
		r    *experiments.Pix2PixResult
		want string
	}{
		{"far fewer digits than L1", result(0.923, 0.900, 0.106, 0.047), "90.0% of cGAN + L1's outputs as their digit, 92.3% of L1 alone's"},
		{"not above the cGAN", result(0.70, 0.75, 0.106, 0.047), "75.0% of cGAN + L1's outputs as their digit, 71.0% of the cGAN alone's"},
		{"NaN accuracy", result(0.923, math.NaN(), 0.106, 0.047), "NaN% of cGAN + L1's"},
		{"farther than the cGAN", result(0.923, 0.940, 0.05, 0.059), "L1 0.0590 to the targets, the cGAN alone 0.0500"},
		{"nil", nil, "needs a result"},
		{"missing objective", &experiments.Pix2PixResult{Objectives: []pix2pix.Objective{pix2pix.L1Only}, Scores: make([]experiments.ImageScores, 1)}, "no results for cGAN + L1"},
	} {
		err := experiments.CheckPix2Pix(c.r)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
		checkClaim(t, c.name, err, c.want)
	}

	// Comparison: per row the input, the outputs in objective order, the target.
	const px = mnist.Pixels
	img := func(v float32, n int) []float32 {
		out := make([]float32, n*px)
		for i := range out {
			out[i] = v + float32(i/px)/10 // image i of the set: v + i/10
		}
		return out
	}
	test, err := pix2pix.NewPairs("t", img(-1, 2), img(0.5, 2), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &experiments.Pix2PixResult{Test: test, Objectives: experiments.Pix2PixObjectives(),
		Outputs: [][]float32{img(-0.6, 2), img(-0.4, 2), img(-0.2, 2)}}
	images, cols, err := r.Comparison(2)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cols, "|"); got != "input|L1 only|cGAN only|cGAN + L1|target" {
		t.Errorf("columns %s", got)
	}
	want := []float32{-1, -0.6, -0.4, -0.2, 0.5, -0.9, -0.5, -0.3, -0.1, 0.6}
	if len(images) != len(want)*px {
		t.Fatalf("%d values, want %d", len(images), len(want)*px)
	}
	for k, w := range want {
		if d := images[k*px] - w; d > 1e-6 || d < -1e-6 {
			t.Errorf("grid image %d starts with %v, want %v", k, images[k*px], w)
		}
	}
	if _, _, err := r.Comparison(3); err == nil {
		t.Error("Comparison of more pairs than held out: no error")
	}
	if _, err := experiments.Pix2PixLesson(nil, "mnist", 0, 1); err == nil {
		t.Error("Pix2PixLesson with 0 iterations: no error")
	}
}
