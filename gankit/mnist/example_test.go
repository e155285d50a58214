package mnist_test

import (
	"fmt"

	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/target"
)

// Load a shipped subset, look at its classes and draw a seeded minibatch of real images
// for the discriminator, scaled to the [-1, 1] of a tanh generator.
func ExampleLoad() {
	s, err := mnist.Load("fashion")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s: %d images of %d×%d\n", s.Name, s.N, s.Rows, s.Cols)
	counts := s.ClassCounts()
	for c, name := range s.ClassNames[:3] {
		fmt.Printf("  %d %-11s %d images\n", c, name, counts[c])
	}
	fmt.Printf("mean pixel: %.3f of 255\n", s.PixelMean())

	x, labels := s.BatchWithLabels(target.NewRand(1), 16)
	fmt.Printf("batch: %d values = 16×28×28×1, labels %v\n", len(x), labels[:4])
	sandals := s.Class(5)
	fmt.Printf("%s: %d images\n", sandals.Name, sandals.N)
	// Output:
	// fashion: 10000 images of 28×28
	//   0 T-shirt/top 942 images
	//   1 Trouser     1027 images
	//   2 Pullover    1016 images
	// mean pixel: 0.286 of 255
	// batch: 12544 values = 16×28×28×1, labels [3 7 8 5]
	// fashion/Sandal: 989 images
}
