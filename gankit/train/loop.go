package train

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// MaxLoss is the divergence limit of a Loop whose MaxLoss is 0. The kit's GAN losses are
// cross-entropies of about |logit| when D is wrong, so a loss above 1e6 means logits
// beyond ±1e6: sigmoid is exactly 0 or 1 in float32 and the weights have blown up, usually
// on the way to Inf and NaN. Adam moves each weight by up to the learning rate per step,
// so an absurd learning rate makes the weights huge while they can stay finite for many
// steps; a finiteness check alone would not see it.
const MaxLoss = 1e6

// Errors of a Loop, for errors.Is.
var (
	// ErrDiverged is wrapped by the error of Guard: a loss was NaN, infinite or too large.
	ErrDiverged = errors.New("training diverged")
	// ErrNoSnapshot is returned by Run when snapshots are asked for and the model takes
	// none.
	ErrNoSnapshot = errors.New("no snapshot function")
	// ErrNegative is returned by Run for a negative number of iterations.
	ErrNegative = errors.New("negative number of iterations")
)

// Loop is the bookkeeping of one training run of a model whose iterations produce
// records of type R and whose snapshots have type S (use struct{} for a model without
// snapshots). The zero Loop is ready to use; set Name, and MaxLoss and Advice if the
// defaults do not fit, before the first iteration.
type Loop[R, S any] struct {
	// Name prefixes the errors Loop writes, e.g. "vae".
	Name string
	// MaxLoss is the largest |loss| Guard accepts; 0 means the package's MaxLoss, and
	// math.Inf(1) checks finiteness only (losses with no natural scale).
	MaxLoss float64
	// Advice ends a divergence error: what to change, e.g. "lower the learning rates
	// (DCGAN uses 2e-4)".
	Advice string

	iteration int
	start     time.Time
	trainTime time.Duration // time of the iterations after the first (which compiles)
	err       error         // sticky: set by Fail

	history   []R
	snapshots []S
	snapAt    []int // iteration of each snapshot
}

// Iteration is the number of completed iterations.
func (l *Loop[R, S]) Iteration() int { return l.iteration }

// Err is the error that stopped the run, or nil.
func (l *Loop[R, S]) Err() error { return l.err }

// History is the record of every completed iteration, in order.
func (l *Loop[R, S]) History() []R { return l.history }

// Snapshots are the snapshots taken so far, in order.
func (l *Loop[R, S]) Snapshots() []S { return l.snapshots }

// ItersPerSecond is the measured training speed: completed iterations per second of the
// time spent in Iterate, the first iteration (which builds and compiles the graphs) left
// out. It is 0 before the second iteration.
func (l *Loop[R, S]) ItersPerSecond() float64 {
	if l.iteration < 2 || l.trainTime <= 0 {
		return 0
	}
	return float64(l.iteration-1) / l.trainTime.Seconds()
}

// Fail records err as the sticky error, which Err and every later Iterate return, and
// returns it. A nil err changes nothing.
func (l *Loop[R, S]) Fail(err error) error {
	if err != nil {
		l.err = err
	}
	return err
}

// Guard checks one loss of the iteration in progress (or of a step run on its own, such
// as a discriminator-only step): if it is NaN, infinite or above the limit in absolute
// value, it fails the run with an error wrapping ErrDiverged that names what, the value,
// the iteration and Advice. It returns nil for a healthy loss.
func (l *Loop[R, S]) Guard(what string, loss float64) error {
	limit := l.MaxLoss
	if limit == 0 {
		limit = MaxLoss
	}
	if !Diverged(limit, loss) {
		return nil
	}
	bound := "finite"
	if !math.IsInf(limit, 1) {
		bound = fmt.Sprintf("finite, at most %g", limit)
	}
	msg := fmt.Sprintf("%s: %v at iteration %d: %s is %v (limit: %s)", l.Name, ErrDiverged, l.iteration+1, what, loss, bound)
	if l.Advice != "" {
		msg += "; " + l.Advice
	}
	return l.Fail(&divergedError{msg})
}

type divergedError struct{ msg string }

func (e *divergedError) Error() string { return e.msg }
func (e *divergedError) Unwrap() error { return ErrDiverged }

// Iterate runs one iteration: step receives the iteration's number (1 for the first)
// and returns its record. A step error becomes the run's sticky error; otherwise the
// record joins the history. After a failure Iterate returns the sticky error and does
// not call step.
func (l *Loop[R, S]) Iterate(step func(iteration int) (R, error)) error {
	if l.err != nil {
		return l.err
	}
	start := time.Now()
	rec, err := step(l.iteration + 1)
	if err != nil {
		return l.Fail(err)
	}
	l.history = append(l.history, rec)
	l.iteration++
	if l.iteration > 1 {
		l.trainTime += time.Since(start)
	}
	return nil
}

// Run calls iterate n times, stopping at the first error, which it returns as it is.
// Before the first iteration and after each one, if the number of completed iterations
// is listed in snapshotAt (0 means before training), it takes a snapshot with snapshot
// unless one was already taken at that iteration. A negative n is an error, as are
// snapshotAt without a snapshot function; then nothing runs.
func (l *Loop[R, S]) Run(n int, iterate func() error, snapshot func() (S, error), snapshotAt ...int) error {
	if n < 0 {
		return fmt.Errorf("%s: cannot run %d iterations: %w", l.Name, n, ErrNegative)
	}
	if len(snapshotAt) > 0 && snapshot == nil {
		return fmt.Errorf("%s: snapshots at %v asked for: %w", l.Name, snapshotAt, ErrNoSnapshot)
	}
	want := make(map[int]bool, len(snapshotAt))
	for _, s := range snapshotAt {
		want[s] = true
	}
	observe := func() error {
		if !want[l.iteration] {
			return nil
		}
		return l.Snapshot(snapshot)
	}
	if err := observe(); err != nil {
		return err
	}
	for range n {
		if err := iterate(); err != nil {
			return err
		}
		if err := observe(); err != nil {
			return err
		}
	}
	return nil
}

// Snapshot takes a snapshot with snapshot and keeps it, unless one was already kept at
// the current iteration.
func (l *Loop[R, S]) Snapshot(snapshot func() (S, error)) error {
	if k := len(l.snapAt); k > 0 && l.snapAt[k-1] == l.iteration {
		return nil
	}
	s, err := snapshot()
	if err != nil {
		return err
	}
	l.snapshots = append(l.snapshots, s)
	l.snapAt = append(l.snapAt, l.iteration)
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
