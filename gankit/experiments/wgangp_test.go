package experiments_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/target"
)

// Lesson 5 checks its claim in the notebook with CheckCritics (the lesson runs in
// `make test`); here the check itself.
func TestCheckCritics(t *testing.T) {
	clip := experiments.Critic{AtBound: 0.35, GradNormMean: 0.03}
	gp := experiments.Critic{GradNormMean: 0.98, GradNormSD: 0.2}
	if err := experiments.CheckCritics(clip, gp); err != nil {
		t.Errorf("typical critics: %v", err)
	}
	for _, c := range []struct {
		name     string
		clip, gp experiments.Critic
		want     string
	}{
		{"few weights at the bound", experiments.Critic{AtBound: 0.05, GradNormMean: 0.03}, gp, "5.0% of the critic's weights"},
		{"steep clipped critic", experiments.Critic{AtBound: 0.35, GradNormMean: 0.5}, gp, "clipped critic's mean gradient norm is 0.500"},
		{"penalised critic too flat", clip, experiments.Critic{GradNormMean: 0.6}, "WGAN-GP critic's mean gradient norm is 0.600"},
		{"penalised critic too steep", clip, experiments.Critic{GradNormMean: 1.4}, "1.400"},
	} {
		if err := experiments.CheckCritics(c.clip, c.gp); !errors.Is(err, experiments.ErrClaim) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}

// TrainAll's trainers do not depend on how many runs train at once, come back in the
// order of the runs, and a bad run is named in the error.
func TestTrainAll(t *testing.T) {
	b := testBackend(t)
	ring := target.Ring(8, 2, 0.02)
	runs := experiments.WGANRuns(ring, 1)
	for i := range runs {
		runs[i].Iterations = 5
	}
	one, err := experiments.TrainAll(b, runs, 1)
	if err != nil {
		t.Fatal(err)
	}
	three, err := experiments.TrainAll(b, runs, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range runs {
		if got := one[i].Config().Loss; got != r.Config.Loss {
			t.Errorf("run %d (%s): trainer with the %s loss, want %s", i, r.Name, got, r.Config.Loss)
		}
		a, c := one[i].History(), three[i].History()
		if len(a) != 5 || len(c) != 5 {
			t.Fatalf("run %s: %d and %d iterations recorded, want 5", r.Name, len(a), len(c))
		}
		for k := range a {
			if a[k].DLoss != c[k].DLoss || a[k].GLoss != c[k].GLoss {
				t.Errorf("run %s, iteration %d: losses %v with one worker, %v with three", r.Name, k, a[k], c[k])
			}
		}
	}
	// The failing runs alone: none of them builds a trainer (which costs graph compilations
	// on XLA), and the errors must still name each one, in the order of the runs.
	badConfig := runs[1]
	badConfig.Config.BatchSize = -1
	_, err = experiments.TrainAll(b, []experiments.Run{badConfig}, 0)
	if re := (*experiments.RunError)(nil); !errors.As(err, &re) || re.Run != "WGAN" || !strings.Contains(err.Error(), `run "WGAN"`) {
		t.Errorf("TrainAll with a bad config: error %v, want a *RunError naming the run", err)
	}
	negative := experiments.Run{Name: "negative", Config: runs[1].Config, Iterations: -1}
	_, err = experiments.TrainAll(b, []experiments.Run{negative}, 0)
	if re := (*experiments.RunError)(nil); !errors.As(err, &re) || re.Run != "negative" || !strings.Contains(err.Error(), "-1 iterations") {
		t.Errorf("TrainAll with negative iterations: error %v", err)
	}
	alsoNegative := experiments.Run{Name: "also negative", Config: runs[0].Config, Iterations: -2}
	_, err = experiments.TrainAll(b, []experiments.Run{alsoNegative, badConfig, negative}, 2)
	if err == nil || !strings.Contains(err.Error(), `run "also negative": -2 iterations; want >= 0`+"\n"+`experiments: run "WGAN": `) ||
		!strings.Contains(err.Error(), "\n"+`experiments: run "negative": -1 iterations`) {
		t.Errorf("TrainAll with three bad runs: error %v, want each named in order", err)
	}
	if _, err := experiments.TrainAll(b, runs, -1); err == nil {
		t.Error("TrainAll with -1 workers: no error")
	}
	var names []string
	for _, r := range experiments.FamilyRuns(ring, 1) {
		names = append(names, r.Name+"/"+r.Config.Loss.String())
	}
	if got := strings.Join(names, " "); got != "standard (BCE)/standard (BCE) least squares/least squares hinge/hinge" {
		t.Errorf("FamilyRuns: %s", got)
	}
}
