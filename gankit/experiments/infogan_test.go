package experiments_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
)

func TestCheckInfoGANRejects(t *testing.T) {
	for _, c := range []struct {
		name string
		r    *experiments.InfoGANResult
		want string
	}{
		{"nil", nil, "before and after"},
		{"one measurement", &experiments.InfoGANResult{At: []int{0}, Agreement: []float64{0.1}}, "before and after"},
	} {
		err := experiments.CheckInfoGAN(c.r, 0.5, 0.5)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v; want an error containing %q", c.name, err, c.want)
		}
		checkClaim(t, c.name, err, c.want)
	}
}

// TestInfoGANLessonPlumbing runs lesson 9's experiment for a few iterations and checks
// CheckInfoGAN on it: the measurements land where the lesson reads them, and the check
// compares them with its thresholds. (The claim is checked by the lesson on its full run.)
func TestInfoGANLessonPlumbing(t *testing.T) {
	if testing.Short() {
		t.Skip("trains and judges lesson 9's InfoGAN")
	}
	r, err := experiments.InfoGANLesson(testBackend(t), "mnist", 4, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.At) != 3 || r.At[1] != 3 || r.At[2] != 4 || len(r.Agreement) != 3 {
		t.Errorf("At = %v, %d agreements; want [0 3 4] and 3", r.At, len(r.Agreement))
	}
	a := r.FinalAgreement()
	if !(a >= 0.1 && a <= 1) {
		t.Errorf("agreement %g: the best relabelling of 10 values is right at least 10%% of the time", a)
	}
	// The agreement is the share of the table that the mapping picks.
	right, total := 0, 0
	for c, row := range r.Table {
		right += row[r.Mapping[c]]
		for _, k := range row {
			total += k
		}
	}
	if total != experiments.InfoGANEvalSamples || math.Abs(float64(right)/float64(total)-a) > 1e-12 {
		t.Errorf("table of %d samples picks %d: %g != agreement %g", total, right, float64(right)/float64(total), a)
	}
	s, e := r.InfoStart(), r.InfoEnd()
	if !(s > 0) || !(e > 0) {
		t.Errorf("L_I start %g, end %g: want positive", s, e)
	}
	if err := experiments.CheckInfoGAN(r, a, 10); err != nil {
		t.Errorf("thresholds at the measured values fail: %v", err)
	}
	if err := experiments.CheckInfoGAN(r, a+0.01, 10); !errors.Is(err, experiments.ErrClaim) || !strings.Contains(err.Error(), "agrees with the classes") {
		t.Errorf("agreement threshold above the measured: got %v", err)
	}
	if err := experiments.CheckInfoGAN(r, 0, 0.5*e/s); !errors.Is(err, experiments.ErrClaim) || !strings.Contains(err.Error(), "mutual-information loss") {
		t.Errorf("L_I ratio threshold below the measured: got %v", err)
	}
}

// TestImageLessonsOnFashion runs lessons 7-9's experiments for 2 iterations on
// Fashion-MNIST, the lessons' one-line switch (dataSet = "fashion"): the data, the
// Fashion classifier and the measurements load and run for that set too.
func TestImageLessonsOnFashion(t *testing.T) {
	if testing.Short() {
		t.Skip("trains and judges lessons 7-9 on Fashion-MNIST")
	}
	b := testBackend(t)
	d, err := experiments.DCGANLesson(b, "fashion", 2, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	c, err := experiments.ConditionalLesson(b, "fashion", 2, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	i, err := experiments.InfoGANLesson(b, "fashion", 2, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if d.Set != "fashion" || c.Set != "fashion" || i.Set != "fashion" {
		t.Errorf("sets %q, %q, %q; want fashion", d.Set, c.Set, i.Set)
	}
	if len(d.FD) != 2 || len(c.Accuracy) != 2 || len(i.Agreement) != 2 {
		t.Errorf("%d FDs, %d accuracies, %d agreements; want 2 each (before and after)", len(d.FD), len(c.Accuracy), len(i.Agreement))
	}
}
