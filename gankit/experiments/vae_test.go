package experiments_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
)

// Lesson 12 runs VAELesson in full under `make test` and checks its claim there; here the
// check, LatentPath and the argument errors.
func TestVAELessonPieces(t *testing.T) {
	good := func() *experiments.VAEResult {
		return &experiments.VAEResult{ELBOStart: -400, ELBOEnd: -120, CVAEAccuracy: 0.9,
			VAESamples: experiments.SampleScores{FD: 300, Sharpness: 0.3}, AESamples: experiments.SampleScores{FD: 900, Sharpness: 0.4},
			GANSamples: experiments.SampleScores{FD: 600, Sharpness: 0.5}}
	}
	if err := experiments.CheckVAE(good(), 100, 0.5); err != nil {
		t.Errorf("measured-like result: %v", err)
	}
	for _, c := range []struct {
		name  string
		spoil func(r *experiments.VAEResult)
		want  string
	}{
		{"small gain", func(r *experiments.VAEResult) { r.ELBOEnd = -350 }, "from -400.0 to -350.0"},
		{"sharp VAE", func(r *experiments.VAEResult) { r.VAESamples.Sharpness = 0.6 }, "VAE samples have sharpness 0.6000"},
		{"good auto-encoder samples", func(r *experiments.VAEResult) { r.AESamples.FD = 200 }, "FD 200.0 with the auto-encoder"},
		{"disobedient CVAE", func(r *experiments.VAEResult) { r.CVAEAccuracy = 0.3 }, "30.0% of the CVAE's samples"},
	} {
		r := good()
		c.spoil(r)
		err := experiments.CheckVAE(r, 100, 0.5)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
		checkClaim(t, c.name, err, c.want)
	}
	if err := experiments.CheckVAE(nil, 100, 0.5); err == nil || errors.Is(err, experiments.ErrClaim) || !strings.Contains(err.Error(), "needs a result") {
		t.Errorf("CheckVAE(nil): %v", err)
	}
	if _, err := experiments.VAELesson(nil, "mnist", experiments.VAEWindow-1, 1); err == nil {
		t.Error("VAELesson with too few iterations: no error")
	}
}
