package dirac

import (
	"fmt"
	"math"
	"math/cmplx"

	"github.com/gankit/kit/gankit/theory"
)

// F is f(t) = -log(1 + e^{-t}) = log σ(t), computed without overflow.
func F(t float64) float64 {
	if t > 0 {
		return -math.Log1p(math.Exp(-t))
	}
	return t - math.Log1p(math.Exp(t))
}

// FPrime is f'(t) = 1/(1 + e^t) = σ(-t).
func FPrime(t float64) float64 {
	if t > 0 {
		e := math.Exp(-t)
		return e / (1 + e)
	}
	return 1 / (1 + math.Exp(t))
}

// Point is a state of the game: the generator's position θ and the discriminator's slope ψ.
type Point struct{ Theta, Psi float64 }

// Radius is the distance √(θ² + ψ²) to the equilibrium (0, 0).
func (p Point) Radius() float64 { return math.Hypot(p.Theta, p.Psi) }

// Stabiliser is a regulariser of D's objective; the zero value is the plain GAN.
type Stabiliser struct {
	// Gamma is R1's weight γ: D maximises L - γ/2·E_{p_data}‖∇_x D‖² = L - γ/2·ψ².
	Gamma float64
	// Sigma is the standard deviation of the instance noise added to every sample D sees.
	Sigma float64
}

// Validate reports a negative or non-finite weight.
func (s Stabiliser) Validate() error {
	if !(s.Gamma >= 0) || math.IsInf(s.Gamma, 0) || !(s.Sigma >= 0) || math.IsInf(s.Sigma, 0) {
		return fmt.Errorf("dirac: Gamma and Sigma must be finite and >= 0, got %v and %v", s.Gamma, s.Sigma)
	}
	return nil
}

// String names the stabiliser as the lesson's tables do.
func (s Stabiliser) String() string {
	switch {
	case s.Gamma == 0 && s.Sigma == 0:
		return "none"
	case s.Sigma == 0:
		return fmt.Sprintf("R1 γ = %g", s.Gamma)
	case s.Gamma == 0:
		return fmt.Sprintf("instance noise σ = %g", s.Sigma)
	}
	return fmt.Sprintf("R1 γ = %g + instance noise σ = %g", s.Gamma, s.Sigma)
}

// noiseQuadrature is the grid of the instance-noise expectations: ±8σ, fine enough that
// the integrands (smooth, at most linear times a Gaussian) are exact to ~1e-12.
func noiseQuadrature(sigma float64) theory.Quadrature {
	return theory.Quadrature{Lo: -8 * sigma, Hi: 8 * sigma, N: 200}
}

func gauss(e, sigma float64) float64 {
	return math.Exp(-e*e/(2*sigma*sigma)) / (sigma * math.Sqrt(2*math.Pi))
}

// DThetaPsi is G's and D's field components, split so that an alternating step can use
// each alone.
func (s Stabiliser) thetaField(p Point) float64 {
	if s.Sigma == 0 {
		return -FPrime(p.Psi*p.Theta) * p.Psi
	}
	q := noiseQuadrature(s.Sigma)
	return -p.Psi * q.Integrate(func(e float64) float64 { return gauss(e, s.Sigma) * FPrime(p.Psi*(p.Theta+e)) })
}

func (s Stabiliser) psiField(p Point) float64 {
	v := FPrime(p.Psi*p.Theta) * p.Theta
	if s.Sigma > 0 {
		q := noiseQuadrature(s.Sigma)
		v = q.Integrate(func(e float64) float64 {
			return gauss(e, s.Sigma) * (FPrime(p.Psi*(p.Theta+e))*(p.Theta+e) - FPrime(-p.Psi*e)*e)
		})
	}
	return v - s.Gamma*p.Psi
}

// Field is the gradient vector field v = (-∂L/∂θ, ∂L_D/∂ψ) at p, where L_D is D's
// regularised objective: the direction gradient play moves (θ, ψ) (G descends L, D ascends
// L_D).
func (s Stabiliser) Field(p Point) Point {
	return Point{s.thetaField(p), s.psiField(p)}
}

