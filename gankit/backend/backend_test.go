package backend_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
)

func TestEnvVar(t *testing.T) {
	if backend.EnvVar != "GOMLX_BACKEND" {
		t.Errorf("EnvVar = %q, want GOMLX_BACKEND (what GoMLX itself reads)", backend.EnvVar)
	}
}

func TestGoConfig(t *testing.T) {
	// The pure-Go configuration must not use the pool's default size (which deadlocked on 2 cores).
	if !strings.HasPrefix(backend.GoConfig, "go:") || !strings.Contains(backend.GoConfig, "parallelism=-1") {
		t.Errorf("GoConfig = %q, want the pure-Go backend with parallelism=-1", backend.GoConfig)
	}
}

func TestChooseExplicit(t *testing.T) {
	t.Setenv(backend.EnvVar, "go")
	c, err := backend.Choose()
	if err != nil {
		t.Fatal(err)
	}
	if c.Config != backend.GoConfig || !c.Explicit || c.Fallback || !strings.Contains(c.Reason, `GOMLX_BACKEND="go"`) {
		t.Errorf("Choose() with %s=go = %+v, want GoConfig, explicit, the variable in the reason", backend.EnvVar, c)
	}
	t.Setenv(backend.EnvVar, "go:parallelism=2")
	if c, err := backend.Choose(); err != nil || c.Config != "go:parallelism=2" {
		t.Errorf("Choose() with %s=go:parallelism=2 = %+v, %v; want the options as given", backend.EnvVar, c, err)
	}
}

// kitPlugin is the CPU plugin `make setup` installs, or "" when it is not installed here.
func kitPlugin(t *testing.T) string {
	wd, err := os.Getwd() // <root>/gankit/backend under go test
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(wd, "..", "..", backend.KitPluginDir, backend.PluginFile("cpu"))
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

func TestDefaultIsXLAWhenItsPluginIsInstalled(t *testing.T) {
	os.Unsetenv(backend.EnvVar)
	t.Setenv(backend.PluginDirEnv, t.TempDir()) // empty: only the kit's own folder can answer
	c, err := backend.Choose()
	if err != nil {
		t.Fatal(err)
	}
	if c.Explicit || c.Fallback {
		t.Errorf("default choice %+v: want neither explicit nor a fallback", c)
	}
	switch {
	case !backend.XLABuilt:
		if c.Config != backend.GoConfig || !strings.Contains(c.Reason, "without cgo") {
			t.Errorf("build without XLA: Choose() = %+v, want %s because of cgo", c, backend.GoConfig)
		}
	case kitPlugin(t) != "":
		if !strings.HasPrefix(c.Config, "xla:/") || !strings.HasSuffix(c.Config, "pjrt_c_api_cpu_plugin.so") ||
			!strings.Contains(c.Reason, backend.KitPluginDir) {
			t.Errorf("with the kit's plugin installed, Choose() = %+v, want XLA on its absolute path, the folder in the reason", c)
		}
	default:
		if c.Config != backend.GoConfig || !strings.Contains(c.Reason, "make setup") {
			t.Errorf("without the kit's plugin, Choose() = %+v, want %s and how to install XLA", c, backend.GoConfig)
		}
	}
}

// TestDefaultBackendRuns creates the default backend and runs a graph on it, so the suite
// fails if the backend it reports is not the one that computes.
func TestDefaultBackendRuns(t *testing.T) {
	os.Unsetenv(backend.EnvVar)
	b, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Finalize()
	desc := backend.Describe(b)
	c, _ := backend.Choose()
	if !strings.HasSuffix(desc, " — "+c.Reason) {
		t.Errorf("Describe = %q, want it to end with the choice's reason %q", desc, c.Reason)
	}
	if backend.XLABuilt && kitPlugin(t) != "" && os.Getenv(backend.PluginDirEnv) == "" {
		wd, _ := os.Getwd()
		if b.Name() != "xla" || !strings.HasPrefix(desc, "XLA CPU (PJRT C API ") || strings.Contains(desc, filepath.Dir(filepath.Dir(wd))) {
			t.Errorf("with the kit's plugin: %s backend described as %q, want XLA CPU with its API version and no machine path", b.Name(), desc)
		}
	}
	got := graph.MustExecOnce(b, func(x *graph.Node) *graph.Node { return graph.ReduceAllSum(graph.Mul(x, x)) }, []float32{1, 2, 3})
	if v := got.Value().(float32); v != 14 {
		t.Errorf("sum of squares of 1, 2, 3 on %s = %v, want 14", b.Name(), v)
	}
}

func TestNewWithConfigGo(t *testing.T) {
	b, err := backend.NewWithConfig(backend.GoConfig)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Finalize()
	if !strings.Contains(backend.Describe(b), backend.GoConfig) {
		t.Errorf("Describe = %q, want it to name the configuration %q", backend.Describe(b), backend.GoConfig)
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
			b, err := newNoPanic(t, func() (compute.Backend, error) { return backend.NewWithConfig(config) })
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
	if _, err := newNoPanic(t, backend.New); err == nil || !strings.Contains(err.Error(), "GOMLX_BACKEND") {
		t.Errorf("New() with %s=nosuchbackend: error %v, want one mentioning GOMLX_BACKEND", backend.EnvVar, err)
	}
}

func newNoPanic(t *testing.T, f func() (compute.Backend, error)) (b compute.Backend, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panicked: %v; want an error", r)
		}
	}()
	return f()
}

// TestNoXLAWithoutCgo: in a build without XLA, asking for it is an error that says why.
func TestNoXLAWithoutCgo(t *testing.T) {
	if backend.XLABuilt {
		t.Skip("this build has XLA")
	}
	t.Setenv(backend.EnvVar, "xla:cpu")
	_, err := backend.New()
	if !errors.Is(err, backend.ErrNoXLA) || !strings.Contains(err.Error(), "cgo") {
		t.Errorf("New() with %s=xla:cpu and no XLA: %v, want ErrNoXLA naming cgo", backend.EnvVar, err)
	}
}

// TestPluginPinsAreExact: the requirement files `make setup` and `make setup-cuda` install
// from pin every wheel to one version and its SHA-256, which pip --require-hashes checks.
func TestPluginPinsAreExact(t *testing.T) {
	pin := regexp.MustCompile(`^[a-z0-9][a-z0-9-]*==[0-9][0-9a-z.]* --hash=sha256:[0-9a-f]{64}$`)
	for file, first := range map[string]string{"xla-cpu.txt": "lammps-jax-pjrt-cpu==", "xla-cuda.txt": "jax-cuda12-pjrt=="} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var pins []string
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if !pin.MatchString(line) {
				t.Errorf("%s: %q is not `name==version --hash=sha256:<64 hex digits>`", file, line)
			}
			pins = append(pins, line)
		}
		if len(pins) == 0 || !strings.HasPrefix(pins[0], first) {
			t.Errorf("%s pins %q, want %s... first", file, pins, first)
		}
	}
}

// The pure-Go backend of compute v0.1.14 prints "Go backend: parallelism set to -1" when
// GoConfig sets its parallelism; New keeps that out of the lessons' output.
func TestGoBackendPrintsNothing(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	b, err := backend.NewWithConfig(backend.GoConfig)
	os.Stdout = stdout
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Finalize()
	printed, _ := io.ReadAll(r)
	if len(printed) != 0 {
		t.Errorf("creating the pure-Go backend printed %q", printed)
	}
}
