package train_test

import (
	"errors"
	"math"
	"testing"

	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

func TestOptimizerValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		o    train.Optimizer
		ok   bool
	}{
		{"DCGAN's Adam", train.Adam(2e-4, 0.5, 0.999), true},
		{"Adam, zero betas", train.Adam(1e-3, 0, 0), true},
		{"SGD", train.SGD(0.1), true},
		{"RMSProp", train.RMSProp(5e-5), true},
		{"zero value", train.Optimizer{}, false},
		{"zero rate", train.SGD(0), false},
		{"negative rate", train.RMSProp(-1), false},
		{"NaN rate", train.SGD(math.NaN()), false},
		{"infinite rate", train.SGD(math.Inf(1)), false},
		{"beta1 = 1", train.Adam(1e-3, 1, 0.9), false},
		{"negative beta2", train.Adam(1e-3, 0.5, -0.1), false},
		{"unknown kind", train.Optimizer{Kind: "adagrad", LearningRate: 1}, false},
	} {
		err := c.o.Validate()
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, train.ErrBadOptimizer)) {
			t.Errorf("%s: Validate = %v, want ok=%v (errors wrapping ErrBadOptimizer)", c.name, err, c.ok)
		}
	}
}

func TestSetLearningRate(t *testing.T) {
	store := model.NewStore()
	if err := train.SetLearningRate(store, "generator", 0); !errors.Is(err, train.ErrBadOptimizer) {
		t.Errorf("rate 0: %v, want ErrBadOptimizer", err)
	}
	// Before the graph exists the variable is created; later calls set it.
	for _, lr := range []float64{1e-3, 2.5e-4} {
		if err := train.SetLearningRate(store, "generator", lr); err != nil {
			t.Fatal(err)
		}
		v := store.RootScope().At("generator").At("%s", optimizer.Scope).GetVariable(optimizer.ParamLearningRate)
		if v == nil {
			t.Fatal("no learning-rate variable")
		}
		got := tensors.MustCopyFlatData[float32](v.MustValue())[0]
		if got != float32(lr) || v.Trainable {
			t.Errorf("rate %g: variable holds %v (trainable %v), want %v, not trainable", lr, got, v.Trainable, float32(lr))
		}
	}
}
