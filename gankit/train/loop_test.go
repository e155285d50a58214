package train_test

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gankit/kit/gankit/train"
)

type record struct {
	Iteration int
	Loss      float64
}

// fake is a model whose iteration i (from 1) reports losses[i-1], run the way the kit's
// models run on Loop.
type fake struct {
	loop   train.Loop[record, int]
	losses []float64
	steps  int
}

func (f *fake) Iterate() error {
	return f.loop.Iterate(func(it int) (record, error) {
		f.steps++
		rec := record{Iteration: it, Loss: f.losses[it-1]}
		return rec, f.loop.Guard("the loss", rec.Loss)
	})
}

// snapshot records the iteration it was taken at.
func (f *fake) snapshot() (int, error) { return f.loop.Iteration(), nil }

func TestGuardStopsForGood(t *testing.T) {
	for _, c := range []struct {
		name   string
		losses []float64
		limit  float64
		// stop is the number of iterations completed before the error; -1: none.
		stop int
	}{
		{"finite", []float64{1, 0.5, 0.25, 0.1}, 0, -1},
		{"NaN", []float64{1, 0.5, math.NaN(), 0.1}, 0, 2},
		{"+Inf", []float64{math.Inf(1), 0.5, 0.25, 0.1}, 0, 0},
		{"-Inf", []float64{1, math.Inf(-1), 0.25, 0.1}, 0, 1},
		{"above MaxLoss", []float64{1, 0.5, 0.25, 2e6}, 0, 3},
		{"below -MaxLoss", []float64{-2e6}, 0, 0},
		{"MaxLoss itself", []float64{1e6, -1e6}, 0, -1},
		{"a lower limit", []float64{1, 11}, 10, 1},
		{"no limit: huge is fine", []float64{1, 2e6, 3e300}, math.Inf(1), -1},
		{"no limit: NaN is not", []float64{1, math.NaN()}, math.Inf(1), 1},
	} {
		f := &fake{losses: c.losses, loop: train.Loop[record, int]{Name: "test", MaxLoss: c.limit, Advice: "lower the rate"}}
		err := f.loop.Run(len(c.losses), f.Iterate, nil)
		if c.stop < 0 {
			if err != nil || f.loop.Err() != nil || f.loop.Iteration() != len(c.losses) || len(f.loop.History()) != len(c.losses) {
				t.Errorf("%s: Run = %v, Err = %v, %d iterations; want no error and %d", c.name, err, f.loop.Err(), f.loop.Iteration(), len(c.losses))
			}
			continue
		}
		if !errors.Is(err, train.ErrDiverged) {
			t.Errorf("%s: Run = %v, want ErrDiverged", c.name, err)
			continue
		}
		// The message names the model, the iteration, the loss and the advice.
		for _, want := range []string{"test: training diverged at iteration " + itoa(c.stop+1), "the loss is", "lower the rate"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not say %q", c.name, err, want)
			}
		}
		if got := f.loop.Iteration(); got != c.stop || len(f.loop.History()) != c.stop {
			t.Errorf("%s: %d iterations, %d records; want %d", c.name, got, len(f.loop.History()), c.stop)
		}
		// Sticky: the same error from Err, Iterate and Run, and no step runs again.
		steps := f.steps
		for what, got := range map[string]error{"Err": f.loop.Err(), "Iterate": f.Iterate(), "Run": f.loop.Run(3, f.Iterate, nil)} {
			if got != err {
				t.Errorf("%s: %s after divergence = %v, want the sticky %v", c.name, what, got, err)
			}
		}
		if f.steps != steps || f.loop.Iteration() != c.stop {
			t.Errorf("%s: %d steps and %d iterations after the sticky error, want %d and %d", c.name, f.steps, f.loop.Iteration(), steps, c.stop)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestIterateStepError(t *testing.T) {
	boom := errors.New("the backend failed")
	var l train.Loop[record, int]
	calls := 0
	step := func(it int) (record, error) {
		calls++
		if it == 2 {
			return record{}, boom
		}
		return record{Iteration: it}, nil
	}
	for range 3 {
		_ = l.Iterate(step)
	}
	if !errors.Is(l.Err(), boom) || calls != 2 || l.Iteration() != 1 || len(l.History()) != 1 {
		t.Errorf("Err %v, %d calls, %d iterations, %d records; want the step's error, 2, 1, 1", l.Err(), calls, l.Iteration(), len(l.History()))
	}
}

func TestRunSnapshots(t *testing.T) {
	losses := make([]float64, 10)
	for _, c := range []struct {
		name string
		runs []int // the n of successive Run calls
		at   []int
		want []int // iterations of the snapshots taken
	}{
		{"before and after", []int{3}, []int{0, 3}, []int{0, 3}},
		{"unordered, beyond the run", []int{4}, []int{4, 2, 9}, []int{2, 4}},
		{"none asked", []int{3}, nil, nil},
		{"no duplicate across runs", []int{2, 2}, []int{2}, []int{2}},
		{"zero iterations", []int{0}, []int{0}, []int{0}},
		{"continues the count", []int{2, 3}, []int{1, 4}, []int{1, 4}},
	} {
		f := &fake{losses: losses}
		for _, n := range c.runs {
			if err := f.loop.Run(n, f.Iterate, f.snapshot, c.at...); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
		if got := f.loop.Snapshots(); !slices.Equal(got, c.want) {
			t.Errorf("%s: snapshots at %v, want %v", c.name, got, c.want)
		}
	}
}

func TestRunErrors(t *testing.T) {
	f := &fake{losses: make([]float64, 5)}
	if err := f.loop.Run(-1, f.Iterate, f.snapshot); !errors.Is(err, train.ErrNegative) {
		t.Errorf("n = -1: %v, want ErrNegative", err)
	}
	if err := f.loop.Run(2, f.Iterate, nil, 1); !errors.Is(err, train.ErrNoSnapshot) {
		t.Errorf("snapshots without a function: %v, want ErrNoSnapshot", err)
	}
	if f.steps != 0 {
		t.Errorf("%d steps ran after an invalid Run, want 0", f.steps)
	}
	boom := errors.New("snapshot failed")
	err := f.loop.Run(3, f.Iterate, func() (int, error) { return 0, boom }, 2)
	if err != boom || f.loop.Iteration() != 2 {
		t.Errorf("failing snapshot: %v after %d iterations, want the error as it is after 2", err, f.loop.Iteration())
	}
}

func TestItersPerSecond(t *testing.T) {
	var l train.Loop[record, int]
	if got := l.ItersPerSecond(); got != 0 {
		t.Errorf("before any iteration: %v, want 0", got)
	}
	iterate := func(d time.Duration) {
		if err := l.Iterate(func(it int) (record, error) { time.Sleep(d); return record{}, nil }); err != nil {
			t.Fatal(err)
		}
	}
	// The first iteration (which compiles, in a model) is slow and left out.
	iterate(200 * time.Millisecond)
	if got := l.ItersPerSecond(); got != 0 {
		t.Errorf("after one iteration: %v, want 0", got)
	}
	iterate(time.Millisecond)
	got := l.ItersPerSecond()
	// At most 1/1 ms; counting the first iteration would give at most 2/201 ms < 10.
	if !(got > 10 && got <= 1000) {
		t.Errorf("after a 200 ms and a 1 ms iteration: %v it/s, want in (10, 1000]", got)
	}
}
