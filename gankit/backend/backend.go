// Package backend chooses the GoMLX backend that every gankit computation runs on, in one
// place, and says why.
//
// The default is GoMLX's XLA backend on the CPU whenever its PJRT plugin is installed:
// `make setup` installs a pinned one into the project's virtual environment on Linux x86-64
// (see KitPluginDir), and a plugin in $PJRT_PLUGIN_LIBRARY_PATH counts too. Without one (on
// macOS or arm64, on a machine without the venv, or in a build without cgo, which leaves XLA
// out: see XLABuilt) the default is GoMLX's pure-Go backend, compiled into the binary, which
// needs nothing installed.
//
// The environment variable GOMLX_BACKEND overrides the default: "go" for the pure-Go backend
// as GoConfig sets it up, "go:<options>" for other options of it, "xla:cpu" or "xla:cuda" for XLA with the kit's (or
// $PJRT_PLUGIN_LIBRARY_PATH's) plugin, "xla:/absolute/path.so" for a given plugin file.
// A plugin that cannot be used (missing, truncated, for another machine, not a PJRT plugin,
// rejected by the loader, CUDA without a GPU) is one error line that names the cause and
// the fix. When nobody asked for XLA, New falls back to the pure-Go backend instead and
// says so on stderr; when GOMLX_BACKEND asked for it, New fails.
//
// Importing the package also makes the pure-Go backend pass model variables to every graph
// as parameters, never as constants baked in at compilation (see TestVariablesAreReadAtEachCall).
package backend

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // The pure-Go backend: always available.
)

// GoConfig is the pure-Go backend's configuration, chosen when XLA is not available:
// parallelism=-1, which measured fastest for gankit's small networks and cannot deadlock.
//
// With a bounded worker pool (parallelism=N > 0, or the default N = 2·GOMAXPROCS) the Go
// backend of compute v0.1.14 deadlocks: it runs each graph op in a pool slot, and an op's
// kernel then asks the same pool for workers and waits for a free slot (matmuls of at
// least 4 Mi multiply-adds in Pool.Saturate, convolutions and some others in
// Pool.WaitToStart). When N such ops are ready at once, their N goroutines hold every slot
// and each waits for another one forever (the pool's WorkerIsAsleep, meant for this, is
// never called). parallelism=-1 makes the pool unbounded: WaitToStart starts a goroutine at
// once and Saturate waits only for the workers it started itself, so no wait depends on a
// slot. (parallelism=-1 does not turn parallelism off: kernels still split their work into
// GOMAXPROCS parts. parallelism=0 would run everything inline.) TestNoDeadlockUnderStress
// guards this.
const GoConfig = "go:parallelism=-1"

// EnvVar is the environment variable that overrides the default choice.
const EnvVar = compute.ConfigEnvVar

// Errors that New, NewWithConfig and Choose wrap, for errors.Is; ErrBadPlugin is the fourth.
var (
	ErrNoXLA    = errors.New("this build has no XLA")
	ErrNoPlugin = errors.New("no XLA PJRT plugin installed")
	ErrNoGPU    = errors.New("this machine has no NVIDIA GPU")
)

// Choice is a backend configuration and the reason it was chosen.
type Choice struct {
	// Config is what compute.NewWithConfig takes, e.g. GoConfig or "xla:/path/to/pjrt_c_api_cpu_plugin.so".
	Config string
	// Reason says why, in words for a lesson's first cell.
	Reason string
	// Explicit is true when GOMLX_BACKEND (or NewWithConfig) asked for Config: New then
	// fails rather than fall back to the pure-Go backend.
	Explicit bool
	// Fallback is true when the default would have been XLA but its plugin cannot be used:
	// Reason says why, and New says so on stderr.
	Fallback bool
}

// Choose returns the backend that New creates: the one GOMLX_BACKEND names if it is set,
// else XLA on the CPU if its plugin is installed and usable, else the pure-Go backend.
// It loads nothing: a plugin file is only checked (see New for what loading adds).
func Choose() (Choice, error) {
	if c, ok := os.LookupEnv(EnvVar); ok && c != "" {
		config, err := resolve(c)
		if err != nil {
			return Choice{}, err
		}
		return Choice{Config: config, Reason: fmt.Sprintf("asked for by %s=%q", EnvVar, c), Explicit: true}, nil
	}
	return defaultChoice(), nil
}

