package metrics

import "math"

// ShiftImage returns a copy of the side×side image img (values in [-1, 1], row by row) moved
// dx pixels right and dy pixels down, filling the uncovered border with -1 (background).
func ShiftImage(img []float32, side, dx, dy int) []float32 {
	out := make([]float32, len(img))
	for i := range out {
		out[i] = -1
	}
	for r := range side {
		for c := range side {
			r2, c2 := r+dy, c+dx
			if r2 >= 0 && r2 < side && c2 >= 0 && c2 < side {
				out[r2*side+c2] = img[r*side+c]
			}
		}
	}
	return out
}

// MeanImage is the pixel-wise mean of the n images of px pixels in images: the output
// that minimises the summed squared error to all of them.
func MeanImage(images []float32, px int) []float32 {
	n := len(images) / px
	sum := make([]float64, px)
	for i := range n {
		for j := range px {
			sum[j] += float64(images[i*px+j])
		}
	}
	out := make([]float32, px)
	for j := range out {
		out[j] = float32(sum[j] / float64(n))
	}
	return out
}

// MSE is the mean squared difference between two equally long vectors: the per-pixel
// L2 loss.
func MSE(a, b []float32) float64 {
	s := 0.0
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		s += d * d
	}
	return s / float64(len(a))
}

// Spread is the RMS distance of n points of dim values to their mean: how different a
// set of samples are from each other.
func Spread(xs []float32, dim int) float64 {
	m := MeanImage(xs, dim)
	n := len(xs) / dim
	s := 0.0
	for i := range n {
		s += MSE(xs[i*dim:(i+1)*dim], m) * float64(dim)
	}
	return math.Sqrt(s / float64(n))
}
