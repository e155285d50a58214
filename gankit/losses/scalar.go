package losses

import "math"

// logit is the inverse of the sigmoid.
func logit(d float64) float64 { return math.Log(d) - math.Log1p(-d) }

// softplus is log(1 + e^x), computed without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// DiscriminatorValue is Discriminator on plain Go values: the mean BCE of D given the
// logits it gave to a batch of real and a batch of generated samples.
func DiscriminatorValue(realLogits, fakeLogits []float64) float64 {
	return meanOf(realLogits, func(l float64) float64 { return softplus(-l) }) +
		meanOf(fakeLogits, softplus)
}

// Value is the generator loss on plain Go values.
func (l Generator) Value(fakeLogits []float64) float64 {
	if l == Minimax {
		return meanOf(fakeLogits, func(x float64) float64 { return -softplus(x) })
	}
	return meanOf(fakeLogits, func(x float64) float64 { return softplus(-x) })
}

func meanOf(xs []float64, f func(float64) float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range xs {
		s += f(x)
	}
	return s / float64(len(xs))
}

// DiscriminatorValue is DiscriminatorLoss on plain Go values: the loss of D (or of the
// critic) given its raw outputs on a batch of real and a batch of generated samples.
func (f Family) DiscriminatorValue(real, fake []float64) float64 {
	switch f {
	case Wasserstein:
		return meanOf(fake, func(x float64) float64 { return x }) - meanOf(real, func(x float64) float64 { return x })
	case LeastSquares:
		return 0.5*meanOf(real, func(x float64) float64 { return (x - 1) * (x - 1) }) +
			0.5*meanOf(fake, func(x float64) float64 { return x * x })
	case Hinge:
		return meanOf(real, func(x float64) float64 { return math.Max(0, 1-x) }) +
			meanOf(fake, func(x float64) float64 { return math.Max(0, 1+x) })
	}
	return DiscriminatorValue(real, fake)
}

// PenaltyValue is λ times GradientPenalty's E[(‖g‖₂ - 1)²] on plain Go values: grads
// holds one gradient ∇C(x̂) per interpolated point.
func PenaltyValue(grads [][]float64, lambda float64) float64 {
	sum := 0.0
	for _, g := range grads {
		n := 0.0
		for _, v := range g {
			n += v * v
		}
		d := math.Sqrt(n) - 1
		sum += d * d
	}
	if len(grads) == 0 {
		return math.NaN()
	}
	return lambda * sum / float64(len(grads))
}
