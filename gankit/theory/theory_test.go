package theory

import (
	"math"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/target"
)

// wide is a quadrature that holds all but ~1e-20 of the mass of the Gaussians used here
// (std <= 2, |mean| <= 2), so identities that assume ∫p = 1 hold to ~1e-12.
var wide = Quadrature{Lo: -25, Hi: 25, N: 10000}

func TestQuadratureValidate(t *testing.T) {
	for _, q := range []Quadrature{{0, 1, 0}, {0, 1, 3}, {0, 1, -2}, {1, 1, 2}, {2, 1, 2}, {math.NaN(), 1, 2}, {0, math.Inf(1), 2}} {
		if err := q.Validate(); err == nil {
			t.Errorf("%+v: Validate() = nil, want an error", q)
		}
		if v := q.Integrate(func(float64) float64 { return 1 }); !math.IsNaN(v) {
			t.Errorf("%+v: Integrate on an invalid quadrature = %g, want NaN", q, v)
		}
	}
	if err := (Quadrature{0, 1, 2}).Validate(); err != nil {
		t.Errorf("Validate({0,1,2}) = %v, want nil", err)
	}
	if got := (Quadrature{0, 1, 4}).Points(); len(got) != 5 || got[0] != 0 || got[4] != 1 || got[2] != 0.5 {
		t.Errorf("Points() = %v, want [0 0.25 0.5 0.75 1]", got)
	}
}

func TestSimpsonCubicExact(t *testing.T) {
	// ∫_{-1}^{2} (x³ - 2x² + 3) dx = [x⁴/4 - 2x³/3 + 3x] = (4 - 16/3 + 6) - (1/4 + 2/3 - 3) = 6.75
	f := func(x float64) float64 { return x*x*x - 2*x*x + 3 }
	for _, n := range []int{2, 4, 10} {
		got := Quadrature{-1, 2, n}.Integrate(f)
		if math.Abs(got-6.75) > 1e-12 {
			t.Errorf("N=%d: ∫ x³-2x²+3 = %.15g, want 6.75 exactly", n, got)
		}
	}
	// x⁴ is not integrated exactly (a check that the test could fail): ∫_0^1 x⁴ = 1/5, Simpson N=2 gives 5/24.
	if got := (Quadrature{0, 1, 2}).Integrate(func(x float64) float64 { return x * x * x * x }); math.Abs(got-5.0/24) > 1e-15 {
		t.Errorf("Simpson N=2 on x⁴ = %g, want 5/24", got)
	}
}

func TestSimpsonGaussianMass(t *testing.T) {
	g := target.Gaussian(0, 1)
	got := Quadrature{-10, 10, 2000}.Integrate(func(x float64) float64 { return g.Density([]float64{x}) })
	if math.Abs(got-1) > 1e-9 {
		t.Errorf("∫ N(0,1) on [-10,10] = %.15g, want 1 within 1e-9", got)
	}
}

func TestAuto(t *testing.T) {
	q := Auto(target.Uniform(0, 1), target.Uniform(0.5, 1.5), 1001)
	if q.Lo != -0.25 || q.Hi != 1.75 || q.N != 1002 {
		t.Errorf("Auto(U(0,1), U(0.5,1.5), 1001) = %+v, want {-0.25 1.75 1002}", q)
	}
	if err := Auto(target.Gaussian(0, 1), target.Gaussian(0, 1), 0).Validate(); err != nil {
		t.Errorf("Auto with n=0 gave an invalid quadrature: %v", err)
	}
}

func klGauss(m1, s1, m2, s2 float64) float64 {
	return math.Log(s2/s1) + (s1*s1+(m1-m2)*(m1-m2))/(2*s2*s2) - 0.5
}

func TestKLGaussians(t *testing.T) {
	for _, c := range [][4]float64{{0, 1, 1, 2}, {1, 2, 0, 1}, {2, 0.5, -1, 1.5}, {0, 1, 0, 1}} {
		got, err := KL(target.Gaussian(c[0], c[1]), target.Gaussian(c[2], c[3]), wide)
		if err != nil {
			t.Fatalf("KL(N(%g,%g²) ‖ N(%g,%g²)): %v", c[0], c[1], c[2], c[3], err)
		}
		if want := klGauss(c[0], c[1], c[2], c[3]); math.Abs(got-want) > 1e-6 {
			t.Errorf("KL(N(%g,%g²) ‖ N(%g,%g²)) = %.10g, want %.10g", c[0], c[1], c[2], c[3], got, want)
		}
	}
}

