package theory

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/target"
)

// Quadrature is composite Simpson's rule on [Lo, Hi] with N intervals (N even, >= 2).
type Quadrature struct {
	Lo, Hi float64
	N      int
}

// Validate reports whether q is usable: finite Lo < Hi and N even and >= 2.
func (q Quadrature) Validate() error {
	if math.IsNaN(q.Lo) || math.IsNaN(q.Hi) || math.IsInf(q.Lo, 0) || math.IsInf(q.Hi, 0) || !(q.Lo < q.Hi) {
		return fmt.Errorf("theory: quadrature needs finite Lo < Hi, got [%g, %g]", q.Lo, q.Hi)
	}
	if q.N < 2 || q.N%2 != 0 {
		return fmt.Errorf("theory: quadrature needs an even number of intervals >= 2, got N=%d", q.N)
	}
	return nil
}

// Step is the interval width h = (Hi - Lo) / N.
func (q Quadrature) Step() float64 { return (q.Hi - q.Lo) / float64(q.N) }

// Points returns the N+1 nodes Lo, Lo+h, ..., Hi (nil if q is invalid): handy as the xs
// of MaxGap or for plotting D and D* on the same grid the integrals use.
func (q Quadrature) Points() []float64 {
	if q.Validate() != nil {
		return nil
	}
	xs := make([]float64, q.N+1)
	for i := range xs {
		xs[i] = q.node(i)
	}
	return xs
}

// node is the i-th node, computed directly (not by accumulation) so that the last one
// is exactly Hi.
func (q Quadrature) node(i int) float64 {
	if i == q.N {
		return q.Hi
	}
	return q.Lo + float64(i)*q.Step()
}

// weight is the Simpson weight of node i, without the factor h/3: 1, 4, 2, 4, ..., 4, 1.
func (q Quadrature) weight(i int) float64 {
	switch {
	case i == 0 || i == q.N:
		return 1
	case i%2 == 1:
		return 4
	default:
		return 2
	}
}

// Integrate approximates ∫_Lo^Hi f(x) dx by composite Simpson's rule:
//
//	(h/3)·[f(x_0) + 4 f(x_1) + 2 f(x_2) + ... + 4 f(x_{N-1}) + f(x_N)].
//
// It is exact for polynomials up to degree 3. It returns NaN if q is invalid (see
// Validate).
func (q Quadrature) Integrate(f func(x float64) float64) float64 {
	if q.Validate() != nil {
		return math.NaN()
	}
	sum := 0.0
	for i := 0; i <= q.N; i++ {
		sum += q.weight(i) * f(q.node(i))
	}
	return sum * q.Step() / 3
}

// Auto returns a Quadrature on the union of the 1-D Bounds() of p and q (the first
// coordinate, if they are not 1-D) with n intervals, rounded up to even (and at least 2).
// Mixture bounds leave ~1.6e-6 of the mass outside; see the package documentation.
func Auto(p, q target.Density, n int) Quadrature {
	plo, phi := p.Bounds()
	qlo, qhi := q.Bounds()
	if n < 2 {
		n = 2
	}
	if n%2 != 0 {
		n++
	}
	return Quadrature{Lo: math.Min(plo[0], qlo[0]), Hi: math.Max(phi[0], qhi[0]), N: n}
}

// Quadrature2D is the tensor product of two Simpson rules: X on the first coordinate and
// Y on the second.
type Quadrature2D struct {
	X, Y Quadrature
}

// Validate reports whether both rules are valid.
func (g Quadrature2D) Validate() error {
	if err := g.X.Validate(); err != nil {
		return fmt.Errorf("theory: 2-D quadrature, x axis: %w", err)
	}
	if err := g.Y.Validate(); err != nil {
		return fmt.Errorf("theory: 2-D quadrature, y axis: %w", err)
	}
	return nil
}

// Integrate approximates ∫∫ f(x, y) dx dy over [X.Lo, X.Hi] × [Y.Lo, Y.Hi]. It returns NaN
// if g is invalid.
func (g Quadrature2D) Integrate(f func(x, y float64) float64) float64 {
	if g.Validate() != nil {
		return math.NaN()
	}
	return g.X.Integrate(func(x float64) float64 {
		return g.Y.Integrate(func(y float64) float64 { return f(x, y) })
	})
}

// Auto2D returns a Quadrature2D on the union of the 2-D Bounds() of p and q, with n
// intervals per axis (rounded up to even, at least 2). It returns an error unless both
// densities are 2-D.
func Auto2D(p, q target.Density, n int) (Quadrature2D, error) {
	if p.Dim() != 2 || q.Dim() != 2 {
		return Quadrature2D{}, fmt.Errorf("theory: Auto2D needs 2-D densities, got %s (dim %d) and %s (dim %d)",
			p.Name(), p.Dim(), q.Name(), q.Dim())
	}
	if n < 2 {
		n = 2
	}
	if n%2 != 0 {
		n++
	}
	plo, phi := p.Bounds()
	qlo, qhi := q.Bounds()
	axis := func(d int) Quadrature {
		return Quadrature{Lo: math.Min(plo[d], qlo[d]), Hi: math.Max(phi[d], qhi[d]), N: n}
	}
	return Quadrature2D{X: axis(0), Y: axis(1)}, nil
}
