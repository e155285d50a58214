package pointgan

import (
	"cmp"
	"fmt"

	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
)

// DefaultWorkers is how many jobs TrainAll trains at the same time unless told otherwise.
// The 2-D networks are so small that one run keeps 2 cores only partly busy: two at a time
// measured 1.4x the throughput of one on a 2-core machine. Results never depend on it:
// every job has its own seed, graphs and variables.
const DefaultWorkers = 2

// Job is one training run of a comparison: a name for tables, a configuration and how
// many iterations (generator steps) to train it.
type Job struct {
	Name       string
	Config     Config
	Iterations int
}

// RunError is the error of one training run among runs that train at the same time
// (TrainAll, experiments.Sweep), so that a caller can find which run failed with
// errors.As.
type RunError struct {
	// Run names the run: the Job's Name for TrainAll, "method on target, seed n" for
	// lesson 3's sweep (experiments.Sweep).
	Run string
	Err error
}

func (e *RunError) Error() string { return fmt.Sprintf("pointgan: run %q: %v", e.Run, e.Err) }

func (e *RunError) Unwrap() error { return e.Err }

// TrainAll trains every job on b, workers at a time (0 means DefaultWorkers), and returns
// the trained trainers in the order of jobs. Each job that fails gives a *RunError that
// names it, joined in the order of jobs.
func TrainAll(b compute.Backend, jobs []Job, workers int) ([]*Trainer, error) {
	if workers < 0 {
		return nil, fmt.Errorf("pointgan: TrainAll needs workers >= 0, got %d", workers)
	}
	out := make([]*Trainer, len(jobs))
	err := train.Parallel(len(jobs), cmp.Or(workers, DefaultWorkers), func(i int) error {
		j := jobs[i]
		if j.Iterations < 0 {
			return &RunError{Run: j.Name, Err: fmt.Errorf("%d iterations; want >= 0", j.Iterations)}
		}
		tr, err := New(b, j.Config)
		if err == nil {
			err = tr.Run(j.Iterations)
		}
		if err != nil {
			return &RunError{Run: j.Name, Err: err}
		}
		out[i] = tr
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
