package conv_test

import (
	"fmt"

	"github.com/gankit/kit/gankit/conv"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	_ "github.com/gomlx/compute/gobackend"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// backend is GoMLX's pure-Go backend. (Created when the package loads: creating it prints a
// line, which would otherwise be part of the example's output.)
var backend, backendErr = compute.NewWithConfig("go:parallelism=-1")

// A DCGAN discriminator's first layer: 64 grey 28×28 images, a 4×4 kernel to 32 channels,
// stride 2 and padding 1 halve the size.
func ExampleConv2D() {
	if backendErr != nil {
		panic(backendErr)
	}
	exec := graph.MustNewExec(backend, func(x, kernel *graph.Node) *graph.Node {
		fmt.Println("algorithm:", conv.Algorithm(x.Graph(), 4, 1))
		return conv.Conv2D(x, kernel, 2, 1)
	})
	images := tensors.FromShape(shapes.Make(dtypes.Float32, 64, 28, 28, 1))
	kernel := tensors.FromShape(shapes.Make(dtypes.Float32, 4, 4, 1, 32))
	out := exec.MustCall(images, kernel)[0]
	fmt.Println("output:", out.Shape())
	// Output:
	// algorithm: patches
	// output: (Float32)[64, 14, 14, 32]
}
