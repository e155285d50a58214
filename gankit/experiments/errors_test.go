package experiments_test

import (
	"errors"
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
