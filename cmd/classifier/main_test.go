package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// -eval loads a weight file and evaluates it; a damaged path is an error, not a crash.
func TestEvalShipped(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"mnist-classifier.bin", "fashion-classifier.bin"} {
		if err := run("mnist", "", filepath.Join(root, "data", f), 1, 0, 0, 0, 0); err != nil {
			t.Fatal(err)
		}
	}
	err = run("mnist", "", filepath.Join(t.TempDir(), "none.bin"), 1, 0, 0, 0, 0)
	if err == nil || !strings.Contains(err.Error(), "none.bin") {
		t.Errorf("-eval of a missing file: %v", err)
	}
	if err := run("cifar", "", "", 1, 0, 0, 0, 0); err == nil || !strings.Contains(err.Error(), "unknown data set") {
		t.Errorf("-set cifar: %v", err)
	}
}
