package experiments_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
)

// Lesson 5 checks its claim in the notebook with CheckCritics (the lesson runs in
// `make test`); here the check itself.
func TestCheckCritics(t *testing.T) {
	clip := pointgan.CriticReport{AtBound: 0.35, GradNormMean: 0.03}
	gp := pointgan.CriticReport{GradNormMean: 0.98, GradNormSD: 0.2}
	if err := experiments.CheckCritics(clip, gp); err != nil {
		t.Errorf("typical critics: %v", err)
	}
	for _, c := range []struct {
		name     string
		clip, gp pointgan.CriticReport
		want     string
	}{
		{"few weights at the bound", pointgan.CriticReport{AtBound: 0.05, GradNormMean: 0.03}, gp, "5.0% of the critic's weights"},
		{"steep clipped critic", pointgan.CriticReport{AtBound: 0.35, GradNormMean: 0.5}, gp, "clipped critic's mean gradient norm is 0.500"},
		{"penalised critic too flat", clip, pointgan.CriticReport{GradNormMean: 0.6}, "WGAN-GP critic's mean gradient norm is 0.600"},
		{"penalised critic too steep", clip, pointgan.CriticReport{GradNormMean: 1.4}, "1.400"},
	} {
		if err := experiments.CheckCritics(c.clip, c.gp); !errors.Is(err, experiments.ErrClaim) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}

// Lesson 5 checks its shifted-copy claim with CheckShiftedCritic; here the check itself.
func TestCheckShiftedCritic(t *testing.T) {
	if err := experiments.CheckShiftedCritic(0.517, 0.5, pointgan.CriticReport{GradNormMean: 1.029}); err != nil {
		t.Errorf("a critic near W1 with slope near 1: %v", err)
	}
	for _, c := range []struct {
		name  string
		score float64
		slope float64
		want  string
	}{
		{"score too low", 0.3, 1, "score is 0.300"},
		{"score too high", 0.6, 1, "score is 0.600"},
		{"too flat", 0.5, 0.8, "gradient norm is 0.800"},
	} {
		err := experiments.CheckShiftedCritic(c.score, 0.5, pointgan.CriticReport{GradNormMean: c.slope})
		if !errors.Is(err, experiments.ErrClaim) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}

// FamilyRuns are lesson 6's three loss families, named after them.
func TestFamilyRuns(t *testing.T) {
	ring := target.Ring(8, 2, 0.02)
	var names []string
	for _, r := range experiments.FamilyRuns(ring, 1) {
		names = append(names, r.Name+"/"+r.Config.Loss.String())
	}
	if got := strings.Join(names, " "); got != "standard (BCE)/standard (BCE) least squares/least squares hinge/hinge" {
		t.Errorf("FamilyRuns: %s", got)
	}
}
