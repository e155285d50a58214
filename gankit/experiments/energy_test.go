package experiments

import (
	"errors"
	"github.com/gankit/kit/gankit/classifier"
	"github.com/gankit/kit/gankit/mnist"
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

func TestDigitsDAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a 784-pixel discriminator for 200 rounds (about 15 s)")
	}
	b, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	cls, err := classifier.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	set, err := mnist.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	res, err := DigitsDAlone(set.Batch, 1).Run(b, 200)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := Read(cls, res.Samples)
	if err != nil {
		t.Fatal(err)
	}
	real, err := Read(cls, set.Float32(-1, 1)[:200*784])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("D alone on digits: sharpness %.3f (real %.3f), confident %.3f, classes %v, %d ascent evaluations, %.1f s",
		gen.Sharpness, real.Sharpness, gen.Confident, gen.Classes.Counts, res.AscentEvals, res.Seconds)
	if err := CheckDigitsDAlone(gen, real); err != nil {
		t.Error(err)
	}
	if err := CheckDigitsDAlone(real, real); !errors.Is(err, ErrClaim) {
		t.Errorf("real digits as samples: got %v, want ErrClaim", err)
	}
}
