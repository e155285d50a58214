package energy_test

import (
	"fmt"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/energy"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
)

// A discriminator alone learns the ring of 8 Gaussians and generates by gradient ascent:
// every sample costs AscentSteps gradient evaluations of D.
func Example() {
	b, err := backend.New()
	if err != nil {
		panic(err)
	}
	c := energy.Config{Target: target.Ring(8, 2, 0.02), Discriminator: nets.Discriminator(2, []int{64, 64}), Rounds: 20, DSteps: 1,
		AscentSteps: 30, StepSize: 0.05, StartStd: 1.5, Box: 3, BatchSize: 64, Optimizer: train.Adam(1e-3, 0.5, 0.999), Seed: 1}
	res, err := c.Run(b, 1000)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(res.Samples)/2, "samples,", res.AscentEvals/(20*64+1000), "ascent steps each")
	// Output: 1000 samples, 30 ascent steps each
}
