package experiments_test

import (
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/metrics"
)

// Lesson 4 checks its claim in the notebook with CheckWGANClip (the lesson runs in
// `make test`); here the check itself.
func TestCheckWGANClip(t *testing.T) {
	falling := func(from, to float64) []float64 {
		w := make([]float64, 300)
		for i := range w {
			w[i] = from + (to-from)*float64(i)/float64(len(w)-1)
		}
		return w
	}
	six := metrics.ModeReport{Captured: 6, Modes: 8}
	for _, c := range []struct {
		name string
		w    []float64
		r    metrics.ModeReport
		want string // "" for no error
	}{
		{"holds", falling(1, 0.1), six, ""},
		{"estimate only a third lower", falling(0.9, 0.6), six, "at least halved"},
		{"estimate negative", falling(1, -0.5), six, "positive"},
		{"too few modes", falling(1, 0.1), metrics.ModeReport{Captured: 4, Modes: 8}, "4 of 8 ring modes"},
		{"too short", falling(1, 0.1)[:150], six, "at least 200"},
	} {
		err := experiments.CheckWGANClip(c.w, c.r)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
		checkClaim(t, c.name, err, c.want)
	}
}