// Jacobian is the Jacobian of Field at the equilibrium (0, 0), row-major:
// [[0, -f'(0)], [f'(0), -γ + 2f″(0)σ²]] with f'(0) = 1/2, f″(0) = -1/4.
func (s Stabiliser) Jacobian() [2][2]float64 {
	return [2][2]float64{{0, -0.5}, {0.5, -s.Gamma - s.Sigma*s.Sigma/2}}
}

// Eigenvalues are the two eigenvalues of Jacobian, the one with the larger real part
// first (then the one with the positive imaginary part): (d ± √(d² - 1))/2 with
// d = -γ - σ²/2.
func (s Stabiliser) Eigenvalues() (complex128, complex128) {
	d := 0 - s.Gamma - s.Sigma*s.Sigma/2 // 0 - …: no -0 in the plain GAN's eigenvalues
	root := cmplx.Sqrt(complex(d*d-1, 0))
	return (complex(d, 0) + root) / 2, (complex(d, 0) - root) / 2
}

// Update is how the two players take their steps.
type Update int

const (
	// Simultaneous: both step from the same point.
	Simultaneous Update = iota
	// Alternating: D steps first, then G steps against the updated D.
	Alternating
)

// String is "simultaneous" or "alternating".
func (u Update) String() string {
	switch u {
	case Simultaneous:
		return "simultaneous"
	case Alternating:
		return "alternating"
	}
	return fmt.Sprintf("Update(%d)", int(u))
}

// Trajectory runs steps gradient steps of size h from start and returns the steps+1
// points visited (start first).
func Trajectory(start Point, u Update, s Stabiliser, h float64, steps int) ([]Point, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if !(h > 0) || math.IsInf(h, 0) {
		return nil, fmt.Errorf("dirac: the step size must be finite and > 0, got %v", h)
	}
	if steps < 0 {
		return nil, fmt.Errorf("dirac: steps must be >= 0, got %d", steps)
	}
	if u != Simultaneous && u != Alternating {
		return nil, fmt.Errorf("dirac: unknown update %v", u)
	}
	path := make([]Point, 0, steps+1)
	p := start
	path = append(path, p)
	for range steps {
		if u == Simultaneous {
			v := s.Field(p)
			p = Point{p.Theta + h*v.Theta, p.Psi + h*v.Psi}
		} else {
			p.Psi += h * s.psiField(p)
			p.Theta += h * s.thetaField(p)
		}
		path = append(path, p)
	}
	return path, nil
}

// SimultaneousGrowth is the factor by which n simultaneous plain-GAN steps of size h grow
// the radius near the equilibrium: (1 + h²/4)^{n/2}, from |1 ± ih/2| = √(1 + h²/4).
func SimultaneousGrowth(h float64, n int) float64 {
	return math.Pow(1+h*h/4, float64(n)/2)
}

// DecayRate is the slowest rate at which the linearised continuous dynamics approach the
// equilibrium: -max Re λ over the Jacobian's eigenvalues (0 for the plain GAN, γ/2 for R1
// with γ <= 1, (γ - √(γ² - 1))/2 above).
func (s Stabiliser) DecayRate() float64 {
	l, _ := s.Eigenvalues()
	return -real(l)
}

// EMA is the exponential moving average of G's parameter θ along a path, the "EMA of G"
// stabiliser: ema_0 = θ_0, ema_k = β·ema_{k-1} + (1 - β)·θ_k. Averaging the iterates of
// a path that circles the equilibrium lands near its centre, which no single iterate does.
func EMA(path []Point, beta float64) ([]float64, error) {
	if !(beta >= 0 && beta < 1) {
		return nil, fmt.Errorf("dirac: the EMA decay must be in [0, 1), got %v", beta)
	}
	out := make([]float64, len(path))
	for i, p := range path {
		if i == 0 {
			out[i] = p.Theta
			continue
		}
		out[i] = beta*out[i-1] + (1-beta)*p.Theta
	}
	return out, nil
}
