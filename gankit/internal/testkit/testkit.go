// Package testkit holds what gankit's tests share: the backend they run on and the shipped
// data sets, each data set loaded once per test binary. A failure to get either fails the
// calling test.
//
// Fingerprints and Hash serve the fingerprint tests: with -fingerprint=update a package
// records the SHA-256 of the exact bits of a few small runs in
// testdata/fingerprint-<backend>.txt, and with -fingerprint=check it proves that a change
// of its code kept every number of those runs.
package testkit

import (
	"os"
	"sync"
	"testing"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gomlx/compute"
)

// NewBackend returns a new backend for a test: backend.New's default, except that under
// go test -short, with GOMLX_BACKEND unset, it is the pure-Go backend. XLA compiles each
// graph in about half a second of CPU, more than most unit tests take to run on the
// pure-Go backend, and the tests build hundreds of graphs: the fast tier would spend its
// time compiling. Plain go test (make test) runs them on the default backend, and
// GOMLX_BACKEND=xla:cpu go test -short runs the fast tier on XLA.
func NewBackend() (compute.Backend, error) {
	if testing.Short() && os.Getenv(backend.EnvVar) == "" {
		return backend.NewWithConfig(backend.GoConfig)
	}
	return backend.New()
}

// Backend returns a new backend for a test (NewBackend), failing the test if there is
// none.
func Backend(tb testing.TB) compute.Backend {
	tb.Helper()
	b, err := NewBackend()
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
