package train

import (
	"errors"
	"fmt"
	"math"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// The optimizer kinds Optimizer.Kind names.
const (
	KindAdam    = "adam"
	KindSGD     = "sgd"
	KindRMSProp = "rmsprop"
)

// AdamEpsilon is the ε every Adam of the kit adds to the root of the second moment.
const AdamEpsilon = 1e-8

// ErrBadOptimizer is wrapped by the errors of Optimizer.Validate and SetLearningRate.
var ErrBadOptimizer = errors.New("bad optimizer setting")

// Optimizer configures the optimizer of one network. Its zero value is invalid: use
// Adam, SGD or RMSProp.
type Optimizer struct {
	// Kind is KindAdam, KindSGD or KindRMSProp.
	Kind string
	// LearningRate must be positive and finite.
	LearningRate float64
	// Beta1 and Beta2 are Adam's moment decays, each in [0, 1).
	Beta1, Beta2 float64
}

// Adam returns an Adam configuration, e.g. Adam(2e-4, 0.5, 0.999) as in DCGAN.
func Adam(lr, beta1, beta2 float64) Optimizer {
	return Optimizer{Kind: KindAdam, LearningRate: lr, Beta1: beta1, Beta2: beta2}
}

// SGD returns plain stochastic gradient descent.
func SGD(lr float64) Optimizer { return Optimizer{Kind: KindSGD, LearningRate: lr} }

// RMSProp returns RMSProp, as WGAN uses it.
func RMSProp(lr float64) Optimizer { return Optimizer{Kind: KindRMSProp, LearningRate: lr} }

// Validate reports impossible settings, wrapping ErrBadOptimizer.
func (o Optimizer) Validate() error {
	if !(o.LearningRate > 0) || math.IsInf(o.LearningRate, 0) {
		return fmt.Errorf("%w: learning rate must be positive and finite, got %g", ErrBadOptimizer, o.LearningRate)
	}
	switch o.Kind {
	case KindAdam:
		if !(o.Beta1 >= 0 && o.Beta1 < 1) || !(o.Beta2 >= 0 && o.Beta2 < 1) {
			return fmt.Errorf("%w: adam betas must lie in [0, 1), got (%g, %g)", ErrBadOptimizer, o.Beta1, o.Beta2)
		}
	case KindSGD, KindRMSProp:
	default:
		return fmt.Errorf("%w: unknown optimizer %q (use %q, %q or %q)", ErrBadOptimizer, o.Kind, KindAdam, KindSGD, KindRMSProp)
	}
	return nil
}

// Build returns GoMLX's optimizer for o. Adam's and RMSProp's state lives in a
// sub-scope named scopeName of the scope its UpdateGraph is given (the network's), so two
// networks of one store need two names; SGD has no state. Validate o first.
func (o Optimizer) Build(scopeName string) optimizer.Interface {
	switch o.Kind {
	case KindSGD:
		return optimizer.StochasticGradientDescent().WithDecay(false).WithLearningRate(o.LearningRate).Done()
	case KindRMSProp:
		return optimizer.RMSProp().LearningRate(o.LearningRate).Scope(scopeName).Done()
	}
	return optimizer.Adam().LearningRate(o.LearningRate).Betas(o.Beta1, o.Beta2).Epsilon(AdamEpsilon).Scope(scopeName).Done()
}

// SetLearningRate sets the learning rate of the optimizer that updates the network under
// scope network of store, from the next step on and without recompiling: GoMLX keeps the
// rate in a variable of the step graph (optimizer.ParamLearningRate, under the network's
// optimizer.Scope). Before the step graph is built it creates that variable, which the
// graph then reuses. Lowering the rate at the end of training (a step decay) averages out
// the noise of stochastic gradients.
func SetLearningRate(store *model.Store, network string, lr float64) error {
	if err := SGD(lr).Validate(); err != nil {
		return err
	}
	value := tensors.FromValue(float32(lr))
	scope := store.RootScope().At("%s", network).At("%s", optimizer.Scope)
	if v := scope.GetVariable(optimizer.ParamLearningRate); v != nil {
		return v.SetValue(value)
	}
	v, err := scope.CreateVariable(optimizer.ParamLearningRate, value)
	if err != nil {
		return fmt.Errorf("learning rate of %q: %w", network, err)
	}
	v.SetTrainable(false)
	return nil
}
