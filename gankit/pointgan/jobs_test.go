package pointgan_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/train"
)

// TrainAll's trainers do not depend on how many jobs train at once, come back in the
// order of the jobs, and a bad job is named in the error.
func TestTrainAll(t *testing.T) {
	b := testkit.Backend(t)
	ls := gaussianConfig()
	ls.Loss = losses.LeastSquares
	wgan := gaussianConfig()
	wgan.Loss, wgan.Clip = losses.Wasserstein, 0.05
	wgan.GOptimizer, wgan.DOptimizer = train.RMSProp(5e-4), train.RMSProp(5e-4)
	jobs := []pointgan.Job{
		{Name: "GAN", Config: gaussianConfig(), Iterations: 5},
		{Name: "WGAN", Config: wgan, Iterations: 5},
		{Name: "LSGAN", Config: ls, Iterations: 5},
	}
	one, err := pointgan.TrainAll(b, jobs, 1)
	if err != nil {
		t.Fatal(err)
	}
	three, err := pointgan.TrainAll(b, jobs, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := range jobs {
		if got := one[i].Config().Loss; got != j.Config.Loss {
			t.Errorf("job %d (%s): trainer with the %s loss, want %s", i, j.Name, got, j.Config.Loss)
		}
		a, c := one[i].History(), three[i].History()
		if len(a) != 5 || len(c) != 5 {
			t.Fatalf("job %s: %d and %d iterations recorded, want 5", j.Name, len(a), len(c))
		}
		for k := range a {
			if a[k].DLoss != c[k].DLoss || a[k].GLoss != c[k].GLoss {
				t.Errorf("job %s, iteration %d: losses %v with one worker, %v with three", j.Name, k, a[k], c[k])
			}
		}
	}
	// The failing jobs alone: none of them builds a trainer (which costs graph compilations
	// on XLA), and the errors must still name each one, in the order of the jobs.
	badConfig := jobs[1]
	badConfig.Config.BatchSize = -1
	_, err = pointgan.TrainAll(b, []pointgan.Job{badConfig}, 0)
	if re := (*pointgan.RunError)(nil); !errors.As(err, &re) || re.Run != "WGAN" || !strings.Contains(err.Error(), `run "WGAN"`) {
		t.Errorf("TrainAll with a bad config: error %v, want a *RunError naming the job", err)
	}
	negative := pointgan.Job{Name: "negative", Config: jobs[1].Config, Iterations: -1}
	_, err = pointgan.TrainAll(b, []pointgan.Job{negative}, 0)
	if re := (*pointgan.RunError)(nil); !errors.As(err, &re) || re.Run != "negative" || !strings.Contains(err.Error(), "-1 iterations") {
		t.Errorf("TrainAll with negative iterations: error %v", err)
	}
	alsoNegative := pointgan.Job{Name: "also negative", Config: jobs[0].Config, Iterations: -2}
	_, err = pointgan.TrainAll(b, []pointgan.Job{alsoNegative, badConfig, negative}, 2)
	if err == nil || !strings.Contains(err.Error(), `run "also negative": -2 iterations; want >= 0`+"\n"+`pointgan: run "WGAN": `) ||
		!strings.Contains(err.Error(), "\n"+`pointgan: run "negative": -1 iterations`) {
		t.Errorf("TrainAll with three bad jobs: error %v, want each named in order", err)
	}
	if _, err := pointgan.TrainAll(b, jobs, -1); err == nil {
		t.Error("TrainAll with -1 workers: no error")
	}
}

func TestRunError(t *testing.T) {
	cause := errors.New("batch size -1")
	err := fmt.Errorf("lesson 5: %w", &pointgan.RunError{Run: "WGAN-GP", Err: cause})
	var re *pointgan.RunError
	if !errors.As(err, &re) || re.Run != "WGAN-GP" || !errors.Is(err, cause) {
		t.Fatalf("errors.As/Is on %v: %v", err, re)
	}
	if got, want := err.Error(), `lesson 5: pointgan: run "WGAN-GP": batch size -1`; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}
