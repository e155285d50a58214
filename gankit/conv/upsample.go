package conv

import (
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
)

// Upsample enlarges the images x [batch, height, width, channels] by an integer factor >= 1
// with nearest-neighbour interpolation (each pixel becomes a factor×factor block), giving
// [batch, height·factor, width·factor, channels], as PyTorch's nn.Upsample(scale_factor=
// factor). It is a reshape and a broadcast, so its gradient sums each block. It panics
// (GoMLX style) on a wrong rank or factor.
func Upsample(x *graph.Node, factor int) *graph.Node {
	if x == nil || x.Rank() != 4 {
		panic(fmt.Errorf("conv.Upsample: x must be [batch, height, width, channels] (rank 4), got %v", shapeOf(x)))
	}
	if factor < 1 {
		panic(fmt.Errorf("conv.Upsample: factor must be >= 1, got %d", factor))
	}
	if factor == 1 {
		return x
	}
	d := x.Shape().Dimensions
	b, h, w, c := d[0], d[1], d[2], d[3]
	blocks := graph.BroadcastToDims(graph.Reshape(x, b, h, 1, w, 1, c), b, h, factor, w, factor, c)
	return graph.Reshape(blocks, b, h*factor, w*factor, c)
}