func TestKLInfinite(t *testing.T) {
	q := Quadrature{-1, 3, 4000}
	got, err := KL(target.Uniform(0, 2), target.Uniform(0, 1), q)
	if err != nil || !math.IsInf(got, 1) {
		t.Errorf("KL(U(0,2) ‖ U(0,1)) = %g, %v; want +Inf, nil", got, err)
	}
	// The other way round it is finite: log 2.
	got, err = KL(target.Uniform(0, 1), target.Uniform(0, 2), q)
	if err != nil || math.Abs(got-math.Ln2) > 1e-3 {
		t.Errorf("KL(U(0,1) ‖ U(0,2)) = %g, %v; want log 2", got, err)
	}
}

func TestDimensionErrors(t *testing.T) {
	ring := target.Ring(8, 2, 0.1)
	g := target.Gaussian(0, 1)
	if _, err := KL(ring, g, wide); err == nil || !strings.Contains(err.Error(), "1-D") {
		t.Errorf("KL on a 2-D density: err = %v, want a 1-D error", err)
	}
	if _, err := JSD(g, g, Quadrature{0, 1, 3}); err == nil {
		t.Error("JSD with odd N: want an error")
	}
	if _, err := JSD2D(g, g, Quadrature2D{wide, wide}); err == nil {
		t.Error("JSD2D on 1-D densities: want an error")
	}
	if _, err := Auto2D(g, ring, 10); err == nil {
		t.Error("Auto2D with a 1-D density: want an error")
	}
}

func TestJSD(t *testing.T) {
	g1, g2 := target.Gaussian(0, 1), target.Gaussian(1, 2)
	bi := target.Bimodal()

	for _, p := range []target.Density{g1, g2, bi} {
		j, err := JSD(p, p, wide)
		if err != nil || j != 0 {
			t.Errorf("JSD(%s, itself) = %g, %v; want exactly 0", p.Name(), j, err)
		}
	}

	// Symmetric and within (0, log 2].
	for _, pq := range [][2]target.Density{{g1, g2}, {bi, g1}, {bi, g2}} {
		a, err1 := JSD(pq[0], pq[1], wide)
		b, err2 := JSD(pq[1], pq[0], wide)
		if err1 != nil || err2 != nil {
			t.Fatalf("JSD(%s, %s): %v, %v", pq[0].Name(), pq[1].Name(), err1, err2)
		}
		if math.Abs(a-b) > 1e-12 {
			t.Errorf("JSD not symmetric: JSD(%s, %s) = %.15g, reversed %.15g", pq[0].Name(), pq[1].Name(), a, b)
		}
		if !(a > 0 && a <= math.Ln2) {
			t.Errorf("JSD(%s, %s) = %g, want in (0, log 2]", pq[0].Name(), pq[1].Name(), a)
		}
		// Cross-check with the definition ½ KL(p‖M) + ½ KL(q‖M) computed by hand.
		m := func(x float64) float64 { return (pq[0].Density([]float64{x}) + pq[1].Density([]float64{x})) / 2 }
		def := wide.Integrate(func(x float64) float64 {
			p, q := pq[0].Density([]float64{x}), pq[1].Density([]float64{x})
			s := 0.0
			if p > 0 {
				s += 0.5 * p * math.Log(p/m(x))
			}
			if q > 0 {
				s += 0.5 * q * math.Log(q/m(x))
			}
			return s
		})
		if math.Abs(a-def) > 1e-12 {
			t.Errorf("JSD(%s, %s) = %.15g, definition gives %.15g", pq[0].Name(), pq[1].Name(), a, def)
		}
	}
}

