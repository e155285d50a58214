package i2i

import (
	"math/rand/v2"
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// TestShapes checks the U-Net's and the PatchGAN's output shapes.
func TestShapes(t *testing.T) {
	store := model.NewStore()
	rng := rand.New(rand.NewPCG(1, 1))
	u, p := UNet{Width: 4}, PatchGAN{Width: 3}
	if err := u.Init(store.RootScope().At("g"), rng); err != nil {
		t.Fatal(err)
	}
	if err := p.Init(store.RootScope().At("d"), rng); err != nil {
		t.Fatal(err)
	}
	exec, err := model.NewExec(testkit.Backend(t), store, func(scope *model.Scope, x *graph.Node) []*graph.Node {
		y := u.Apply(scope.At("g"), x)
		return []*graph.Node{y, p.Apply(scope.At("d"), x, y)}
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Call(tensors.FromFlatDataAndDimensions(testkit.Set(t, "mnist-test").Float32(-1, 1)[:3*mnist.Pixels], 3, mnist.Side, mnist.Side, 1))
	if err != nil {
		t.Fatal(err)
	}
	if d := out[0].Shape().Dimensions; len(d) != 4 || d[0] != 3 || d[1] != 28 || d[2] != 28 || d[3] != 1 {
		t.Errorf("UNet output %v; want [3 28 28 1]", d)
	}
	if d := out[1].Shape().Dimensions; len(d) != 4 || d[1] != PatchGrid || d[2] != PatchGrid || d[3] != 1 {
		t.Errorf("PatchGAN output %v; want [3 7 7 1]", d)
	}
	if (UNet{Width: 1}).Init(store.RootScope().At("x"), rng) == nil || (PatchGAN{}).Init(store.RootScope().At("y"), rng) == nil {
		t.Error("impossible widths: want errors")
	}
}

func TestPatchSize(t *testing.T) {
	for _, p := range []PatchGAN{{Width: 16}, {Width: 4, In: 1}, {}} {
		if got := p.PatchSize(); got != 18 {
			t.Errorf("%+v: PatchSize = %d, want 18", p, got)
		}
	}
}
