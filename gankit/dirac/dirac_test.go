package dirac

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
)

func TestFAndFPrime(t *testing.T) {
	for _, x := range []float64{-800, -30, -1, 0, 0.5, 3, 800} {
		want := -math.Log1p(math.Exp(-x))
		if x < -700 {
			want = x
		}
		if got := F(x); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Errorf("F(%g) = %g, want %g", x, got, want)
		}
		h := 1e-5
		if x > -40 && x < 40 {
			num := (F(x+h) - F(x-h)) / (2 * h)
			if math.Abs(FPrime(x)-num) > 1e-8 {
				t.Errorf("FPrime(%g) = %g, numerical %g", x, FPrime(x), num)
			}
		}
		if fp := FPrime(x); math.IsNaN(fp) || fp < 0 || fp > 1 {
			t.Errorf("FPrime(%g) = %g, want in [0, 1]", x, fp)
		}
	}
	if FPrime(0) != 0.5 {
		t.Errorf("f'(0) = %g, want 1/2", FPrime(0))
	}
}

// Simultaneous steps grow the radius by exactly √(1 + h²·f'(ψθ)²) per step.
func TestSimultaneousGrowthExact(t *testing.T) {
	path, err := Trajectory(Point{0.3, -1.2}, Simultaneous, Stabiliser{}, 0.3, 50)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(path); i++ {
		p := path[i-1]
		want := p.Radius() * math.Sqrt(1+0.09*math.Pow(FPrime(p.Psi*p.Theta), 2))
		if got := path[i].Radius(); math.Abs(got-want) > 1e-12 {
			t.Fatalf("step %d: radius %.15g, want %.15g", i, got, want)
		}
	}
	// Near the equilibrium, f' = 1/2: (1 + h²/4)^{n/2}.
	small, _ := Trajectory(Point{1e-3, 0}, Simultaneous, Stabiliser{}, 0.2, 500)
	got, want := small[500].Radius()/1e-3, SimultaneousGrowth(0.2, 500)
	if math.Abs(got-want) > 1e-4*want {
		t.Errorf("growth over 500 steps %.6g, want %.6g", got, want)
	}
	if want < 12 || want > 12.1 {
		t.Errorf("SimultaneousGrowth(0.2, 500) = %g, want 1.01^250 ≈ 12.03", want)
	}
}

func TestEigenvalues(t *testing.T) {
	l1, l2 := Stabiliser{}.Eigenvalues()
	if cmplx.Abs(l1-0.5i) > 1e-15 || cmplx.Abs(l2+0.5i) > 1e-15 {
		t.Errorf("plain GAN eigenvalues %v, %v, want ±i/2", l1, l2)
	}
	for _, s := range []Stabiliser{{Gamma: 0.3}, {Gamma: 1}, {Gamma: 3}, {Sigma: 0.7}, {Gamma: 0.2, Sigma: 1}} {
		j := s.Jacobian()
		tr, det := j[0][0]+j[1][1], j[0][0]*j[1][1]-j[0][1]*j[1][0]
		a, b := s.Eigenvalues()
		if cmplx.Abs(a+b-complex(tr, 0)) > 1e-12 || cmplx.Abs(a*b-complex(det, 0)) > 1e-12 || real(a) < real(b) {
			t.Errorf("%v: eigenvalues %v, %v do not match trace %g, determinant %g", s, a, b, tr, det)
		}
		if !(s.DecayRate() > 0) {
			t.Errorf("%v: decay rate %g, want > 0", s, s.DecayRate())
		}
	}
	if got := (Stabiliser{Gamma: 3}).DecayRate(); math.Abs(got-(3-math.Sqrt(8))/2) > 1e-12 {
		t.Errorf("γ = 3: decay rate %g", got)
	}
}

// The field's Jacobian at the equilibrium, by finite differences, is Jacobian().
func TestJacobianMatchesField(t *testing.T) {
	for _, s := range []Stabiliser{{}, {Gamma: 0.3}, {Sigma: 0.7}, {Gamma: 0.5, Sigma: 0.4}} {
		const h = 1e-5
		j := s.Jacobian()
		dT := s.Field(Point{h, 0})
		dP := s.Field(Point{0, h})
		got := [2][2]float64{{dT.Theta / h, dP.Theta / h}, {dT.Psi / h, dP.Psi / h}}
		for a := range 2 {
			for b := range 2 {
				if math.Abs(got[a][b]-j[a][b]) > 1e-4 {
					t.Errorf("%v: Jacobian[%d][%d] = %g by differences, %g in closed form", s, a, b, got[a][b], j[a][b])
				}
			}
		}
	}
}

