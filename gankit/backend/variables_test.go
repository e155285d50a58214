package backend_test

import (
	"testing"

	"github.com/gankit/kit/gankit/backend"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// A graph that is not a training step (a sampler, an evaluation) is compiled on its first
// call and called again after training has changed the variables: it must read their new
// values. The pure-Go backend of compute v0.1.14 asks GoMLX to bake them in as constants
// instead (PreferConstantsForVariables), which package backend turns off.
func TestVariablesAreReadAtEachCall(t *testing.T) {
	b, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	if b.Capabilities().PreferConstantsForVariables {
		t.Errorf("%s prefers constants for variables: graphs would keep the values of their first call", b.Name())
	}
	store := model.NewStore()
	v := store.RootScope().VariableWithValue("w", float32(1))
	read, err := model.NewExec(b, store, func(scope *model.Scope, x *Node) *Node {
		return Add(x, scope.GetVariable("w").NodeValue(x.Graph()))
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []float32{1, 5} {
		if err := v.SetValue(tensors.FromScalar(want)); err != nil {
			t.Fatal(err)
		}
		out, err := read.Call(tensors.FromScalar(float32(0)))
		if err != nil {
			t.Fatal(err)
		}
		if got := tensors.ToScalar[float32](out[0]); got != want {
			t.Errorf("after setting the variable to %v, a compiled non-training graph read %v", want, got)
		}
	}
}
