package metrics_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/metrics"
	"gonum.org/v1/gonum/mat"
)

// rotation returns a random d×d orthogonal matrix (QR of a Gaussian matrix).
func rotation(rng *rand.Rand, d int) *mat.Dense {
	a := mat.NewDense(d, d, nil)
	for i := range d {
		for j := range d {
			a.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var q mat.Dense
	qr.QTo(&q)
	return &q
}

// rotated returns R diag(eig) Rᵀ.
func rotated(r *mat.Dense, eig []float64) *mat.SymDense {
	d := len(eig)
	var m mat.Dense
	m.Mul(r, mat.NewDiagDense(d, eig))
	m.Mul(&m, r.T())
	s := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			s.SetSym(i, j, (m.At(i, j)+m.At(j, i))/2)
		}
	}
	return s
}

// Two Gaussians whose covariances commute (the same eigenvectors R, any R): the distance
// has the closed form ‖μa − μb‖² + Σ_i (√λa_i − √λb_i)².
func TestFrechetGaussiansClosedForm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name   string
		d      int
		rotate bool
	}{{"1-D", 1, false}, {"diagonal", 5, false}, {"rotated", 8, true}, {"rotated 32-D", 32, true}} {
		t.Run(tc.name, func(t *testing.T) {
			la, lb := make([]float64, tc.d), make([]float64, tc.d)
			ma, mb := make([]float64, tc.d), make([]float64, tc.d)
			want := 0.0
			for i := range tc.d {
				la[i], lb[i] = 0.1+3*rng.Float64(), 0.1+3*rng.Float64()
				ma[i], mb[i] = rng.NormFloat64(), rng.NormFloat64()
				want += (ma[i]-mb[i])*(ma[i]-mb[i]) + (math.Sqrt(la[i])-math.Sqrt(lb[i]))*(math.Sqrt(la[i])-math.Sqrt(lb[i]))
			}
			r := mat.NewDense(tc.d, tc.d, nil)
			for i := range tc.d {
				r.Set(i, i, 1)
			}
			if tc.rotate {
				r = rotation(rng, tc.d)
			}
			a := metrics.Gaussian{Mean: ma, Cov: rotated(r, la)}
			b := metrics.Gaussian{Mean: mb, Cov: rotated(r, lb)}
			got, err := metrics.FrechetGaussians(a, b)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-want) > 1e-9*max(1, want) {
				t.Errorf("FrechetGaussians = %.12g, want %.12g", got, want)
			}
			back, err := metrics.FrechetGaussians(b, a)
			if err != nil || math.Abs(back-got) > 1e-9*max(1, want) {
				t.Errorf("not symmetric: d(a,b) = %.12g, d(b,a) = %.12g (%v)", got, back, err)
			}
			self, err := metrics.FrechetGaussians(a, a)
			if err != nil || self > 1e-9*float64(tc.d) {
				t.Errorf("d(a,a) = %g, want 0 (%v)", self, err)
			}
		})
	}
}

// A case whose covariances do not commute, checked against an independent formula: in
// 2-D, Tr √M = √(Tr M + 2√det M) for a 2×2 positive semi-definite M, and
// det M = det Σa · det Σb.
func TestFrechetGaussiansNonCommuting2D(t *testing.T) {
	sa := mat.NewSymDense(2, []float64{2, 0.5, 0.5, 1})
	sb := mat.NewSymDense(2, []float64{1, -0.3, -0.3, 3})
	var m mat.Dense
	m.Mul(sa, sb) // Tr(Σa^½ Σb Σa^½) = Tr(Σa Σb)
	trM := m.At(0, 0) + m.At(1, 1)
	detM := (2*1 - 0.25) * (1*3 - 0.09)
	want := 1.0*1.0 + 2.0*2.0 + (2 + 1) + (1 + 3) - 2*math.Sqrt(trM+2*math.Sqrt(detM))
	got, err := metrics.FrechetGaussians(metrics.Gaussian{Mean: []float64{0, 0}, Cov: sa},
		metrics.Gaussian{Mean: []float64{1, -2}, Cov: sb})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("FrechetGaussians = %.15g, want %.15g", got, want)
	}
}

// From samples: two large samples of known Gaussians come out near the closed form, two
// samples of the same Gaussian near 0, identical sets at exactly 0 up to rounding, and a
// singular covariance (fewer vectors than dimensions) is fine.
func TestFrechetFromSamples(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	sample := func(n int, mean, sd []float64) [][]float64 {
		x := make([][]float64, n)
		for i := range x {
			x[i] = make([]float64, len(mean))
			for j := range mean {
				x[i][j] = mean[j] + sd[j]*rng.NormFloat64()
			}
		}
		return x
	}
	ma, sda := []float64{0, 0, 0, 0}, []float64{1, 1, 1, 1}
	mb, sdb := []float64{1, 0, 0, 0}, []float64{2, 1, 1, 0.5}
	want := 1.0 + 1 + 0.25 // ‖Δμ‖² + Σ(σa − σb)²
	a, b := sample(20000, ma, sda), sample(20000, mb, sdb)
	got, err := metrics.Frechet(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-want) > 0.05 {
		t.Errorf("Frechet of N(0, I) and N(e1, diag(4,1,1,.25)) samples = %.4f, want %.4f ± 0.05", got, want)
	}
	same, err := metrics.Frechet(a, sample(20000, ma, sda))
	if err != nil || same > 0.01 {
		t.Errorf("Frechet of two samples of N(0, I) = %.4f, want < 0.01 (%v)", same, err)
	}
	if self, err := metrics.Frechet(a, a); err != nil || self > 1e-9 {
		t.Errorf("Frechet(a, a) = %g, want 0 (%v)", self, err)
	}
	few := sample(5, make([]float64, 20), slicesOf(20, 1.0)) // rank-4 covariance in 20-D
	if d, err := metrics.Frechet(few, few); err != nil || d > 1e-9 {
		t.Errorf("Frechet of a 5-vector set in 20-D with itself = %g, want 0 (%v)", d, err)
	}
}

func slicesOf(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func TestFrechetErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b [][]float64
		want string
	}{
		{"one vector", [][]float64{{1}}, [][]float64{{1}, {2}}, "at least 2 vectors"},
		{"ragged", [][]float64{{1, 2}, {1}}, [][]float64{{1, 2}, {2, 3}}, "vector 1 has length 1"},
		{"NaN", [][]float64{{1}, {math.NaN()}}, [][]float64{{1}, {2}}, "is NaN"},
		{"dimensions", [][]float64{{1, 2}, {3, 4}}, [][]float64{{1}, {2}}, "dimensions differ"},
	} {
		if _, err := metrics.Frechet(tc.a, tc.b); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	notPSD := metrics.Gaussian{Mean: []float64{0, 0}, Cov: mat.NewSymDense(2, []float64{1, 2, 2, 1})}
	if _, err := metrics.FrechetGaussians(notPSD, notPSD); !errors.Is(err, metrics.ErrNotPSD) || !strings.Contains(err.Error(), "eigenvalue -1") {
		t.Errorf("a covariance with eigenvalue -1: error %v", err)
	}
}
