package imagegan

import (
	"fmt"
	"math"
)

// ClassGrid generates rows×Classes images (Conditional mode) or rows×Categorical images
// (InfoGAN mode), row after row: row r uses noise vector r of FixedNoise(rows) in every
// column, and column c asks for class c (Conditional) or categorical value c (InfoGAN,
// with every continuous code at 0, the middle of its range). Down a column the class is
// fixed and the noise changes; along a row the noise is fixed and only the class
// changes, so what a row keeps (thickness, slant, style) is what the noise encodes.
// Draw it with plots.ImageGrid(title, images, 28, 28, rows, cols).
func (t *Trainer) ClassGrid(rows int) (images []float32, cols int, err error) {
	if rows < 1 {
		return nil, 0, fmt.Errorf("imagegan: ClassGrid needs at least 1 row, got %d", rows)
	}
	var codes Codes
	switch t.cfg.Mode {
	case Conditional:
		cols = t.cfg.Classes()
		codes.Labels = make([]int, rows*cols)
		for i := range codes.Labels {
			codes.Labels[i] = i % cols
		}
	case InfoGAN:
		cols = t.cfg.Categorical
		if cols == 0 {
			return nil, 0, fmt.Errorf("imagegan: ClassGrid: this InfoGAN has no categorical code")
		}
		codes.Categorical = make([]int, rows*cols)
		for i := range codes.Categorical {
			codes.Categorical[i] = i % cols
		}
		codes.Continuous = make([]float32, rows*cols*t.cfg.Continuous)
	default:
		return nil, 0, fmt.Errorf("imagegan: ClassGrid needs a Conditional or InfoGAN trainer, this one is %v", t.cfg.Mode)
	}
	images, err = t.Generate(t.repeatedNoise(rows, cols), codes)
	return images, cols, err
}

// Traversal generates rows×len(values) images of an InfoGAN, row after row, varying
// continuous code `code` (0-based) along each row: column j sets it to values[j]. Row r
// keeps noise vector r of FixedNoise(rows), categorical value r mod Categorical and every
// other continuous code at 0. If the code has learned a factor of variation (the paper
// found rotation and width on MNIST), a row shows one digit changing along that factor.
// Values beyond [-1, 1], the range the codes are trained on, show whether the factor
// extrapolates.
func (t *Trainer) Traversal(code, rows int, values []float32) ([]float32, error) {
	m := t.cfg.Continuous
	switch {
	case t.cfg.Mode != InfoGAN:
		return nil, fmt.Errorf("imagegan: Traversal needs an InfoGAN trainer, this one is %v", t.cfg.Mode)
	case code < 0 || code >= m:
		return nil, fmt.Errorf("imagegan: Traversal: continuous code %d does not exist (this InfoGAN has %d: 0..%d)", code, m, m-1)
	case rows < 1 || len(values) == 0:
		return nil, fmt.Errorf("imagegan: Traversal needs at least 1 row and 1 value, got %d rows and %d values", rows, len(values))
	}
	for _, v := range values {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("imagegan: Traversal: value %v is not finite", v)
		}
	}
	cols := len(values)
	var codes Codes
	if k := t.cfg.Categorical; k > 0 {
		codes.Categorical = make([]int, rows*cols)
		for i := range codes.Categorical {
			codes.Categorical[i] = (i / cols) % k
		}
	}
	codes.Continuous = make([]float32, rows*cols*m)
	for i := range rows * cols {
		codes.Continuous[i*m+code] = values[i%cols]
	}
	return t.Generate(t.repeatedNoise(rows, cols), codes)
}

// repeatedNoise is FixedNoise(rows) with each row's vector repeated cols times.
func (t *Trainer) repeatedNoise(rows, cols int) []float32 {
	nz := t.cfg.NoiseDim
	base := t.FixedNoise(rows)
	out := make([]float32, 0, rows*cols*nz)
	for r := range rows {
		for range cols {
			out = append(out, base[r*nz:(r+1)*nz]...)
		}
	}
	return out
}
