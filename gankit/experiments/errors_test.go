package experiments_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/experiments"
)

// wrongCall are the phrases of the Check functions' errors about the call (no result, too
// few measurements), which are not failed claims.
var wrongCall = []string{"before and after", "needs a result", "at least 200", "no results for"}

// checkClaim fails the test unless err wraps ErrClaim exactly when want, the phrase the
// test expects in err, is not one of wrongCall.
func checkClaim(t *testing.T, name string, err error, want string) {
	t.Helper()
	claim := true
	for _, w := range wrongCall {
		if strings.Contains(want, w) {
			claim = false
		}
	}
	if got := errors.Is(err, experiments.ErrClaim); got != claim {
		t.Errorf("%s: errors.Is(%v, ErrClaim) = %t, want %t", name, err, got, claim)
	}
}

func TestRunError(t *testing.T) {
	cause := errors.New("batch size -1")
	err := fmt.Errorf("lesson 5: %w", &experiments.RunError{Run: "WGAN-GP", Err: cause})
	var re *experiments.RunError
	if !errors.As(err, &re) || re.Run != "WGAN-GP" || !errors.Is(err, cause) {
		t.Fatalf("errors.As/Is on %v: %v", err, re)
	}
	if got, want := err.Error(), `lesson 5: experiments: run "WGAN-GP": batch size -1`; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}
