package backend_test

import (
	"os"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/backend"
)

func TestEnvVar(t *testing.T) {
	if backend.EnvVar != "GOMLX_BACKEND" {
		t.Errorf("EnvVar = %q, want GOMLX_BACKEND (what GoMLX itself reads)", backend.EnvVar)
	}
}

func TestConfig(t *testing.T) {
	t.Setenv(backend.EnvVar, "") // restored after the test
	if got := backend.Config(); got != backend.DefaultConfig {
		t.Errorf("with %s empty, Config() = %q, want DefaultConfig %q", backend.EnvVar, got, backend.DefaultConfig)
	}
	os.Unsetenv(backend.EnvVar)
	if got := backend.Config(); got != backend.DefaultConfig {
		t.Errorf("with %s unset, Config() = %q, want DefaultConfig %q", backend.EnvVar, got, backend.DefaultConfig)
	}
	t.Setenv(backend.EnvVar, "xla:cuda")
	if got := backend.Config(); got != "xla:cuda" {
		t.Errorf("with %s=xla:cuda, Config() = %q", backend.EnvVar, got)
	}
}

func TestDefaultConfigIsTheGoBackend(t *testing.T) {
	// The default must need nothing installed, and must not use the pool's default size
	// (which deadlocked on 2 cores).
	if !strings.HasPrefix(backend.DefaultConfig, "go:") || !strings.Contains(backend.DefaultConfig, "parallelism=-1") {
		t.Errorf("DefaultConfig = %q, want the pure-Go backend with parallelism=-1", backend.DefaultConfig)
	}
}

func TestNewFromEnv(t *testing.T) {
	// Only created, never run: the default pool of "go" has deadlocked on 2-core machines.
	t.Setenv(backend.EnvVar, "go")
	b, err := backend.New()
	if err != nil {
		t.Fatalf("New() with %s=go: %v", backend.EnvVar, err)
	}
	defer b.Finalize()
	desc := backend.Describe(b)
	if !strings.Contains(desc, `GOMLX_BACKEND="go"`) {
		t.Errorf("Describe = %q, want it to mention the configuration GOMLX_BACKEND=\"go\"", desc)
	}
	if !strings.HasPrefix(desc, b.Description()) {
		t.Errorf("Describe = %q, want it to start with the backend's description %q", desc, b.Description())
	}
}

func TestNewDefault(t *testing.T) {
	t.Setenv(backend.EnvVar, "")
	b, err := backend.New()
	if err != nil {
		t.Fatalf("New() with the default configuration: %v", err)
	}
	defer b.Finalize()
	if desc := backend.Describe(b); !strings.Contains(desc, backend.DefaultConfig) {
		t.Errorf("Describe = %q, want it to mention %q", desc, backend.DefaultConfig)
	}
}

func TestNewWithInvalidConfig(t *testing.T) {
	for _, config := range []string{
		"nosuchbackend",          // no such backend registered
		"nosuchbackend:option",   // idem, with options
		"go:bogus_option",        // the Go backend rejects unknown options
		"go:parallelism=several", // and non-integer parallelism
	} {
		t.Run(config, func(t *testing.T) {
			var b interface{ Finalize() }
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("NewWithConfig(%q) panicked: %v; want an error", config, r)
					}
				}()
				b, err = backend.NewWithConfig(config)
			}()
			if err == nil {
				b.Finalize()
				t.Fatalf("NewWithConfig(%q) succeeded, want an error", config)
			}
			if !strings.Contains(err.Error(), "GOMLX_BACKEND") || !strings.Contains(err.Error(), config) {
				t.Errorf("error %q should name the configuration and GOMLX_BACKEND", err)
			}
		})
	}
	// New reads the same configuration from the environment.
	t.Setenv(backend.EnvVar, "nosuchbackend")
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("New() with %s=nosuchbackend panicked: %v; want an error", backend.EnvVar, r)
			}
		}()
		if _, err := backend.New(); err == nil || !strings.Contains(err.Error(), "GOMLX_BACKEND") {
			t.Errorf("New() with %s=nosuchbackend: error %v, want one mentioning GOMLX_BACKEND", backend.EnvVar, err)
		}
	}()
}