// TestJSDUniforms checks the closed form JSD = (1 - overlap)·log 2 for two uniforms of
// width 1. Their densities jump, so Simpson's rule is only O(h) accurate: every jump
// costs up to ~h/3 times the integrand's jump (≤ log 2 here). The interval is chosen on
// purpose so that the jumps do NOT fall on nodes (where errors happen to cancel), and
// N = 20000 on a length of ~2 (h ≈ 1e-4) bounds the error well below 1e-3.
func TestJSDUniforms(t *testing.T) {
	q := Quadrature{Lo: -0.2501, Hi: 1.7503, N: 20000}
	for _, c := range []struct {
		p, q target.UniformDist
		want float64
	}{
		{target.Uniform(0, 1), target.Uniform(0.5, 1.5), 0.5 * math.Ln2},
		{target.Uniform(0, 1), target.Uniform(0.25, 1.25), 0.25 * math.Ln2},
		{target.Uniform(0, 1), target.Uniform(0, 1), 0},
	} {
		got, err := JSD(c.p, c.q, q)
		if err != nil {
			t.Fatalf("JSD(%s, %s): %v", c.p.Name(), c.q.Name(), err)
		}
		if math.Abs(got-c.want) > 1e-3 {
			t.Errorf("JSD(%s, %s) = %.6g, want %.6g within 1e-3", c.p.Name(), c.q.Name(), got, c.want)
		}
	}

	// Disjoint supports: the maximum, log 2.
	p, r := target.Uniform(0, 1), target.Uniform(2, 3)
	got, err := JSD(p, r, Quadrature{Lo: -0.2501, Hi: 3.2503, N: 40000})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-math.Ln2) > 1e-3 {
		t.Errorf("JSD(U(0,1), U(2,3)) = %.6g, want log 2 = %.6g within 1e-3", got, math.Ln2)
	}
}

func TestCEqualsJSDIdentity(t *testing.T) {
	for _, pq := range [][2]target.Density{
		{target.Gaussian(0, 1), target.Gaussian(1, 2)},
		{target.Gaussian(2, 0.5), target.Gaussian(-1, 1)},
		{target.Bimodal(), target.Gaussian(0, 1)},
	} {
		c, err := C(pq[0], pq[1], wide)
		if err != nil {
			t.Fatal(err)
		}
		j, err := JSD(pq[0], pq[1], wide)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(c-(MinC+2*j)) > 1e-6 {
			t.Errorf("%s vs %s: C = %.10g, -log 4 + 2 JSD = %.10g", pq[0].Name(), pq[1].Name(), c, MinC+2*j)
		}
		if !(c > MinC+1e-3) {
			t.Errorf("%s vs %s: C = %g, want clearly above -log 4 for different distributions", pq[0].Name(), pq[1].Name(), c)
		}
		// With Auto's narrower interval the identity still holds to the truncated mass (~1e-6).
		q := Auto(pq[0], pq[1], 4000)
		ca, _ := C(pq[0], pq[1], q)
		ja, _ := JSD(pq[0], pq[1], q)
		if math.Abs(ca-(MinC+2*ja)) > 1e-5 {
			t.Errorf("%s vs %s on Auto %+v: C = %.10g, -log 4 + 2 JSD = %.10g", pq[0].Name(), pq[1].Name(), q, ca, MinC+2*ja)
		}
	}
}

func TestAtEquilibrium(t *testing.T) {
	if MinC != -math.Log(4) {
		t.Errorf("MinC = %g, want -log 4", MinC)
	}
	for _, p := range []target.Density{target.Gaussian(0, 1), target.Bimodal()} {
		c, err := C(p, p, wide)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(c-MinC) > 1e-6 {
			t.Errorf("C(%s, itself) = %.10g, want -log 4 = %.10g", p.Name(), c, MinC)
		}
		d := OptimalD(p, p)
		for _, x := range wide.Points() {
			if got := d(x); got != 0.5 {
				t.Fatalf("D*(%g) for %s vs itself = %g, want exactly 1/2", x, p.Name(), got)
			}
		}
	}
}

// A uniform has jumps, so Simpson is only O(h) accurate (see TestJSDUniforms): C = -log 4
// holds to ~h, here 1e-4, rather than to 1e-6.
func TestAtEquilibriumUniform(t *testing.T) {
	u := target.Uniform(-1, 1)
	c, err := C(u, u, Quadrature{Lo: -1.50007, Hi: 1.50011, N: 30000})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(c-MinC) > 1e-3 {
		t.Errorf("C(%s, itself) = %.10g, want -log 4 = %.10g within 1e-3", u.Name(), c, MinC)
	}
}

func TestDStar(t *testing.T) {
	for _, c := range [][3]float64{{0, 0, 0.5}, {1, 0, 1}, {0, 2, 0}, {1, 3, 0.25}, {2, 2, 0.5}} {
		if got := DStar(c[0], c[1]); got != c[2] {
			t.Errorf("DStar(%g, %g) = %g, want %g", c[0], c[1], got, c[2])
		}
	}
}

