package train_test

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gankit/kit/gankit/train"
)

func TestParallel(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 5} {
		var running, peak atomic.Int32
		done := make([]bool, 7)
		err := train.Parallel(len(done), workers, func(i int) error {
			if r := running.Add(1); r > peak.Load() {
				peak.Store(r)
			}
			time.Sleep(5 * time.Millisecond)
			running.Add(-1)
			done[i] = true
			if i == 2 || i == 5 {
				return fmt.Errorf("run %d failed", i)
			}
			return nil
		})
		for i, d := range done {
			if !d {
				t.Errorf("workers %d: f(%d) not called", workers, i)
			}
		}
		if want := "run 2 failed\nrun 5 failed"; err == nil || err.Error() != want {
			t.Errorf("workers %d: err %q, want both failures in order %q", workers, err, want)
		}
		if limit := int32(max(workers, 1)); peak.Load() > limit {
			t.Errorf("workers %d: %d ran at once, want at most %d", workers, peak.Load(), limit)
		}
	}
	if err := train.Parallel(0, 2, func(int) error { return errors.New("called") }); err != nil {
		t.Errorf("n = 0: %v, want nil", err)
	}
}
