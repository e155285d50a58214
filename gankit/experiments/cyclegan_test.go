package experiments_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/cyclegan"
	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/mnist"
)

// Lesson 11 runs CycleGANLesson in full under `make test` and checks its claim there; here
// the check, the threshold, the layout of the comparison grid and the argument errors.
func TestCheckCycleGAN(t *testing.T) {
	type s = experiments.TranslationScores
	result := func(trained [2]s) *experiments.CycleGANResult {
		return &experiments.CycleGANResult{
			Untrained: [2]s{{DomainRate: 0.04, Accuracy: 0.98, CycleL1: 0.082}, {DomainRate: 0.19, Accuracy: 0.91, CycleL1: 0.120}},
			Trained:   trained,
		}
	}
	measured := [2]s{{DomainRate: 0.58, Accuracy: 0.958, CycleL1: 0.029}, {DomainRate: 0.65, Accuracy: 0.964, CycleL1: 0.029}}
	if err := experiments.CheckCycleGAN(result(measured)); err != nil {
		t.Errorf("measured-like result: %v", err)
	}
	change := func(dir int, f func(*s)) [2]s {
		out := measured
		f(&out[dir])
		return out
	}
	for _, c := range []struct {
		name string
		r    *experiments.CycleGANResult
		want string
	}{
		{"stays thin", result(change(0, func(x *s) { x.DomainRate = 0.3 })), "A -> B (thicken): 30.0% of translations look like the target domain (untrained 4.0%)"},
		{"no better than untrained", result(change(1, func(x *s) { x.DomainRate = 0.19 })), "B -> A (thin): 19.0%"},
		{"loses the digit", result(change(1, func(x *s) { x.Accuracy = 0.5 })), "B -> A (thin): the classifier reads 50.0%"},
		{"does not come back", result(change(0, func(x *s) { x.CycleL1 = 0.07 })), "A -> B (thicken): reconstructions after a cycle are 0.0700 per pixel from the inputs (untrained 0.0820)"},
		{"NaN", result(change(0, func(x *s) { x.CycleL1 = math.NaN() })), "reconstructions after a cycle are NaN"},
		{"nil", nil, "needs a result"},
	} {
		err := experiments.CheckCycleGAN(c.r)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
		checkClaim(t, c.name, err, c.want)
	}
}

func TestCycleGANComparison(t *testing.T) {
	const px = mnist.Pixels
	// image i of a set: its first ink pixels bright, the rest background, and pixel 1 = v + i/10
	img := func(v float32, ink, n int) []float32 {
		out := make([]float32, n*px)
		for i := range out {
			out[i] = -1
			if i%px < ink {
				out[i] = 1
			}
			if i%px == 0 {
				out[i] = v + float32(i/px)/10
			}
		}
		return out
	}
	// A: 2 images with 100 bright pixels, B: 3 with 300 (pixel 0 brighter than 0 in both).
	d, err := cyclegan.NewDomains("a", img(0.1, 100, 2), nil, "b", img(0.5, 300, 3), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &experiments.CycleGANResult{Test: d,
		Translated:    [2][]float32{img(-0.6, 0, 2), img(-0.4, 0, 3)},
		Reconstructed: [2][]float32{img(-0.2, 0, 2), img(0.2, 0, 3)}}
	images, cols, err := r.Comparison(2)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cols, "|"); got != "a|G_AB(a)|G_BA(G_AB(a))|b|G_BA(b)|G_AB(G_BA(b))" {
		t.Errorf("columns %s", got)
	}
	want := []float32{0.1, -0.6, -0.2, 0.5, -0.4, 0.2, 0.2, -0.5, -0.1, 0.6, -0.3, 0.3}
	if len(images) != len(want)*px {
		t.Fatalf("%d values, want %d", len(images), len(want)*px)
	}
	for k, w := range want {
		if d := images[k*px] - w; d > 1e-6 || d < -1e-6 {
			t.Errorf("grid image %d starts with %v, want %v", k, images[k*px], w)
		}
	}
	if _, _, err := r.Comparison(3); err == nil {
		t.Error("Comparison of more images than domain A holds: no error")
	}
	if _, err := experiments.CycleGANLesson(nil, "mnist", 0, 1); err == nil {
		t.Error("CycleGANLesson with 0 iterations: no error")
	}
}

// TestCycleGANLessonOnFashion runs lesson 11's experiment for 2 iterations on
// Fashion-MNIST, the lesson's one-line switch: the domains, the scores before and after
// training and the grid come out whole for that set too.
func TestCycleGANLessonOnFashion(t *testing.T) {
	if testing.Short() {
		t.Skip("trains and judges lesson 11's CycleGAN on Fashion-MNIST")
	}
	r, err := experiments.CycleGANLesson(testBackend(t), "fashion", 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	const px = mnist.Pixels
	n := experiments.CycleGANEvalImages
	if r.Test.NA() != n || r.Test.NB() != n || len(r.Translated[0]) != n*px || len(r.Reconstructed[1]) != n*px || len(r.Trainer.History()) != 2 {
		t.Fatalf("held out %d and %d images, %d and %d values translated and reconstructed, %d records; want %d images and 2 records",
			r.Test.NA(), r.Test.NB(), len(r.Translated[0]), len(r.Reconstructed[1]), len(r.Trainer.History()), n)
	}
	// Thickening adds ink, so most thick items sit above the threshold and most plain ones below.
	if !(r.Threshold > 0 && r.Untranslated[0].DomainRate < 0.5 && r.Untranslated[1].DomainRate < 0.5 && r.Dilated.DomainRate > 0.5) {
		t.Errorf("threshold %.3f; untranslated rates %.3f, %.3f; dilated %.3f", r.Threshold,
			r.Untranslated[0].DomainRate, r.Untranslated[1].DomainRate, r.Dilated.DomainRate)
	}
	for dir, s := range r.Untrained {
		if !(s.CycleL1 > 0 && s.Accuracy > 0.1) {
			t.Errorf("direction %d untrained: %+v; want a cycle L1 above 0 and an accuracy above chance", dir, s)
		}
	}
}
