package kit

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRoot(t *testing.T) {
	wd, _ := os.Getwd() // go test runs in the package's folder: the kit's root
	t.Setenv(RootEnv, "")
	if got := Root(); got != wd {
		t.Errorf("Root() = %q, want the folder this package was compiled from, %q", got, wd)
	}
	other := t.TempDir()
	t.Setenv(RootEnv, other) // not a kit: ignored
	if got := Root(); got != wd {
		t.Errorf("with %s=%s (no go.mod), Root() = %q, want %q", RootEnv, other, got, wd)
	}
	copyMod, _ := os.ReadFile(filepath.Join(wd, "go.mod"))
	os.WriteFile(filepath.Join(other, "go.mod"), copyMod, 0o644)
	if got := Root(); got != other {
		t.Errorf("with %s naming another checkout, Root() = %q, want it", RootEnv, got)
	}
}
