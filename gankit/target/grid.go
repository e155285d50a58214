package target

// Linspace returns n evenly spaced values from lo to hi inclusive: the grid on which
// densities, D(x) and the figures are evaluated, usually over a distribution's Bounds.
// With n == 1 it returns the midpoint, with n <= 0 an empty slice.
func Linspace(lo, hi float64, n int) []float64 {
	if n <= 0 {
		return []float64{}
	}
	if n == 1 {
		return []float64{(lo + hi) / 2}
	}
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return xs
}
