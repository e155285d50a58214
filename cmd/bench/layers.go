package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gankit/kit/gankit/batchnorm"
	"github.com/gankit/kit/gankit/conv"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// layerCase is one layer of the DCGAN at its size in the DCGAN step (batch 64), timed for one
// forward pass plus the gradients with respect to its input and its parameters. The names
// are the same as reference.py's, so the two tables line up.
type layerCase struct {
	name  string
	shape []int // input shape, channels-last
	init  func(scope *model.Scope, rng *rand.Rand) error
	apply func(scope *model.Scope, x *Node) *Node
}

func layerCases() []layerCase {
	dense := nets.MLP{In: 64, Out: 3136}
	convCase := func(name string, l conv.Layer, hw int) layerCase {
		return layerCase{name, []int{64, hw, hw, l.In}, l.Init, l.Apply}
	}
	bn := batchnorm.Layer{Channels: 32}
	return []layerCase{
		{"dense 64->3136", []int{64, 64}, dense.Init, dense.Apply},
		convCase("conv 3x3 s1 64->32 @14", conv.Layer{In: 64, Out: 32, Kernel: 3, Stride: 1, Pad: 1}, 14),
		convCase("conv 3x3 s1 32->1 @28", conv.Layer{In: 32, Out: 1, Kernel: 3, Stride: 1, Pad: 1}, 28),
		convCase("conv 4x4 s2 1->32 @28", conv.Layer{In: 1, Out: 32, Kernel: 4, Stride: 2, Pad: 1}, 28),
		convCase("conv 4x4 s2 32->64 @14", conv.Layer{In: 32, Out: 64, Kernel: 4, Stride: 2, Pad: 1}, 14),
		convCase("upsample x2 + conv 3x3 64->32 @7", conv.Layer{In: 64, Out: 32, Kernel: 3, Stride: 1, Pad: 1, Upsample: 2}, 7),
		{"upsample x2 64 @7", []int{64, 7, 7, 64}, func(*model.Scope, *rand.Rand) error { return nil },
			func(_ *model.Scope, x *Node) *Node { return conv.Upsample(x, 2) }},
		{"batchnorm 32 @14", []int{64, 14, 14, 32}, func(s *model.Scope, _ *rand.Rand) error { return bn.Init(s) }, bn.Apply},
	}
}

// timeLayer returns the mean milliseconds of one forward + backward of c.
func timeLayer(b compute.Backend, c layerCase, iters, warmup int) (float64, error) {
	store := model.NewStore()
	rng := rand.New(rand.NewPCG(1, 2))
	if err := c.init(store.RootScope(), rng); err != nil {
		return 0, err
	}
	n := 1
	for _, d := range c.shape {
		n *= d
	}
	xs := make([]float32, n)
	for i := range xs {
		xs[i] = float32(rng.NormFloat64())
	}
	x := tensors.FromFlatDataAndDimensions(xs, c.shape...)
	exec, err := model.NewExec(b, store, func(scope *model.Scope, x *Node) []*Node {
		g := x.Graph()
		scope.Store().SetTraining(g, true)
		y := c.apply(scope, x)
		// As reference.py's: the gradient arriving at the output is y itself.
		loss := MulScalar(ReduceAllSum(Mul(y, y)), 0.5)
		wrt := []*Node{x}
		for v := range scope.IterVariables() {
			if v.Trainable {
				wrt = append(wrt, v.NodeValue(g))
			}
		}
		return Gradient(loss, wrt...)
	})
	if err != nil {
		return 0, fmt.Errorf("layer %s: %w", c.name, err)
	}
	for range warmup {
		if _, err := exec.Call(x); err != nil {
			return 0, fmt.Errorf("layer %s: %w", c.name, err)
		}
	}
	start := time.Now()
	for range iters {
		if _, err := exec.Call(x); err != nil {
			return 0, fmt.Errorf("layer %s: %w", c.name, err)
		}
	}
	return 1000 * time.Since(start).Seconds() / float64(iters), nil
}
