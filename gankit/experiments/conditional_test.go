package experiments_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
)

func TestCheckConditional(t *testing.T) {
	good := &experiments.ConditionalResult{At: []int{0, 500}, Accuracy: []float64{0.1, 0.85}}
	if err := experiments.CheckConditional(good, 0.8); err != nil {
		t.Errorf("a good run fails: %v", err)
	}
	confusion := [][]int{{9, 1}, {5, 5}}
	for _, c := range []struct {
		name string
		r    *experiments.ConditionalResult
		want string
	}{
		{"below", &experiments.ConditionalResult{At: []int{0, 500}, Accuracy: []float64{0.1, 0.7}, Confusion: confusion}, "70.0% of the conditional GAN's samples"},
		{"per label", &experiments.ConditionalResult{At: []int{0, 500}, Accuracy: []float64{0.1, 0.7}, Confusion: confusion}, "0:90% 1:50%"},
		{"NaN", &experiments.ConditionalResult{At: []int{0, 500}, Accuracy: []float64{0.1, math.NaN()}}, "at least 80%"},
		{"no measurement after training", &experiments.ConditionalResult{At: []int{0}, Accuracy: []float64{0.1}}, "before and after"},
		{"nil", nil, "before and after"},
	} {
		err := experiments.CheckConditional(c.r, 0.8)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v; want an error containing %q", c.name, err, c.want)
		}
		checkClaim(t, c.name, err, c.want)
	}
}

// TestConditionalLessonPlumbing runs lesson 8's experiment for 3 iterations: the
// measurements land where the lesson reads them. (The claim is checked by the lesson on
// its full run: see CheckConditional.)
func TestConditionalLessonPlumbing(t *testing.T) {
	if testing.Short() {
		t.Skip("trains and judges lesson 8's conditional GAN")
	}
	r, err := experiments.ConditionalLesson(testBackend(t), "mnist", 3, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.At) != 3 || r.At[1] != 2 || r.At[2] != 3 || len(r.Accuracy) != 3 {
		t.Errorf("At = %v, %d accuracies; want [0 2 3] and 3", r.At, len(r.Accuracy))
	}
	if cfg := r.Trainer.Config(); cfg.GOptimizer.LearningRate != experiments.ConditionalLearningRate || cfg.DOptimizer.LearningRate != experiments.ConditionalLearningRate {
		t.Errorf("learning rates %g, %g; want %g", cfg.GOptimizer.LearningRate, cfg.DOptimizer.LearningRate, experiments.ConditionalLearningRate)
	}
	total := 0
	for w, row := range r.Confusion {
		n := 0
		for _, k := range row {
			n += k
		}
		if n != experiments.ConditionalEvalSamples/10 {
			t.Errorf("label %d has %d samples; want %d", w, n, experiments.ConditionalEvalSamples/10)
		}
		total += row[w]
	}
	if got := float64(total) / experiments.ConditionalEvalSamples; math.Abs(got-r.FinalAccuracy()) > 1e-12 {
		t.Errorf("confusion diagonal %g != final accuracy %g", got, r.FinalAccuracy())
	}
	if len(r.Trainer.Snapshots()) != 3 || r.ItersPerSecond <= 0 {
		t.Errorf("%d snapshots, %g it/s", len(r.Trainer.Snapshots()), r.ItersPerSecond)
	}
	if _, err := experiments.ConditionalLesson(testBackend(t), "mnist", 0, 0, 1); err == nil {
		t.Error("0 iterations: want an error")
	}
}
