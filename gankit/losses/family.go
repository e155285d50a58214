package losses

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph"
)

// Family is the objective the two players fight over. Each is written on D's raw output
// (a logit for Standard and Hinge, a score for LeastSquares, a critic value for
// Wasserstein); all losses are minimised.
//
//	Standard      L_D = E[softplus(-D(x))] + E[softplus(D(G(z)))]   (BCE; L_G from Generator)
//	Wasserstein   L_D = E[C(G(z))] - E[C(x)]                       L_G = -E[C(G(z))]
//	LeastSquares  L_D = ½E[(D(x)-1)²] + ½E[D(G(z))²]                L_G = ½E[(D(G(z))-1)²]
//	Hinge         L_D = E[relu(1-D(x))] + E[relu(1+D(G(z)))]        L_G = -E[D(G(z))]
//
// Wasserstein (Arjovsky et al. 2017) needs a 1-Lipschitz critic: weight clipping (WGAN)
// or a gradient penalty (WGAN-GP, Gulrajani et al. 2017, see GradientPenalty).
// LeastSquares is LSGAN (Mao et al. 2017) with the 0-1 coding a = 0, b = c = 1. Hinge is
// the loss of SN-GAN and BigGAN (Miyato et al. 2018).
type Family int

const (
	// Standard is the original GAN: D is a classifier trained with binary cross-entropy.
	Standard Family = iota
	// Wasserstein is WGAN's critic objective.
	Wasserstein
	// LeastSquares is LSGAN.
	LeastSquares
	// Hinge is the hinge-loss GAN.
	Hinge
)

// String implements fmt.Stringer.
func (f Family) String() string {
	switch f {
	case Standard:
		return "standard (BCE)"
	case Wasserstein:
		return "Wasserstein"
	case LeastSquares:
		return "least squares"
	case Hinge:
		return "hinge"
	}
	return fmt.Sprintf("Family(%d)", int(f))
}

// Validate reports an unknown family.
func (f Family) Validate() error {
	if f < Standard || f > Hinge {
		return fmt.Errorf("losses: unknown loss family %d (use Standard, Wasserstein, LeastSquares or Hinge)", int(f))
	}
	return nil
}

// DiscriminatorLoss is the scalar loss D (or the critic) minimises, from its raw outputs
// on a batch of real and a batch of generated samples.
func (f Family) DiscriminatorLoss(real, fake *Node) *Node {
	switch f {
	case Wasserstein:
		return Sub(ReduceAllMean(fake), ReduceAllMean(real))
	case LeastSquares:
		return MulScalar(Add(ReduceAllMean(Square(AddScalar(real, -1))), ReduceAllMean(Square(fake))), 0.5)
	case Hinge:
		return Add(ReduceAllMean(relu(OneMinus(real))), ReduceAllMean(relu(AddScalar(fake, 1))))
	}
	return Discriminator(real, fake)
}

// GeneratorElementwise is the generator's loss per generated sample, from D's raw output
// on it. g chooses between the minimax and non-saturating forms for Standard and is
// ignored by the other families.
func (f Family) GeneratorElementwise(fake *Node, g Generator) *Node {
	switch f {
	case Wasserstein, Hinge:
		return Neg(fake)
	case LeastSquares:
		return MulScalar(Square(AddScalar(fake, -1)), 0.5)
	}
	return g.Elementwise(fake)
}

// Probability maps D's raw output to the [0, 1] "D(x)" shown in plots and histories:
// sigmoid for Standard and Hinge (whose outputs are logits), the output clipped to [0, 1]
// for LeastSquares (trained towards 1 on real and 0 on generated samples). A Wasserstein
// critic's value is not a probability: Probability returns the sigmoid of it, and
// plots rescale the raw critic instead (see the trainer's Snapshot).
func (f Family) Probability(out *Node) *Node {
	if f == LeastSquares {
		return ClipScalar(out, 0, 1)
	}
	return Sigmoid(out)
}

func relu(x *Node) *Node { return Max(x, ZerosLike(x)) }

// GradientPenalty is WGAN-GP's penalty E[(‖∇_x̂ C(x̂)‖₂ - 1)²] on the points
// x̂ = ε·real + (1-ε)·fake, one ε ~ U(0, 1) per sample (eps shaped [batch, 1]). The gradient
// inside is taken with GoMLX's automatic differentiation, so differentiating the penalty
// through the critic's parameters is a second-order derivative.
//
// real and fake are [batch, dim]; critic maps [batch, dim] to [batch, 1].
func GradientPenalty(critic func(x *Node) *Node, real, fake, eps *Node) *Node {
	xHat := Add(Mul(eps, real), Mul(OneMinus(eps), fake))
	grad := Gradient(ReduceAllSum(critic(xHat)), xHat)[0]
	norm := Sqrt(AddScalar(ReduceSum(Square(grad), -1), 1e-12))
	return ReduceAllMean(Square(AddScalar(norm, -1)))
}

// R1Penalty is the R1 regulariser of Mescheder et al. (2018), γ/2·E‖∇_x D(x)‖², on a batch
// of real samples: real is [m, ...] and d maps it to one score per example, shaped [n] or
// [n, 1] (n = m, or m/pack for a PacGAN discriminator that scores pack samples at once);
// the mean is over the n scores. D's loss adds it (D's objective subtracts it): it
// penalises D's slope on the data, whatever G does. The gradient is that of the summed
// scores, which is each score's own gradient since the examples do not interact; training
// D on the penalty differentiates twice, as GradientPenalty does.
func R1Penalty(d func(x *Node) *Node, real *Node, gamma float64) *Node {
	out := d(real)
	grad := Gradient(ReduceAllSum(out), real)[0]
	return MulScalar(ReduceAllSum(Square(grad)), gamma/(2*float64(out.Shape().Dim(0))))
}
