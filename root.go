package kit

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// RootEnv is the environment variable that names the kit's folder. The GoNB kernelspec that
// `make setup` installs sets it, so a lesson finds the kit (its Go packages, data/ and XLA
// plugin) from any folder: notebooks/, an nbgrader course, a JupyterHub user's home.
const RootEnv = "GANKIT_ROOT"

// Root returns the folder of the kit's checkout: $GANKIT_ROOT when it holds the kit, else the
// folder this package was compiled from, when it still does (the build records source paths
// unless -trimpath); "" when neither does.
func Root() string {
	if r := os.Getenv(RootEnv); r != "" && isKit(r) {
		return r
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) && isKit(filepath.Dir(file)) {
		return filepath.Dir(file)
	}
	return ""
}

// isKit reports whether dir holds the kit's go.mod.
func isKit(dir string) bool {
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	return err == nil && strings.HasPrefix(string(mod), "module github.com/gankit/kit\n")
}
