package experiments

import (
	"errors"

	"github.com/gankit/kit/gankit/pointgan"
	"golang.org/x/sync/errgroup"
)

// DefaultWorkers is how many runs Sweep and the image lessons train at the same time
// unless told otherwise: pointgan.DefaultWorkers, for the same reason. Results never
// depend on it: every run has its own seed, graphs and variables.
const DefaultWorkers = pointgan.DefaultWorkers

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