// defaultChoice is Choose without GOMLX_BACKEND.
func defaultChoice() Choice {
	if !XLABuilt {
		return Choice{Config: GoConfig, Reason: "this build has no XLA (built without cgo)"}
	}
	path := findPlugin("cpu")
	if path == "" {
		return Choice{Config: GoConfig, Reason: fmt.Sprintf(
			"no XLA CPU plugin installed (make setup installs one on Linux x86-64 into %s)", KitPluginDir)}
	}
	if err := checkPlugin(path); err != nil {
		return Choice{Config: GoConfig, Fallback: true, Reason: fmt.Sprintf(
			"%v; run make setup to reinstall it (set %s=go to use the pure-Go backend on purpose)", err, EnvVar)}
	}
	return Choice{Config: xlaConfig(path, ""), Reason: fmt.Sprintf(
		"the XLA CPU plugin is installed (%s; %s=go selects the pure-Go backend)", shortPath(filepath.Dir(path)), EnvVar)}
}

// resolve turns a GOMLX_BACKEND-style configuration into one compute.NewWithConfig can
// load: for "xla:<platform>[,options]" it finds and checks the platform's plugin file in
// $PJRT_PLUGIN_LIBRARY_PATH and the kit's KitPluginDir and names it by its absolute path
// (go-xla's own search would skip a broken file silently, and cannot see the kit's folder);
// for "xla:/path.so" it checks that file. Other configurations pass through unchanged.
func resolve(config string) (string, error) {
	if config == "go" {
		return GoConfig, nil // the bare default pool deadlocks (see GoConfig)
	}
	name, opts, _ := strings.Cut(config, ":")
	if !isXLA(name) {
		return config, nil
	}
	if !XLABuilt {
		return "", fmt.Errorf("gankit/backend: %s=%q: %w (it was built without cgo): build with CGO_ENABLED=1 and a C compiler, or set %s=go",
			EnvVar, config, ErrNoXLA, EnvVar)
	}
	plugin, extra, _ := strings.Cut(opts, ",")
	if plugin == "" {
		plugin = "cpu"
	}
	if isCUDA(plugin) && !hasNvidiaGPU() {
		return "", fmt.Errorf("gankit/backend: %s=%q: %w (no /dev/nvidia* and no nvidia-smi): unset %s for XLA on the CPU",
			EnvVar, config, ErrNoGPU, EnvVar)
	}
	path := plugin
	if !filepath.IsAbs(plugin) {
		if path = findPlugin(plugin); path == "" {
			return "", fmt.Errorf("gankit/backend: %s=%q: %w: no %s in %s: %s", EnvVar, config, ErrNoPlugin,
				PluginFile(plugin), strings.Join(shortPaths(pluginDirs()), ", "), installHint(plugin))
		}
	}
	if err := checkPlugin(path); err != nil {
		return "", fmt.Errorf("gankit/backend: %s=%q: %w; %s", EnvVar, config, err, installHint(plugin))
	}
	return xlaConfig(path, extra), nil
}

func isXLA(name string) bool {
	switch name {
	case "xla", "stablehlo", "shlo", "hlo", "pjrt":
		return true
	}
	return false
}

func isCUDA(plugin string) bool {
	return strings.Contains(strings.ToLower(filepath.Base(plugin)), "cuda")
}

// installHint says how to get a working plugin for platform.
func installHint(platform string) string {
	if isCUDA(platform) {
		return "make setup-cuda installs the CUDA plugin"
	}
	if platform == "cpu" || strings.Contains(filepath.Base(platform), "cpu") {
		return "make setup installs the CPU plugin (Linux x86-64)"
	}
	return "put the plugin file there, or give its absolute path (xla:/path/plugin.so)"
}

func shortPaths(ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = shortPath(p)
	}
	if len(out) == 0 {
		return []string{"(no folder: " + PluginDirEnv + " is empty and the kit's folder is unknown)"}
	}
	return out
}

// xlaConfig is the go-xla configuration that loads the plugin file at path, made absolute
// but not resolved: `make setup-cuda` links the CUDA plugin into KitPluginDir next to a link
// to NVIDIA's libraries (.venv/lib/nvidia), which is where go-xla and the plugin's RPATH
// ($ORIGIN/../nvidia) look for them.
func xlaConfig(path, options string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if options != "" {
		return "xla:" + path + "," + options
	}
	return "xla:" + path
}

// hasNvidiaGPU reports whether the machine shows an NVIDIA GPU, the way go-xla guesses it.
func hasNvidiaGPU() bool {
	if m, _ := filepath.Glob("/dev/nvidia[0-9]*"); len(m) > 0 {
		return true
	}
	_, err := lookPath("nvidia-smi")
	return err == nil
}

// reasons remembers why each backend New created was chosen, for Describe.
var reasons sync.Map // compute.Backend -> string

