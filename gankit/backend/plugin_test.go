package backend_test

import (
	"bufio"
	"debug/elf"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/backend"
)

// sharedLibrary returns the path of a real shared library this process has loaded (the C
// library, linked in by cgo), to build bad plugins from; the test skips where there is none.
func sharedLibrary(t *testing.T) string {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		t.Skipf("no /proc/self/maps: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if p := fields[len(fields)-1]; strings.HasPrefix(p, "/") && strings.Contains(filepath.Base(p), "libc.so") {
			return p
		}
	}
	t.Skip("no shared C library loaded (a build without cgo)")
	return ""
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestBadPlugins: each kind of unusable plugin file, named by GOMLX_BACKEND=xla:cpu in
// $PJRT_PLUGIN_LIBRARY_PATH, makes New fail with one line that names the cause and the fix;
// the same file as the default (nobody asked for XLA) makes New fall back to the pure-Go
// backend and say why.
func TestBadPlugins(t *testing.T) {
	if !backend.XLABuilt {
		t.Skip("this build has no XLA")
	}
	if runtime.GOOS != "linux" {
		t.Skip("plugin files are checked as ELF on Linux only")
	}
	lib, err := os.ReadFile(sharedLibrary(t))
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(sharedLibrary(t))
	if err != nil {
		t.Fatal(err)
	}
	lastSegmentEnd := uint64(0)
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD {
			lastSegmentEnd = max(lastSegmentEnd, p.Off+p.Filesz)
		}
	}
	f.Close()
	otherMachine := append([]byte(nil), lib...)
	binary.LittleEndian.PutUint16(otherMachine[18:], uint16(elf.EM_RISCV)) // e_machine
	// This test binary: a Go executable, not position-independent (ET_EXEC).
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name  string
		data  []byte // nil: no file at all
		cause string
	}{
		{"missing", nil, "no pjrt_c_api_cpu_plugin.so in"},
		{"empty", []byte{}, "not a whole ELF shared library"},
		{"text", []byte("#!/bin/sh\necho not a plugin\n"), "not a whole ELF shared library"},
		{"truncated", lib[:lastSegmentEnd/2], "truncated"},
		{"other machine", otherMachine, "built for EM_RISCV"},
		{"no PJRT entry point", lib, "not a PJRT plugin (it exports no GetPjrtApi)"},
		{"executable", exe, "not a shared library"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.data != nil {
				writeFile(t, filepath.Join(dir, backend.PluginFile("cpu")), tc.data)
			}
			t.Setenv(backend.PluginDirEnv, dir)
			if tc.name == "missing" {
				// The kit's own folder is searched after $PJRT_PLUGIN_LIBRARY_PATH: ask for a
				// platform it never holds.
				t.Setenv(backend.EnvVar, "xla:nosuchplatform")
				_, err := backend.New()
				if !errors.Is(err, backend.ErrNoPlugin) || !strings.Contains(err.Error(), "no pjrt_c_api_nosuchplatform_plugin.so in") {
					t.Errorf("New() with no plugin file: %v, want ErrNoPlugin naming the file and folders", err)
				}
				return
			}
			t.Setenv(backend.EnvVar, "xla:cpu")
			_, err := backend.New()
			if err == nil {
				t.Fatal("New() succeeded, want an error")
			}
			msg := err.Error()
			if !errors.Is(err, backend.ErrBadPlugin) || !strings.Contains(msg, tc.cause) ||
				!strings.Contains(msg, "make setup") || strings.Contains(msg, "\n") {
				t.Errorf("New() = %q, want one line wrapping ErrBadPlugin with %q and the fix (make setup)", msg, tc.cause)
			}

			// The same file as the default: fall back to the pure-Go backend, and say why.
			os.Unsetenv(backend.EnvVar)
			b, err := backend.New()
			if err != nil {
				t.Fatalf("default New() with a bad plugin: %v, want the pure-Go backend", err)
			}
			defer b.Finalize()
			if desc := backend.Describe(b); b.Name() == "xla" || !strings.Contains(desc, tc.cause) {
				t.Errorf("default New() with a bad plugin: %s backend, %q; want the pure-Go backend and the cause %q", b.Name(), desc, tc.cause)
			}
		})
	}
}

// TestPluginTheLoaderRejects: a shared library that exports GetPjrtApi but returns no API
// passes the file checks and fails in go-xla's loader; that too is one line (as GOMLX_BACKEND
// asked), or a fallback to the pure-Go backend (as the default).
func TestPluginTheLoaderRejects(t *testing.T) {
	if !backend.XLABuilt {
		t.Skip("this build has no XLA")
	}
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler to build the fake plugin")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "fake.c")
	writeFile(t, src, []byte("void *GetPjrtApi(void) { return 0; }\n"))
	plugin := filepath.Join(dir, backend.PluginFile("cpu"))
	if out, err := exec.Command(cc, "-shared", "-fPIC", "-o", plugin, src).CombinedOutput(); err != nil {
		t.Skipf("cannot build the fake plugin: %v\n%s", err, out)
	}
	t.Setenv(backend.PluginDirEnv, dir)
	t.Setenv(backend.EnvVar, "xla:cpu")
	_, err = backend.New()
	if err == nil || !strings.Contains(err.Error(), "the loader rejected the plugin") || !strings.Contains(err.Error(), "make setup") ||
		strings.Contains(err.Error(), "\n") {
		t.Errorf("New() with a plugin returning no API: %v, want one line with the cause and the fix", err)
	}
	os.Unsetenv(backend.EnvVar)
	b, err := backend.New()
	if err != nil {
		t.Fatalf("default New() with a rejected plugin: %v, want the pure-Go backend", err)
	}
	defer b.Finalize()
	if desc := backend.Describe(b); b.Name() == "xla" || !strings.Contains(desc, "failed to load") || !strings.Contains(desc, "make setup") {
		t.Errorf("default New() with a rejected plugin: %s backend, %q; want the pure-Go backend, the cause and the fix", b.Name(), desc)
	}
}

// TestCUDAWithoutGPU: asking for CUDA on a machine without an NVIDIA GPU says so.
func TestCUDAWithoutGPU(t *testing.T) {
	if !backend.XLABuilt {
		t.Skip("this build has no XLA")
	}
	if m, _ := filepath.Glob("/dev/nvidia[0-9]*"); len(m) > 0 {
		t.Skip("this machine has an NVIDIA GPU")
	}
	if _, err := exec.LookPath("nvidia-smi"); err == nil {
		t.Skip("this machine has nvidia-smi")
	}
	t.Setenv(backend.EnvVar, "xla:cuda")
	_, err := backend.New()
	if !errors.Is(err, backend.ErrNoGPU) || !strings.Contains(err.Error(), "unset GOMLX_BACKEND") {
		t.Errorf("New() with %s=xla:cuda and no GPU: %v, want ErrNoGPU and the fix", backend.EnvVar, err)
	}
}
