package backend

import (
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/gankit/kit"
)

// PluginDirEnv is the environment variable that lists (':'-separated) the directories where
// go-xla looks for PJRT plugins; gankit looks there first too.
const PluginDirEnv = "PJRT_PLUGIN_LIBRARY_PATH"

// KitPluginDir is where `make setup` links the XLA plugins it installs, relative to the kit's
// root: the CPU plugin as pjrt_c_api_cpu_plugin.so, and `make setup-cuda`'s CUDA plugin as
// pjrt_c_api_cuda_plugin.so. Both stay inside the project's virtual environment.
const KitPluginDir = ".venv/lib/go-xla"

// PluginFile is the file name go-xla gives the PJRT plugin of a platform ("cpu", "cuda").
func PluginFile(platform string) string { return "pjrt_c_api_" + platform + "_plugin.so" }

// pluginDirs are the directories searched for a PJRT plugin, in order: those listed in
// $PJRT_PLUGIN_LIBRARY_PATH, then the kit's own KitPluginDir.
func pluginDirs() []string {
	var dirs []string
	for _, d := range filepath.SplitList(os.Getenv(PluginDirEnv)) {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	if root := kit.Root(); root != "" {
		dirs = append(dirs, filepath.Join(root, KitPluginDir))
	}
	return dirs
}

// findPlugin returns the path of the first PluginFile(platform) in pluginDirs, or "".
func findPlugin(platform string) string {
	for _, d := range pluginDirs() {
		p := filepath.Join(d, PluginFile(platform))
		if _, err := os.Lstat(p); err == nil {
			return p
		}
	}
	return ""
}

// shortPath is p relative to the kit's root when it lies inside it (".venv/lib/go-xla/..."),
// so that messages and lesson outputs name no machine's folders; otherwise p itself.
func shortPath(p string) string {
	if root := kit.Root(); root != "" {
		if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}

// ErrBadPlugin is wrapped by every error about a PJRT plugin file that cannot be loaded:
// missing, not a shared library, truncated, built for another machine, or not a PJRT plugin.
var ErrBadPlugin = errors.New("unusable XLA PJRT plugin")

// elfMachines maps GOARCH to the ELF machine of the shared libraries it can load.
var elfMachines = map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}

// checkPlugin checks, without loading it, that the file at path can be handed to go-xla's
// dlopen: it exists, is a shared library for this machine, is whole (every segment that
// would be mapped lies inside the file: a truncated library would crash the process with
// SIGBUS when touched, not fail), and exports GetPjrtApi, the PJRT C API's entry point.
// The error wraps ErrBadPlugin and says what is wrong in one line.
func checkPlugin(path string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w %s: %s", ErrBadPlugin, shortPath(path), fmt.Sprintf(format, args...))
	}
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return bad("no such file")
		}
		return bad("%v", err)
	}
	if !info.Mode().IsRegular() {
		return bad("not a regular file")
	}
	if runtime.GOOS != "linux" {
		return nil // Mach-O and PE plugins: left to the loader.
	}
	f, err := elf.Open(path)
	if err != nil {
		return bad("not a whole ELF shared library (%v)", err)
	}
	defer f.Close()
	if f.Type != elf.ET_DYN {
		return bad("an ELF %v, not a shared library", f.Type)
	}
	if want, ok := elfMachines[runtime.GOARCH]; ok && f.Machine != want {
		return bad("built for %v, this machine is %s (%v)", f.Machine, runtime.GOARCH, want)
	}
	size := info.Size()
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && p.Off+p.Filesz > uint64(size) {
			return bad("truncated: %d bytes, but a segment ends at byte %d", size, p.Off+p.Filesz)
		}
	}
	for _, s := range f.Sections {
		if s.Type != elf.SHT_NOBITS && s.Offset+s.FileSize > uint64(size) {
			return bad("truncated: %d bytes, but section %s ends at byte %d", size, s.Name, s.Offset+s.FileSize)
		}
	}
	syms, err := f.DynamicSymbols()
	if err != nil {
		return bad("cannot read its exported symbols (%v)", err)
	}
	for _, s := range syms {
		if s.Name == "GetPjrtApi" && elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Section != elf.SHN_UNDEF {
			return nil
		}
	}
	return bad("a shared library, but not a PJRT plugin (it exports no GetPjrtApi)")
}