// fallbackOnce makes New report a fallback to the pure-Go backend on stderr once per process.
var fallbackOnce sync.Once

// New creates the backend Choose names. If the default was XLA and its plugin fails to
// load, New falls back to the pure-Go backend and says so on stderr (once per process);
// if GOMLX_BACKEND asked for XLA, the failure is New's error.
func New() (compute.Backend, error) {
	choice, err := Choose()
	if err != nil {
		return nil, err
	}
	b, err := create(choice.Config)
	if err != nil && !choice.Explicit && choice.Config != GoConfig {
		choice = Choice{Config: GoConfig, Fallback: true, Reason: fmt.Sprintf(
			"the XLA CPU plugin failed to load: %v (set %s=go to use the pure-Go backend on purpose)", err, EnvVar)}
		b, err = create(GoConfig)
	}
	if err != nil {
		return nil, err
	}
	if choice.Fallback {
		fallbackOnce.Do(func() {
			fmt.Fprintf(os.Stderr, "gankit/backend: using the pure-Go backend: %s\n", choice.Reason)
		})
	}
	reasons.Store(b, choice.Reason)
	return b, nil
}

// NewWithConfig creates a backend from an explicit configuration such as GoConfig,
// "xla:cpu" or "xla:/path/pjrt_c_api_cpu_plugin.so", resolved and checked as GOMLX_BACKEND
// would be.
func NewWithConfig(config string) (compute.Backend, error) {
	resolved, err := resolve(config)
	if err != nil {
		return nil, err
	}
	b, err := create(resolved)
	if err != nil {
		return nil, err
	}
	reasons.Store(b, fmt.Sprintf("configuration %q", config))
	return b, nil
}

// create is compute.NewWithConfig with its failures, panics included, as one-line errors
// that say how to fix them.
func create(config string) (b compute.Backend, err error) {
	fix := fmt.Sprintf("set %s to choose another", EnvVar)
	if name, rest, _ := strings.Cut(config, ":"); isXLA(name) {
		plugin, _, _ := strings.Cut(rest, ",")
		fix = "the loader rejected the plugin; " + installHint(plugin)
	}
	defer func() {
		// compute.NewWithConfig panics, rather than failing, on a backend name it does not
		// know (a typo in GOMLX_BACKEND), and go-xla on a plugin whose GetPjrtApi returns
		// nothing: report those as errors like any other.
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("gankit/backend: cannot create backend %q (%v): %s", shortConfig(config), r, fix)
		}
	}()
	b, err = quietly(config, func() (compute.Backend, error) { return compute.NewWithConfig(config) })
	if err != nil {
		return nil, fmt.Errorf("gankit/backend: cannot create backend %q (%s): %s", shortConfig(config), oneLine(err.Error()), fix)
	}
	return b, nil
}

// quietMu serialises quietly's swaps of os.Stdout.
var quietMu sync.Mutex

// quietly runs newBackend with os.Stdout sent to the null device when config sets the
// pure-Go backend's parallelism: compute v0.1.14 then prints "Go backend: parallelism set
// to -1" on standard output, where it would land in every lesson's output and a grader's
// logs. Other configurations print nothing and run as they are.
func quietly(config string, newBackend func() (compute.Backend, error)) (compute.Backend, error) {
	if name, _, _ := strings.Cut(config, ":"); name != "go" || !strings.Contains(config, "parallelism=") {
		return newBackend()
	}
	quietMu.Lock()
	defer quietMu.Unlock()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return newBackend()
	}
	defer null.Close()
	stdout := os.Stdout
	os.Stdout = null
	defer func() { os.Stdout = stdout }()
	return newBackend()
}

// shortConfig is config with a plugin path inside the kit shortened (see shortPath).
func shortConfig(config string) string {
	name, rest, ok := strings.Cut(config, ":")
	if !ok || !isXLA(name) {
		return config
	}
	path, opts, hasOpts := strings.Cut(rest, ",")
	if hasOpts {
		return name + ":" + shortPath(path) + "," + opts
	}
	return name + ":" + shortPath(path)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Describe is a one-line description of b and why it was chosen, for a notebook's first
// cell to print. It names no folder outside the kit.
func Describe(b compute.Backend) string {
	desc := describe(b)
	if r, ok := reasons.Load(b); ok {
		return desc + " — " + r.(string)
	}
	return desc
}

// describe names b: "XLA CPU (PJRT C API 0.115)" or the pure-Go backend's own
// description.
func describe(b compute.Backend) string {
	if d, ok := describeXLA(b); ok {
		return d
	}
	return b.Description()
}
