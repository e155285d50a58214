package experiments

import (
	"errors"
	"fmt"
	"sync"

	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gomlx/compute"
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
// the trained trainers in the order of runs. A run that fails is named in the error.
func TrainAll(b compute.Backend, runs []Run, workers int) ([]*pointgan.Trainer, error) {
	if workers < 0 {
		return nil, fmt.Errorf("experiments: TrainAll needs workers >= 0, got %d", workers)
	}
	out := make([]*pointgan.Trainer, len(runs))
	err := parallel(len(runs), workers, func(i int) error {
		r := runs[i]
		if r.Iterations < 0 {
			return fmt.Errorf("experiments: run %q has %d iterations; want >= 0", r.Name, r.Iterations)
		}
		tr, err := pointgan.New(b, r.Config)
		if err == nil {
			err = tr.Run(r.Iterations)
		}
		if err != nil {
			return fmt.Errorf("experiments: run %q: %w", r.Name, err)
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
// their errors.
func parallel(n, workers int, f func(i int) error) error {
	if workers == 0 {
		workers = DefaultWorkers
	}
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}
