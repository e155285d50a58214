package vae

import "fmt"

// LatentPath returns steps latent vectors evenly spaced on the straight line from a to b
// (both ends included), flat: the inputs of an interpolation row.
func LatentPath(a, b []float32, steps int) ([]float32, error) {
	if len(a) != len(b) || len(a) == 0 || steps < 2 {
		return nil, fmt.Errorf("vae: LatentPath needs two non-empty vectors of the same length and steps >= 2, got %d, %d and %d", len(a), len(b), steps)
	}
	out := make([]float32, 0, steps*len(a))
	for s := range steps {
		t := float32(s) / float32(steps-1)
		for i := range a {
			out = append(out, (1-t)*a[i]+t*b[i])
		}
	}
	return out, nil
}
