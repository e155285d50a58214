package train

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/tensors"
)

// Scalar is the value of a scalar float32 or float64 tensor, such as a step's loss, as a
// float64; NaN for any other dtype (which Guard then reports).
func Scalar(x *tensors.Tensor) float64 {
	switch v := x.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	return math.NaN()
}

// Chunks calls eval on the consecutive ranges [start, end) that split n items into pieces
// of size items, the last one shorter when size does not divide n: [0, size),
// [size, 2·size), ..., [k·size, n). With n = 0 it calls nothing. The first error stops it
// and is returned wrapped with the range it failed on. size must be positive.
func Chunks(n, size int, eval func(start, end int) error) error {
	if size < 1 {
		return fmt.Errorf("train: chunk size %d, want >= 1", size)
	}
	for start := 0; start < n; start += size {
		end := min(n, start+size)
		if err := eval(start, end); err != nil {
			return fmt.Errorf("items [%d, %d) of %d: %w", start, end, n, err)
		}
	}
	return nil
}

// Collect is Chunks for an evaluation whose every chunk gives one float32 tensor (a
// model.Exec's Call1, say): eval returns the tensor of items [start, end), and Collect
// returns the tensors' flat data, concatenated in order. Errors are Chunks'.
func Collect(n, size int, eval func(start, end int) (*tensors.Tensor, error)) ([]float32, error) {
	var out []float32
	err := Chunks(n, size, func(start, end int) error {
		res, err := eval(start, end)
		if err != nil {
			return err
		}
		out = append(out, tensors.MustCopyFlatData[float32](res)...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Rand is the seeded stream number stream of a run with the given seed: a model draws
// its data, noise and initial weights from separate streams, so that changing how many
// numbers one of them takes leaves the others as they were.
func Rand(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

// Normal draws n standard normal values from rng, as float32.
func Normal(rng *rand.Rand, n int) []float32 {
	z := make([]float32, n)
	for i := range z {
		z[i] = float32(rng.NormFloat64())
	}
	return z
}
