package experiments

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/theory"
	. "github.com/gomlx/gomlx/core/graph"
)

// Divergence names which divergence between p_data and a model p_g FitGaussian minimises.
type Divergence int

const (
	// ForwardKL is KL(p_data ‖ p_g): maximum likelihood in the limit of infinite data.
	ForwardKL Divergence = iota
	// ReverseKL is KL(p_g ‖ p_data).
	ReverseKL
	// JSDivergence is JSD(p_data ‖ p_g), the standard GAN's divergence (lesson 2).
	JSDivergence
)

// Divergences lists the three in the order lesson 13 prints them.
func Divergences() []Divergence { return []Divergence{ForwardKL, JSDivergence, ReverseKL} }

// String implements fmt.Stringer.
func (d Divergence) String() string {
	switch d {
	case ForwardKL:
		return "KL(p_data ‖ p_g)"
	case ReverseKL:
		return "KL(p_g ‖ p_data)"
	case JSDivergence:
		return "JSD(p_data ‖ p_g)"
	}
	return fmt.Sprintf("Divergence(%d)", int(d))
}

// Value computes the divergence between data and gen by quadrature.
func (d Divergence) Value(data, gen target.Density, q theory.Quadrature) (float64, error) {
	switch d {
	case ForwardKL:
		return theory.KL(data, gen, q)
	case ReverseKL:
		return theory.KL(gen, data, q)
	case JSDivergence:
		return theory.JSD(data, gen, q)
	}
	return math.NaN(), fmt.Errorf("experiments: unknown divergence %d", int(d))
}

// GaussianFit is the Gaussian N(Mean, Std²) that minimises a divergence to a 1-D p_data.
type GaussianFit struct {
	Divergence Divergence
	Mean, Std  float64
	// Value is the divergence at the optimum, in nats.
	Value float64
	// Evaluations counts the divergences computed on the way.
	Evaluations int
}

// Fit grid and quadrature: means on [-FitMeanRange, FitMeanRange], standard deviations
// from FitStdMin to FitStdMax, FitQuadrature Simpson intervals.
const (
	FitMeanRange  = 4.0
	FitStdMin     = 0.1
	FitStdMax     = 4.0
	FitQuadrature = 600
)

