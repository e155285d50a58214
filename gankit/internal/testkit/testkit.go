// Package testkit holds what the tests of gankit's trainers (imagegan, pointgan, vae,
// pix2pix, cyclegan) share: the default backend and the shipped data sets, each data set
// loaded once per test binary. A failure to get either fails the calling test.
//
// Fingerprints and Hash serve the fingerprint tests: with -fingerprint=update a package
// records the SHA-256 of the exact bits of a few small runs in
// testdata/fingerprint-<backend>.txt, and with -fingerprint=check it proves that a change
// of its code kept every number of those runs.
package testkit

import (
	"sync"
	"testing"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gomlx/compute"
)

// Backend returns a new default backend (backend.New).
func Backend(tb testing.TB) compute.Backend {
	tb.Helper()
	b, err := backend.New()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// sets maps a data set's name to the sync.OnceValues that loads it.
var sets sync.Map

// Set returns the shipped data set of that name (mnist.Load: "mnist", "mnist-test",
// ...), loaded on the first call and shared by every later one: tests must not modify it.
func Set(tb testing.TB, name string) *mnist.Set {
	tb.Helper()
	load, _ := sets.LoadOrStore(name, sync.OnceValues(func() (*mnist.Set, error) { return mnist.Load(name) }))
	s, err := load.(func() (*mnist.Set, error))()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