func clamp(v float64) float64 { return math.Max(1e-9, math.Min(1-1e-9, v)) }

func TestOptimalDMaximisesValue(t *testing.T) {
	data, gen := target.Bimodal(), target.Gaussian(0, 1.5)
	q := Quadrature{-15, 15, 6000}
	dStar := OptimalD(data, gen)
	vStar, err := Value(data, gen, dStar, q)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := C(data, gen, q); math.Abs(c-vStar) > 1e-12 {
		t.Errorf("C = %.15g, Value(D*) = %.15g: want equal within 1e-12", c, vStar)
	}
	others := map[string]func(float64) float64{
		"D*+0.05 sin x": func(x float64) float64 { return clamp(dStar(x) + 0.05*math.Sin(x)) },
		"D*-0.01":       func(x float64) float64 { return clamp(dStar(x) - 0.01) },
		"D*·0.9":        func(x float64) float64 { return clamp(0.9 * dStar(x)) },
		"constant 1/2":  func(float64) float64 { return 0.5 },
		"sigmoid(x²-2)": func(x float64) float64 { return 1 / (1 + math.Exp(-(x*x - 2))) },
	}
	for name, d := range others {
		v, err := Value(data, gen, d, q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !(v < vStar) {
			t.Errorf("Value(%s) = %.10g >= Value(D*) = %.10g", name, v, vStar)
		}
	}
	// Constant 1/2 gives exactly -log 4 (the discriminator that cannot tell).
	if v, _ := Value(data, gen, func(float64) float64 { return 0.5 }, wide); math.Abs(v-MinC) > 1e-9 {
		t.Errorf("Value(D = 1/2) = %g, want -log 4", v)
	}
}

func TestValueErrorsAndInfinities(t *testing.T) {
	g, u := target.Gaussian(0, 1), target.Uniform(0, 1)
	if _, err := Value(g, g, func(float64) float64 { return 1.5 }, wide); err == nil || !strings.Contains(err.Error(), "outside [0, 1]") {
		t.Errorf("D = 1.5: err = %v, want an outside [0, 1] error", err)
	}
	if _, err := Value(g, g, func(float64) float64 { return math.NaN() }, wide); err == nil {
		t.Error("D = NaN: want an error")
	}
	// Off both supports D is not looked at: a wild D there is fine.
	q := Quadrature{-1, 2, 3000}
	d := func(x float64) float64 {
		if x < 0 || x > 1 {
			return -7
		}
		return 0.5
	}
	if v, err := Value(u, u, d, q); err != nil || math.Abs(v-MinC) > 1e-3 {
		t.Errorf("Value with D wild off the support = %g, %v; want about -log 4, nil", v, err)
	}
	// D = 1 where p_g > 0 is infinitely bad, not an error.
	if v, err := Value(g, g, func(float64) float64 { return 1 }, wide); err != nil || !math.IsInf(v, -1) {
		t.Errorf("D = 1: Value = %g, %v; want -Inf, nil", v, err)
	}
}

func TestMaxGap(t *testing.T) {
	data, gen := target.Uniform(0, 1), target.Uniform(0.5, 1.5)
	dStar := OptimalD(data, gen) // 1 on [0,0.5), 1/2 on [0.5,1], 0 on (1,1.5], 1/2 outside
	d := func(x float64) float64 {
		switch {
		case x > 2: // far off the support: a huge error that must be ignored
			return 1
		case x >= 0.5 && x <= 1:
			return 0.5 + 0.1*x // gap 0.1·x on the overlap: largest, 0.1, at x = 1
		default:
			return dStar(x)
		}
	}
	xs := []float64{-1, 0.25, 0.5, 0.75, 1, 1.25, 3, 4}
	gap, at := MaxGap(d, dStar, data, gen, xs, 0.5)
	if math.Abs(gap-0.1) > 1e-12 || at != 1 {
		t.Errorf("MaxGap = (%g, %g), want (0.1, 1)", gap, at)
	}
	// With minDensity 0 the region x > 2 counts too: gap 1/2 at x = 3.
	gap, at = MaxGap(d, dStar, data, gen, xs, 0)
	if gap != 0.5 || at != 3 {
		t.Errorf("MaxGap with minDensity 0 = (%g, %g), want (0.5, 3)", gap, at)
	}
	// Nothing on the support.
	gap, at = MaxGap(d, dStar, data, gen, []float64{5, 6}, 0.1)
	if gap != 0 || !math.IsNaN(at) {
		t.Errorf("MaxGap off the support = (%g, %g), want (0, NaN)", gap, at)
	}
	// A broken d shows.
	gap, at = MaxGap(func(float64) float64 { return math.NaN() }, dStar, data, gen, xs, 0.5)
	if !math.IsNaN(gap) || at != 0.25 {
		t.Errorf("MaxGap with NaN d = (%g, %g), want (NaN, 0.25)", gap, at)
	}
}

func TestJSD2D(t *testing.T) {
	ring := target.Ring(8, 2, 0.2)
	g, err := Auto2D(ring, ring, 200)
	if err != nil {
		t.Fatal(err)
	}
	if j, err := JSD2D(ring, ring, g); err != nil || j != 0 {
		t.Errorf("JSD2D(ring, ring) = %g, %v; want 0", j, err)
	}
	// Two isotropic 2-D Gaussians far apart: essentially disjoint, JSD ≈ log 2.
	a, err := target.NewMixture("a", [][]float64{{-3, 0}}, []float64{0.3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := target.NewMixture("b", [][]float64{{3, 0}}, []float64{0.3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g = Quadrature2D{X: Quadrature{-6, 6, 400}, Y: Quadrature{-3, 3, 200}}
	j, err := JSD2D(a, b, g)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(j-math.Ln2) > 1e-6 {
		t.Errorf("JSD2D of far-apart Gaussians = %.10g, want log 2", j)
	}
	// Two 2-D Gaussians offset along x: the JSD equals that of their 1-D x-marginals.
	c, _ := target.NewMixture("c", [][]float64{{0, 1}}, []float64{1}, nil)
	d, _ := target.NewMixture("d", [][]float64{{1.5, 1}}, []float64{1}, nil)
	g = Quadrature2D{X: Quadrature{-12, 14, 520}, Y: Quadrature{-12, 14, 520}}
	j2, err := JSD2D(c, d, g)
	if err != nil {
		t.Fatal(err)
	}
	j1, err := JSD(target.Gaussian(0, 1), target.Gaussian(1.5, 1), wide)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(j2-j1) > 1e-6 {
		t.Errorf("JSD2D of offset Gaussians = %.10g, 1-D JSD = %.10g", j2, j1)
	}
}

// Far apart, D* rounds to exactly 1 in p_g's support tails: C must stay finite and tend
// to 0 (JSD -> log 2), where V computed with 1 - D* would give -Inf.
func TestCFarApartIsFinite(t *testing.T) {
	q := Quadrature{-25, 25, 10000}
	for _, mu := range []float64{6, 10} {
		c, err := C(target.Gaussian(0, 1), target.Gaussian(mu, 1), q)
		if err != nil || math.IsInf(c, 0) || math.IsNaN(c) || c > 0 || c < -0.01 {
			t.Errorf("C(N(0,1), N(%g,1)) = %v, %v; want finite, in [-0.01, 0]", mu, c, err)
		}
	}
}

func TestLeastSquaresDStar(t *testing.T) {
	for _, c := range [][5]float64{
		{0, 1, 0.3, 0.1, 0.75}, {-1, 1, 1, 1, 0}, {-1, 1, 3, 1, 0.5}, {-1, 1, 0, 0, 0}, {0, 1, 0, 0, 0.5}, {2, 4, 0, 5, 2},
	} {
		if got := LeastSquaresDStar(c[0], c[1], c[2], c[3]); math.Abs(got-c[4]) > 1e-15 {
			t.Errorf("LeastSquaresDStar(a=%g, b=%g, %g, %g) = %g, want %g", c[0], c[1], c[2], c[3], got, c[4])
		}
	}
	// With a = 0, b = 1 it is the standard GAN's D*.
	for _, p := range [][2]float64{{0.2, 0.7}, {1, 0}, {0, 0}, {0.01, 3}} {
		if got, want := LeastSquaresDStar(0, 1, p[0], p[1]), DStar(p[0], p[1]); math.Abs(got-want) > 1e-15 {
			t.Errorf("LeastSquaresDStar(0, 1, %g, %g) = %g, DStar %g", p[0], p[1], got, want)
		}
	}
}