// FitGaussian finds the Gaussian closest to the 1-D density data in the divergence d:
// a grid search over the mean (step 0.2 on ±FitMeanRange) and the standard deviation (30
// geometric steps from FitStdMin to FitStdMax), then a compass search refining both to
// 1e-4. Every divergence is integrated with Simpson's rule on a fixed interval covering
// the data and the widest candidate, so the fit is deterministic and backend-free.
func FitGaussian(data *target.Mixture, d Divergence) (GaussianFit, error) {
	if data.Dim() != 1 {
		return GaussianFit{}, fmt.Errorf("experiments: FitGaussian needs a 1-D density, got %s (dim %d)", data.Name(), data.Dim())
	}
	q := theory.Auto(data, target.Gaussian(0, FitStdMax), FitQuadrature)
	fit := GaussianFit{Divergence: d, Value: math.Inf(1)}
	var evalErr error
	f := func(mean, std float64) float64 {
		fit.Evaluations++
		v, err := d.Value(data, target.Gaussian(mean, std), q)
		if err != nil && evalErr == nil {
			evalErr = err
		}
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	const meanSteps, stdSteps = 40, 30
	for i := 0; i <= meanSteps; i++ {
		m := -FitMeanRange + 2*FitMeanRange*float64(i)/meanSteps
		for j := 0; j <= stdSteps; j++ {
			s := FitStdMin * math.Pow(FitStdMax/FitStdMin, float64(j)/stdSteps)
			if v := f(m, s); v < fit.Value {
				fit.Mean, fit.Std, fit.Value = m, s, v
			}
		}
	}
	if evalErr != nil {
		return GaussianFit{}, fmt.Errorf("experiments: FitGaussian(%s): %w", d, evalErr)
	}
	if math.IsInf(fit.Value, 1) {
		return GaussianFit{}, fmt.Errorf("experiments: FitGaussian(%s): every candidate is infinitely far from %s", d, data.Name())
	}
	for step := 0.05; step > 1e-4; {
		moved := false
		for _, c := range [][2]float64{{step, 0}, {-step, 0}, {0, step}, {0, -step}} {
			m, s := fit.Mean+c[0], fit.Std+c[1]
			if s <= FitStdMin/2 {
				continue
			}
			if v := f(m, s); v < fit.Value {
				fit.Mean, fit.Std, fit.Value, moved = m, s, v, true
			}
		}
		if !moved {
			step /= 2
		}
	}
	return fit, evalErr
}

// FitGaussians runs FitGaussian for each of Divergences().
func FitGaussians(data *target.Mixture) ([]GaussianFit, error) {
	var fits []GaussianFit
	for _, d := range Divergences() {
		f, err := FitGaussian(data, d)
		if err != nil {
			return nil, err
		}
		fits = append(fits, f)
	}
	return fits, nil
}

// Lesson 13's bounds on the fits to target.Bimodal() (modes at ±2, std 0.5): the forward
// KL fit must sit within CoverMeanTol of the midpoint with a std of at least CoverMinStd
// (moment matching predicts 0 and √(0.25 + 4) ≈ 2.06); the reverse KL fit within
// SeekMeanTol of one mode with a std of at most SeekMaxStd.
const (
	CoverMeanTol = 0.05
	CoverMinStd  = 1.9
	SeekMeanTol  = 0.1
	SeekMaxStd   = 0.7
)

// CheckDivergenceFits checks lesson 13's claim on fits to a mixture whose modes are at
// ±mode: KL(p_data ‖ p_g) covers both modes (mean in between, wide), KL(p_g ‖ p_data)
// seeks one (mean at a mode, narrow), and JSD's fit is narrower than the forward KL's.
// fits must hold one fit per divergence (FitGaussians). A failed claim wraps ErrClaim.
func CheckDivergenceFits(fits []GaussianFit, mode float64) error {
	by := map[Divergence]GaussianFit{}
	for _, f := range fits {
		by[f.Divergence] = f
	}
	fw, ok1 := by[ForwardKL]
	rv, ok2 := by[ReverseKL]
	js, ok3 := by[JSDivergence]
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("experiments: CheckDivergenceFits needs a fit for each of %v, got %d fits", Divergences(), len(fits))
	}
	if math.Abs(fw.Mean) > CoverMeanTol || fw.Std < CoverMinStd {
		return fmt.Errorf("%w: the KL(p_data ‖ p_g) fit is N(%.3f, %.3f²), want its mean within %g of 0 and its std >= %g",
			ErrClaim, fw.Mean, fw.Std, CoverMeanTol, CoverMinStd)
	}
	if math.Abs(math.Abs(rv.Mean)-mode) > SeekMeanTol || rv.Std > SeekMaxStd {
		return fmt.Errorf("%w: the KL(p_g ‖ p_data) fit is N(%.3f, %.3f²), want its mean within %g of ±%g and its std <= %g",
			ErrClaim, rv.Mean, rv.Std, SeekMeanTol, mode, SeekMaxStd)
	}
	if js.Std >= fw.Std {
		return fmt.Errorf("%w: the JSD fit's std %.3f is not below the forward KL fit's %.3f", ErrClaim, js.Std, fw.Std)
	}
	return nil
}

// GaussianKL is KL(N(mu1, sd1²) ‖ N(mu2, sd2²)) = log(sd2/sd1) + (sd1² + (mu1 − mu2)²)/(2·sd2²) − ½,
// elementwise, in graph code: the reference of lesson 13's exercise.
func GaussianKL(mu1, sd1, mu2, sd2 *Node) *Node {
	ratio := Div(sd1, sd2)
	diff := Div(Sub(mu1, mu2), sd2)
	return Sub(AddScalar(MulScalar(Add(Square(ratio), Square(diff)), 0.5), -0.5), Log(ratio)) // log(sd2/sd1) = −log(sd1/sd2)
}
