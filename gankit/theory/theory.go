package theory

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/target"
)

// MinC = -log 4 is the global minimum of the virtual training criterion C(G), reached
// exactly when p_g = p_data.
const MinC = -2 * math.Ln2

// DStar is the optimal discriminator's output at a point where the data density is pData
// and the generator's density is pG: pData / (pData + pG).
//
// Where both densities are 0 (off both supports) the value function does not depend on D,
// so D* is arbitrary; DStar returns 1/2 there, the conventional choice (the discriminator
// cannot tell the two apart, and it is the value D* takes everywhere when p_g = p_data).
func DStar(pData, pG float64) float64 {
	s := pData + pG
	if s == 0 {
		return 0.5
	}
	return pData / s
}

// LeastSquaresDStar is the optimal LSGAN discriminator at a point where the data density
// is pData and the generator's density is pG, for the a-b-c coding of Mao et al. (2017):
// D minimises ½·E_data[(D(x)-b)²] + ½·E_g[(D(x)-a)²], pointwise
// ½·pData·(D-b)² + ½·pG·(D-a)², whose minimiser is the weighted mean of the targets
// (b·pData + a·pG) / (pData + pG). With gankit's coding (a = 0, b = 1) it is DStar, the
// standard GAN's optimum. Off both supports it returns (a+b)/2, DStar's convention.
func LeastSquaresDStar(a, b, pData, pG float64) float64 {
	s := pData + pG
	if s == 0 {
		return (a + b) / 2
	}
	return (b*pData + a*pG) / s
}

// OptimalD returns D*(x) = p_data(x) / (p_data(x) + p_g(x)) for 1-D densities (see
// DStar for the 0/0 convention).
func OptimalD(data, gen target.Density) func(x float64) float64 {
	return func(x float64) float64 {
		pt := []float64{x}
		return DStar(data.Density(pt), gen.Density(pt))
	}
}

// check1D returns an error unless every density is 1-D and the quadrature is valid.
func check1D(what string, q Quadrature, ds ...target.Density) error {
	for _, d := range ds {
		if d.Dim() != 1 {
			return fmt.Errorf("theory: %s needs 1-D densities, %s has dimension %d", what, d.Name(), d.Dim())
		}
	}
	if err := q.Validate(); err != nil {
		return fmt.Errorf("theory: %s: %w", what, err)
	}
	return nil
}

// density evaluates d at x and checks that the result is a density value.
func density(d target.Density, pt []float64) (float64, error) {
	p := d.Density(pt)
	if math.IsNaN(p) || p < 0 || math.IsInf(p, 0) {
		return 0, fmt.Errorf("theory: density of %s at %v is %g, want a finite value >= 0", d.Name(), pt, p)
	}
	return p, nil
}

// integrate1D runs q over f(x, p(x), q(x)) and stops at the first error.
func integrate1D(q Quadrature, a, b target.Density, f func(x, pa, pb float64) (float64, error)) (float64, error) {
	var firstErr error
	v := q.Integrate(func(x float64) float64 {
		if firstErr != nil {
			return 0
		}
		pt := []float64{x}
		pa, err := density(a, pt)
		if err != nil {
			firstErr = err
			return 0
		}
		pb, err := density(b, pt)
		if err != nil {
			firstErr = err
			return 0
		}
		y, err := f(x, pa, pb)
		if err != nil {
			firstErr = err
			return 0
		}
		return y
	})
	if firstErr != nil {
		return math.NaN(), firstErr
	}
	return v, nil
}

// Value computes V(D, G) = ∫ p_data log D + ∫ p_g log(1 - D) by quadrature, for 1-D
// densities. Points where a density is 0 contribute nothing to its term (0·log 0 = 0).
//
// It returns an error if D(x) is NaN or outside [0, 1] at a node where p_data or p_g is
// positive. D(x) = 0 where p_data > 0 (or D(x) = 1 where p_g > 0) is a legitimate,
// infinitely bad discriminator: Value then returns -Inf and a nil error.
func Value(data, gen target.Density, d func(x float64) float64, q Quadrature) (float64, error) {
	if err := check1D("Value", q, data, gen); err != nil {
		return math.NaN(), err
	}
	v, err := integrate1D(q, data, gen, func(x, pd, pg float64) (float64, error) {
		if pd == 0 && pg == 0 {
			return 0, nil
		}
		dx := d(x)
		if !(dx >= 0 && dx <= 1) {
			return 0, fmt.Errorf("theory: Value: D(%g) = %g is outside [0, 1] where p_data = %g, p_g = %g", x, dx, pd, pg)
		}
		y := 0.0
		if pd > 0 {
			y += pd * math.Log(dx)
		}
		if pg > 0 {
			y += pg * math.Log1p(-dx)
		}
		return y, nil
	})
	if err != nil {
		return math.NaN(), err
	}
	return v, nil
}

