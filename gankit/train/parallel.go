package train

import (
	"errors"

	"golang.org/x/sync/errgroup"
)

// Parallel calls f(0), ..., f(n-1), at most workers at a time (workers < 1 means one),
// and returns their errors joined in the order of i. It is how several training runs
// share the cores: each run has its own seed, graphs and variables, so the results do not
// depend on workers. errgroup bounds the goroutines; each f reports into its own slot
// rather than through the group, so that every failed run is named, in a deterministic
// order, and not only the first one to fail.
func Parallel(n, workers int, f func(i int) error) error {
	errs := make([]error, n)
	var g errgroup.Group
	g.SetLimit(max(workers, 1))
	for i := range n {
		g.Go(func() error {
			errs[i] = f(i)
			return nil
		})
	}
	_ = g.Wait() // every f returns nil to the group; the errors are in errs
	return errors.Join(errs...)
}
