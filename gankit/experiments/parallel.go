package experiments

import (
	"errors"
	"fmt"

	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gomlx/compute"
	"golang.org/x/sync/errgroup"
)

// DefaultWorkers is how many runs Sweep and TrainAll train at the same time unless told
// otherwise. The 2-D networks are so small that one run keeps 2 cores only partly busy:
// two at a time measured 1.4x the throughput of one on a 2-core machine. Results never
// depend on it: every run has its own seed, graphs and variables.
const DefaultWorkers = 2

// Run is one training run of a comparison: a name for tables, a configuration and how
// many iterations (generator steps) to train it.
type Run struct {
	Name       string
	Config     pointgan.Config
	Iterations int
}

// TrainAll trains every run on b, workers at a time (0 means DefaultWorkers), and returns
// the trained trainers in the order of runs. Each run that fails gives a *RunError that
// names it, joined in the order of runs.
func TrainAll(b compute.Backend, runs []Run, workers int) ([]*pointgan.Trainer, error) {
	if workers < 0 {
		return nil, fmt.Errorf("experiments: TrainAll needs workers >= 0, got %d", workers)
	}
	out := make([]*pointgan.Trainer, len(runs))
	err := parallel(len(runs), workers, func(i int) error {
		r := runs[i]
		if r.Iterations < 0 {
			return &RunError{Run: r.Name, Err: fmt.Errorf("%d iterations; want >= 0", r.Iterations)}
		}
		tr, err := pointgan.New(b, r.Config)
		if err == nil {
			err = tr.Run(r.Iterations)
		}
		if err != nil {
			return &RunError{Run: r.Name, Err: err}
		}
		out[i] = tr
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// parallel calls f(0), ..., f(n-1), workers at a time (0 means DefaultWorkers), and joins
// their errors in the order of i. errgroup bounds the goroutines; each f reports into its
// own slot rather than through the group, so that every failed run is named, in a
// deterministic order, and not only the first one to fail.
func parallel(n, workers int, f func(i int) error) error {
	if workers == 0 {
		workers = DefaultWorkers
	}
	errs := make([]error, n)
	var g errgroup.Group
	g.SetLimit(workers)
	for i := range n {
		g.Go(func() error {
			errs[i] = f(i)
			return nil
		})
	}
	_ = g.Wait() // every f returns nil to the group; the errors are in errs
	return errors.Join(errs...)
}
