package train

import (
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

func TestParameters(t *testing.T) {
	store := model.NewStore()
	root := store.RootScope()
	create := func(s *model.Scope, name string, trainable bool, dims ...int) {
		n := 1
		for _, d := range dims {
			n *= d
		}
		v, err := s.CreateVariable(name, tensors.FromFlatDataAndDimensions(make([]float32, n), dims...))
		if err != nil {
			t.Fatal(err)
		}
		v.SetTrainable(trainable)
	}
	create(root.At("g").At("dense"), "weights", true, 3, 4)
	create(root.At("g").At("dense"), "biases", true, 4)
	create(root.At("g").At("bn"), "mean", false, 4)
	create(root.At("d"), "w", true, 5)
	if got := Parameters(root.At("g")); got != 16 {
		t.Errorf("Parameters(g) = %d, want 16 (12 weights + 4 biases, not the 4 running means)", got)
	}
	if got := Parameters(root); got != 21 {
		t.Errorf("Parameters(root) = %d, want 21", got)
	}
	if got := Parameters(root.At("none")); got != 0 {
		t.Errorf("Parameters of an empty scope = %d, want 0", got)
	}
}