// C computes the virtual training criterion C(G) = V(D*, G) = max_D V(D, G) by quadrature
// directly, as V with D = D* (not through JSD): by Theorem 1 it equals
// MinC + 2·JSD(data, gen), which a lesson can check numerically.
//
// The integrand is evaluated as p_data·log(p_data/(p_data+p_g)) + p_g·log(p_g/(p_data+p_g)),
// which is V's integrand at D = D* written without forming 1 - D*: far in the tails D*
// rounds to exactly 1 where p_g is still positive, and log(1 - D*) would be -Inf.
func C(data, gen target.Density, quad Quadrature) (float64, error) {
	if err := check1D("C", quad, data, gen); err != nil {
		return math.NaN(), err
	}
	v, err := integrate1D(quad, data, gen, func(_, pd, pg float64) (float64, error) {
		y, sum := 0.0, pd+pg
		if pd > 0 {
			y += pd * math.Log(pd/sum)
		}
		if pg > 0 {
			y += pg * math.Log(pg/sum)
		}
		return y, nil
	})
	if err != nil {
		return math.NaN(), fmt.Errorf("theory: C(G) for %s vs %s: %w", data.Name(), gen.Name(), err)
	}
	return v, nil
}

// klTerm is p·log(p/q) with 0·log(0/q) = 0 and p·log(p/0) = +Inf for p > 0.
func klTerm(p, q float64) float64 {
	if p == 0 {
		return 0
	}
	if q == 0 {
		return math.Inf(1)
	}
	return p * (math.Log(p) - math.Log(q))
}

// KL computes the Kullback–Leibler divergence KL(p ‖ q) = ∫ p log(p/q), in nats, for 1-D
// densities. Where p > 0 at a node with q = 0 the divergence is infinite: KL returns
// +Inf and a nil error (the true value, not a failure). Note that in far tails a density
// can underflow to 0; see the package documentation.
func KL(p, q target.Density, quad Quadrature) (float64, error) {
	if err := check1D("KL", quad, p, q); err != nil {
		return math.NaN(), err
	}
	v, err := integrate1D(quad, p, q, func(_, pp, pq float64) (float64, error) {
		return klTerm(pp, pq), nil
	})
	if err != nil {
		return math.NaN(), fmt.Errorf("theory: KL(%s ‖ %s): %w", p.Name(), q.Name(), err)
	}
	return v, nil
}

// jsdTerm is the integrand of JSD: ½ p log(p/m) + ½ q log(q/m), m = (p+q)/2. It is finite
// everywhere: m > 0 wherever p or q is.
func jsdTerm(p, q float64) float64 {
	m := (p + q) / 2
	return 0.5*klTerm(p, m) + 0.5*klTerm(q, m)
}

// JSD computes the Jensen–Shannon divergence JSD(p ‖ q) = ½ KL(p ‖ M) + ½ KL(q ‖ M) with
// M = (p + q)/2, in nats, for 1-D densities. It is symmetric, 0 iff p = q, and at most
// log 2 (reached when the supports are disjoint); the quadrature error can move it
// slightly outside [0, log 2].
func JSD(p, q target.Density, quad Quadrature) (float64, error) {
	if err := check1D("JSD", quad, p, q); err != nil {
		return math.NaN(), err
	}
	v, err := integrate1D(quad, p, q, func(_, pp, pq float64) (float64, error) {
		return jsdTerm(pp, pq), nil
	})
	if err != nil {
		return math.NaN(), fmt.Errorf("theory: JSD(%s ‖ %s): %w", p.Name(), q.Name(), err)
	}
	return v, nil
}

// JSD2D computes the Jensen–Shannon divergence of two 2-D densities on the grid g (see
// JSD and Auto2D).
func JSD2D(p, q target.Density, g Quadrature2D) (float64, error) {
	if p.Dim() != 2 || q.Dim() != 2 {
		return math.NaN(), fmt.Errorf("theory: JSD2D needs 2-D densities, got %s (dim %d) and %s (dim %d)",
			p.Name(), p.Dim(), q.Name(), q.Dim())
	}
	if err := g.Validate(); err != nil {
		return math.NaN(), fmt.Errorf("theory: JSD2D: %w", err)
	}
	var firstErr error
	pt := make([]float64, 2)
	v := g.Integrate(func(x, y float64) float64 {
		if firstErr != nil {
			return 0
		}
		pt[0], pt[1] = x, y
		pp, err := density(p, pt)
		if err != nil {
			firstErr = err
			return 0
		}
		pq, err := density(q, pt)
		if err != nil {
			firstErr = err
			return 0
		}
		return jsdTerm(pp, pq)
	})
	if firstErr != nil {
		return math.NaN(), fmt.Errorf("theory: JSD2D(%s ‖ %s): %w", p.Name(), q.Name(), firstErr)
	}
	return v, nil
}

// MaxGap returns the largest |d(x) - dStar(x)| over the xs "on the support", where
// p_data(x) + p_g(x) >= minDensity, and the x where it occurs (the first one, on ties).
//
// Lessons pass a positive minDensity to compare a trained discriminator with D* only
// where samples actually fall: far from both distributions no sample constrains D, so any
// value there is as good as D*'s. If no x qualifies, MaxGap returns (0, NaN); if the
// difference is NaN at some qualifying x (a broken d), it returns (NaN, x).
func MaxGap(d, dStar func(float64) float64, data, gen target.Density, xs []float64, minDensity float64) (gap, at float64) {
	gap, at = 0, math.NaN()
	found := false
	pt := make([]float64, 1)
	for _, x := range xs {
		pt[0] = x
		if data.Density(pt)+gen.Density(pt) < minDensity {
			continue
		}
		diff := math.Abs(d(x) - dStar(x))
		if math.IsNaN(diff) {
			return math.NaN(), x
		}
		if !found || diff > gap {
			gap, at, found = diff, x, true
		}
	}
	return gap, at
}
