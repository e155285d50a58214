package loop

import (
	"fmt"
	"math"
	"time"

	"github.com/gomlx/gomlx/core/tensors"
)

// Run counts the completed iterations of one training run, times them and keeps the
// error that stopped it. The zero Run is ready to use: no iteration, no error.
type Run struct {
	// Name prefixes the errors Run writes itself (Repeat's), e.g. "vae".
	Name string

	iteration int
	start     time.Time
	trainTime time.Duration // time of the iterations after the first (which compiles)
	err       error         // sticky: set by Fail
}

// Iteration is the number of completed iterations (End calls).
func (r *Run) Iteration() int { return r.iteration }

// Err is the error that stopped the run (set by Fail), or nil.
func (r *Run) Err() error { return r.err }

// Begin starts an iteration: it returns the sticky error, if Fail has set one, and
// otherwise starts the clock.
func (r *Run) Begin() error {
	if r.err != nil {
		return r.err
	}
	r.start = time.Now()
	return nil
}

// End completes the iteration begun by Begin: it counts it and, from the second one on,
// adds its wall time since Begin to the training time.
func (r *Run) End() {
	r.iteration++
	if r.iteration > 1 {
		r.trainTime += time.Since(r.start)
	}
}

// Fail records err as the sticky error, which Err and every later Begin return, and
// returns it.
func (r *Run) Fail(err error) error {
	r.err = err
	return err
}

// ItersPerSecond is the measured training speed: completed iterations per second of wall
// time between Begin and End, the first iteration (which builds and compiles the graphs)
// left out. It is 0 before the second iteration.
func (r *Run) ItersPerSecond() float64 {
	if r.iteration < 2 || r.trainTime <= 0 {
		return 0
	}
	return float64(r.iteration-1) / r.trainTime.Seconds()
}

// Repeat calls step n times, stopping at the first error, which it returns as it is.
// observe, if not nil, is called before the first step and after each one (the place for
// snapshots); its errors stop the loop too. A negative n is an error, and nothing runs.
func (r *Run) Repeat(n int, step, observe func() error) error {
	if n < 0 {
		if r.Name != "" {
			return fmt.Errorf("%s: cannot run %d iterations", r.Name, n)
		}
		return fmt.Errorf("cannot run %d iterations", n)
	}
	if observe == nil {
		observe = func() error { return nil }
	}
	if err := observe(); err != nil {
		return err
	}
	for range n {
		if err := step(); err != nil {
			return err
		}
		if err := observe(); err != nil {
			return err
		}
	}
	return nil
}

// Diverged reports whether any of losses shows a diverged run: NaN, infinite, or above
// limit in absolute value. With limit = math.Inf(1) it checks finiteness only.
func Diverged(limit float64, losses ...float64) bool {
	for _, v := range losses {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > limit {
			return true
		}
	}
	return false
}

// Scalar is the value of a scalar float32 or float64 tensor, such as a step's loss, as a
// float64; NaN for any other dtype (which Diverged then reports).
func Scalar(x *tensors.Tensor) float64 {
	switch v := x.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	return math.NaN()
}

// Chunks calls eval on the consecutive ranges [start, end) that split n items into pieces
// of size items, the last one shorter when size does not divide n: [0, size),
// [size, 2·size), ..., [k·size, n). With n = 0 it calls nothing. The first error stops it
// and is returned wrapped with the range it failed on. size must be positive.
func Chunks(n, size int, eval func(start, end int) error) error {
	if size < 1 {
		return fmt.Errorf("loop: chunk size %d, want >= 1", size)
	}
	for start := 0; start < n; start += size {
		end := min(n, start+size)
		if err := eval(start, end); err != nil {
			return fmt.Errorf("items [%d, %d) of %d: %w", start, end, n, err)
		}
	}
	return nil
}

// Collect is Chunks for an evaluation whose every chunk gives one float32 tensor (a
// model.Exec's Call1, say): eval returns the tensor of items [start, end), and Collect
// returns the tensors' flat data, concatenated in order. Errors are Chunks'.
func Collect(n, size int, eval func(start, end int) (*tensors.Tensor, error)) ([]float32, error) {
	var out []float32
	err := Chunks(n, size, func(start, end int) error {
		res, err := eval(start, end)
		if err != nil {
			return err
		}
		out = append(out, tensors.MustCopyFlatData[float32](res)...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
