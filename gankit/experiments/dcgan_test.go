package experiments_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/metrics"
)

// dcganResult builds a result with the given FDs and class counts.
func dcganResult(fd []float64, counts []int) *experiments.DCGANResult {
	r := &experiments.DCGANResult{Set: "mnist", FD: fd}
	for i := range fd {
		r.At = append(r.At, 250*i)
	}
	labels := []int{}
	for c, n := range counts {
		for range n {
			labels = append(labels, c)
		}
	}
	r.Classes, _ = metrics.ClassHistogram(labels, len(counts), 1)
	return r
}

func TestCheckDCGAN(t *testing.T) {
	all := []int{90, 110, 100, 100, 100, 100, 100, 100, 100, 100}
	if err := experiments.CheckDCGAN(dcganResult([]float64{300, 40, 10}, all), 20, 0.1); err != nil {
		t.Errorf("a good run fails: %v", err)
	}
	for _, c := range []struct {
		name string
		r    *experiments.DCGANResult
		want string
	}{
		{"above the threshold", dcganResult([]float64{300, 25}, all), "above the threshold"},
		{"NaN", dcganResult([]float64{300, math.NaN()}, all), "above the threshold"},
		{"not far below untrained", dcganResult([]float64{150, 19}, all), "not below"},
		{"a missing class", dcganResult([]float64{300, 10}, []int{100, 100, 100, 0, 100, 100, 100, 100, 100, 100}), "missing [3]"},
		{"no measurement after training", dcganResult([]float64{300}, all), "before and after"},
		{"nil", nil, "before and after"},
	} {
		err := experiments.CheckDCGAN(c.r, 20, 0.1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v; want an error containing %q", c.name, err, c.want)
		}
		checkClaim(t, c.name, err, c.want)
	}
}

// TestDCGANLessonPlumbing runs the lesson's experiment for 3 iterations: the
// measurements land where the lesson reads them. (The claim itself is checked by the
// lesson, on its full run: see CheckDCGAN.)
func TestDCGANLessonPlumbing(t *testing.T) {
	if testing.Short() {
		t.Skip("trains and judges lesson 7's DCGAN")
	}
	r, err := experiments.DCGANLesson(testBackend(t), "mnist", 3, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 2, 3}; len(r.At) != 3 || r.At[0] != want[0] || r.At[1] != want[1] || r.At[2] != want[2] {
		t.Errorf("At = %v; want %v", r.At, want)
	}
	if len(r.FD) != len(r.At) {
		t.Fatalf("%d FDs for %d iterations", len(r.FD), len(r.At))
	}
	snaps := r.Trainer.Snapshots()
	if len(snaps) != 3 || snaps[0].Iteration != 0 || snaps[2].Iteration != 3 {
		t.Errorf("snapshots at %v; want 0, 2, 3", snaps)
	}
	if got := len(r.Trainer.History()); got != 3 {
		t.Errorf("history has %d records; want 3", got)
	}
	if r.Classes.N != experiments.DCGANEvalSamples || len(r.Classes.Counts) != 10 {
		t.Errorf("class histogram of %d samples over %d classes; want %d over 10", r.Classes.N, len(r.Classes.Counts), experiments.DCGANEvalSamples)
	}
	// Two sets of real digits are close; an untrained generator's noise is far.
	if !(r.RealFD >= 0 && r.RealFD < r.UntrainedFD()/10) {
		t.Errorf("real-vs-real FD %.2f, untrained FD %.2f: want the real one far below", r.RealFD, r.UntrainedFD())
	}
	if r.ItersPerSecond <= 0 {
		t.Errorf("ItersPerSecond = %g", r.ItersPerSecond)
	}
	if _, err := experiments.DCGANLesson(testBackend(t), "mnist", 0, 0, 1); err == nil {
		t.Error("0 iterations: want an error")
	}
	if _, err := experiments.DCGANLesson(testBackend(t), "nope", 1, 0, 1); err == nil {
		t.Error("unknown set: want an error")
	}
}
