// Package backend chooses the GoMLX backend that every gankit computation runs on.
//
// The default is GoMLX's pure-Go backend, embedded in the binary, which needs nothing
// installed. Setting the environment variable GOMLX_BACKEND switches every lesson, test and
// command to another backend with no code change: "xla:cpu" or "xla:cuda" when the XLA PJRT
// plugin is installed, or "go:<options>" for the pure-Go backend with other options.
//
// Importing the package also makes the pure-Go backend pass model variables to every graph
// as parameters, never as constants baked in at compilation (see TestVariablesAreReadAtEachCall).
package backend

import (
	"fmt"
	"os"
	_ "unsafe" // go:linkname, see goCapabilities

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend"  // The pure-Go backend: always available.
	_ "github.com/gomlx/go-xla/compute/xla" // XLA (CPU/GPU), used when GOMLX_BACKEND asks for it and its plugin is installed.
)

// DefaultConfig is the backend used when GOMLX_BACKEND is not set: the pure-Go backend with
// parallelism=-1, which measured fastest for gankit's small networks and cannot deadlock.
//
// With a bounded worker pool (parallelism=N > 0, or the default N = 2·GOMAXPROCS) the Go
// backend of compute v0.1.6 deadlocks, and v0.1.14, in use now, has the same pool code: it
// runs each graph op in a pool slot, and an op's kernel then asks the same pool for
// workers and waits for a free slot (matmuls of at least 4 Mi multiply-adds in
// Pool.Saturate, convolutions and some others in Pool.WaitToStart).
// When N such ops are ready at once, their N goroutines hold every slot and each waits for
// another one forever (the pool's WorkerIsAsleep, meant for this, is never called).
// parallelism=-1 makes the pool unbounded: WaitToStart starts a goroutine at once and
// Saturate waits only for the workers it started itself, so no wait depends on a slot.
// (parallelism=-1 does not turn parallelism off: kernels still split their work into
// GOMAXPROCS parts. parallelism=0 would run everything inline.) TestNoDeadlockUnderStress
// guards this.
const DefaultConfig = "go:parallelism=-1"

// EnvVar is the environment variable that overrides DefaultConfig.
const EnvVar = compute.ConfigEnvVar

// Config returns the backend configuration in effect: $GOMLX_BACKEND if set, else DefaultConfig.
func Config() string {
	if c, ok := os.LookupEnv(EnvVar); ok && c != "" {
		return c
	}
	return DefaultConfig
}

// New creates the backend named by Config.
func New() (compute.Backend, error) {
	return NewWithConfig(Config())
}

// NewWithConfig creates a backend from an explicit configuration such as "go:parallelism=-1"
// or "xla:cpu".
func NewWithConfig(config string) (b compute.Backend, err error) {
	defer func() {
		// compute.NewWithConfig panics, rather than failing, on a backend name it does not
		// know (a typo in GOMLX_BACKEND): report that as an error like any other.
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("gankit/backend: cannot create backend %q (set %s to choose another): %v", config, EnvVar, r)
		}
	}()
	b, err = compute.NewWithConfig(config)
	if err != nil {
		return nil, fmt.Errorf("gankit/backend: cannot create backend %q (set %s to choose another): %w", config, EnvVar, err)
	}
	return b, nil
}

// goCapabilities is the pure-Go backend's capabilities (compute's internal
// gobackend.Capabilities), which its Capabilities method returns.
//
//go:linkname goCapabilities github.com/gomlx/compute/internal/gobackend.Capabilities
var goCapabilities compute.Capabilities

// The pure-Go backend of compute v0.1.14 claims PreferConstantsForVariables, and GoMLX
// v0.28.16 then embeds every variable that has a value as a constant in each graph not
// marked as training (a sampler, an evaluation, a critic's map). Such a graph is compiled
// once, on its first call, so it would keep the values of that moment: after training
// steps it would still draw samples from the untrained generator. GAN training alternates
// training steps with such graphs, so gankit turns the preference off for the whole
// process: variables are graph parameters, read at each call, as on every other backend.
// compute offers no option for it (a wrapping backend does not work either: tensors
// remember the backend instance they live on). TestVariablesAreReadAtEachCall guards it.
func init() { goCapabilities.PreferConstantsForVariables = false }

// Describe is a one-line description of b and the configuration it was created from,
// for a notebook cell to print.
func Describe(b compute.Backend) string {
	return fmt.Sprintf("%s [%s=%q]", b.Description(), EnvVar, Config())
}