// The instance-noise field (quadrature) agrees with the average of the noiseless
// per-sample gradients over sampled noise.
func TestInstanceNoiseBySampling(t *testing.T) {
	const sigma, n = 0.7, 400000
	rng := rand.New(rand.NewPCG(1, 2))
	p := Point{0.8, -0.6}
	var vt, vp float64
	for range n {
		e1, e2 := sigma*rng.NormFloat64(), sigma*rng.NormFloat64()
		// L = f(ψ(θ + e1)) + f(-ψ·e2): one generated and one real noisy sample.
		vt += -FPrime(p.Psi*(p.Theta+e1)) * p.Psi
		vp += FPrime(p.Psi*(p.Theta+e1))*(p.Theta+e1) - FPrime(-p.Psi*e2)*e2
	}
	got := Stabiliser{Sigma: sigma}.Field(p)
	if math.Abs(got.Theta-vt/n) > 3e-3 || math.Abs(got.Psi-vp/n) > 3e-3 {
		t.Errorf("quadrature field %+v, sampled (%g, %g)", got, vt/n, vp/n)
	}
}

func TestTrajectoryValidates(t *testing.T) {
	cases := []struct {
		u     Update
		s     Stabiliser
		h     float64
		steps int
	}{
		{Simultaneous, Stabiliser{Gamma: -1}, 0.1, 1},
		{Simultaneous, Stabiliser{Sigma: math.Inf(1)}, 0.1, 1},
		{Simultaneous, Stabiliser{}, 0, 1},
		{Simultaneous, Stabiliser{}, math.NaN(), 1},
		{Simultaneous, Stabiliser{}, 0.1, -1},
		{Update(7), Stabiliser{}, 0.1, 1},
	}
	for _, c := range cases {
		if _, err := Trajectory(Point{1, 0}, c.u, c.s, c.h, c.steps); err == nil {
			t.Errorf("Trajectory(%v, %+v, %g, %d) returned no error", c.u, c.s, c.h, c.steps)
		}
	}
	path, err := Trajectory(Point{1, 2}, Alternating, Stabiliser{}, 0.1, 0)
	if err != nil || len(path) != 1 || path[0] != (Point{1, 2}) {
		t.Errorf("0 steps: %v, %v", path, err)
	}
}

// Alternating steps: D first, then G against the new D.
func TestAlternatingOrder(t *testing.T) {
	path, _ := Trajectory(Point{1, 0}, Alternating, Stabiliser{}, 0.2, 1)
	psi := 0.2 * FPrime(0) * 1
	theta := 1 - 0.2*FPrime(psi*1)*psi
	if got := path[1]; math.Abs(got.Psi-psi) > 1e-15 || math.Abs(got.Theta-theta) > 1e-15 {
		t.Errorf("one alternating step: %+v, want (%g, %g)", got, theta, psi)
	}
	// And it stays on a bounded orbit where simultaneous steps spiral out.
	alt, _ := Trajectory(Point{1, 0}, Alternating, Stabiliser{}, 0.2, 2000)
	for i, p := range alt {
		if r := p.Radius(); r < 0.9 || r > 1.1 {
			t.Fatalf("alternating step %d: radius %g left [0.9, 1.1]", i, r)
		}
	}
}

// The graph's field (graph.Gradient) is the float64 one, on the test backend.
func TestGraphField(t *testing.T) {
	b := testkit.Backend(t)
	pts := []Point{{0, 0}, {1, 0}, {0.3, -2}, {-4, 5}, {30, 2}}
	for _, gamma := range []float64{0, 0.3} {
		got, err := GraphField(b, pts, gamma)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range pts {
			want := Stabiliser{Gamma: gamma}.Field(p)
			if math.Abs(got[i].Theta-want.Theta) > 1e-12 || math.Abs(got[i].Psi-want.Psi) > 1e-12 {
				t.Errorf("γ = %g at %+v: graph %+v, float64 %+v", gamma, p, got[i], want)
			}
		}
	}
	if got, err := GraphField(b, nil, 0); got != nil || err != nil {
		t.Errorf("no points: %v, %v", got, err)
	}
}

func TestStrings(t *testing.T) {
	for s, want := range map[Stabiliser]string{{}: "none", {Gamma: 0.3}: "R1 γ = 0.3", {Sigma: 0.7}: "instance noise σ = 0.7", {Gamma: 1, Sigma: 2}: "R1 γ = 1 + instance noise σ = 2"} {
		if s.String() != want {
			t.Errorf("%+v.String() = %q, want %q", s, s.String(), want)
		}
	}
	if Simultaneous.String() != "simultaneous" || Alternating.String() != "alternating" || Update(5).String() != "Update(5)" {
		t.Error("Update strings")
	}
}

func TestEMA(t *testing.T) {
	got, err := EMA([]Point{{1, 0}, {3, 5}, {-1, 2}}, 0.5)
	if err != nil || len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 0.5 {
		t.Errorf("EMA = %v, %v; want [1 2 0.5]", got, err)
	}
	for _, beta := range []float64{-0.1, 1, math.NaN()} {
		if _, err := EMA(nil, beta); err == nil {
			t.Errorf("EMA accepted β = %g", beta)
		}
	}
}
