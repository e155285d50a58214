package experiments

import (
	"errors"
	"testing"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/target"
)

func TestCompareLearnersOnRing(t *testing.T) {
	if testing.Short() {
		t.Skip("trains three learners (about 20 s)")
	}
	b, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	ls, err := CompareLearners(b, target.Ring(8, 2, 0.02), 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		t.Logf("%s: %v; %d steps, %d ascent evaluations, %.1f s", l.Name, l.Report, l.Steps, l.AscentEvals, l.Seconds)
	}
	if err := CheckLearners(ls); err != nil {
		t.Error(err)
	}
	bad := append([]Learner(nil), ls...)
	bad[1].Report.Captured = 2
	if err := CheckLearners(bad); !errors.Is(err, ErrClaim) {
		t.Errorf("D alone with 2 modes: got %v, want ErrClaim", err)
	}
}

func TestDAloneAscendsOnShortRun(t *testing.T) {
	b, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	ring := target.Ring(8, 2, 0.02)
	c := RingDAlone(ring, 1)
	c.Rounds = 5
	res, err := c.Run(b, 100)
	if err != nil {
		t.Fatal(err)
	}
	if want := (5*c.BatchSize + 100) * c.AscentSteps; res.AscentEvals != want || res.DSteps != 5 || len(res.Samples) != 200 {
		t.Errorf("5 rounds: %d ascent evaluations, %d D steps, %d values; want %d, 5, 200", res.AscentEvals, res.DSteps, len(res.Samples), want)
	}
	for _, v := range res.Samples {
		if v < -float32(c.Box) || v > float32(c.Box) {
			t.Fatalf("sample coordinate %g outside the box ±%g", v, c.Box)
		}
	}
}
