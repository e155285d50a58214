package vae

import "testing"

func TestLatentPath(t *testing.T) {
	path, err := LatentPath([]float32{0, 2}, []float32{4, -2}, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0, 2, 2, 0, 4, -2}
	for i := range want {
		if path[i] != want[i] {
			t.Fatalf("LatentPath = %v, want %v", path, want)
		}
	}
	for _, c := range []struct {
		a, b  []float32
		steps int
	}{{[]float32{1}, []float32{1, 2}, 3}, {nil, nil, 3}, {[]float32{1}, []float32{2}, 1}} {
		if _, err := LatentPath(c.a, c.b, c.steps); err == nil {
			t.Errorf("LatentPath(%v, %v, %d): no error", c.a, c.b, c.steps)
		}
	}
}
