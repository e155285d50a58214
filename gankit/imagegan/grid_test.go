package imagegan

import "testing"

func writeGrid(t *testing.T, path string, imgs []float32) { t.Logf("grid not written to %s", path) }
