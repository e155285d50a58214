package losses

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
)

// Discriminator is the binary cross-entropy of D: real samples labelled 1, generated
// samples labelled 0. Both inputs are logits, of any shape; the result is a scalar.
func Discriminator(realLogits, fakeLogits *Node) *Node {
	return Add(ReduceAllMean(Softplus(Neg(realLogits))), ReduceAllMean(Softplus(fakeLogits)))
}

// Generator chooses the generator's objective.
type Generator int

const (
	// NonSaturating is -log D(G(z)), the loss Goodfellow et al. recommend in practice.
	NonSaturating Generator = iota
	// Minimax is log(1 - D(G(z))), the generator's side of V(D,G); it saturates.
	Minimax
)

// String implements fmt.Stringer.
func (l Generator) String() string {
	switch l {
	case NonSaturating:
		return "non-saturating -log D(G(z))"
	case Minimax:
		return "minimax log(1 - D(G(z)))"
	}
	return fmt.Sprintf("Generator(%d)", int(l))
}

// Validate reports an unknown generator loss.
func (l Generator) Validate() error {
	if l != NonSaturating && l != Minimax {
		return fmt.Errorf("losses: unknown generator loss %d (use losses.NonSaturating or losses.Minimax)", int(l))
	}
	return nil
}

// Elementwise is the loss of each generated sample, from its logit: same shape as fakeLogits.
func (l Generator) Elementwise(fakeLogits *Node) *Node {
	if l == Minimax {
		return Neg(Softplus(fakeLogits))
	}
	return Softplus(Neg(fakeLogits))
}

// Graph is the generator's scalar loss: the mean of Elementwise.
func (l Generator) Graph(fakeLogits *Node) *Node {
	return ReduceAllMean(l.Elementwise(fakeLogits))
}

// LogitGradient returns, for each value d of D(G(z)) in ds (each in (0, 1)), the derivative
// of the per-sample generator loss with respect to the discriminator's logit, computed by
// GoMLX's automatic differentiation on backend. Analytically it is -d for Minimax and
// -(1-d) for NonSaturating.
func (l Generator) LogitGradient(backend compute.Backend, ds []float64) ([]float64, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	logits := make([]float64, len(ds))
	for i, d := range ds {
		if !(d > 0 && d < 1) {
			return nil, fmt.Errorf("losses: D(G(z)) must lie in (0, 1), got %g at index %d", d, i)
		}
		logits[i] = logit(d)
	}
	exec, err := NewExec(backend, func(x *Node) *Node {
		return Gradient(ReduceAllSum(l.Elementwise(x)), x)[0]
	})
	if err != nil {
		return nil, fmt.Errorf("losses: building the gradient graph: %w", err)
	}
	defer exec.Finalize()
	out, err := exec.Exec1(logits)
	if err != nil {
		return nil, fmt.Errorf("losses: computing the gradient: %w", err)
	}
	defer out.FinalizeAll()
	if out.DType() != dtypes.Float64 {
		return nil, fmt.Errorf("losses: unexpected gradient dtype %s", out.DType())
	}
	return out.Value().([]float64), nil
}
