package plots_test

import (
	"bytes"
	"fmt"
	"image/gif"
	"math"
	"time"

	"github.com/gankit/kit/gankit/plots"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
)

// handMadeView is a View as pointgan.View returns it, made by hand: generated samples
// in a blob at the origin, pushed outwards towards a ring where D is high, and a
// generator manifold that is the noise grid shrunk by spread.
func handMadeView(iteration int, spread float64) pointgan.View {
	rng := target.NewRand(1)
	v := pointgan.View{Iteration: iteration, Dim: 2, ManifoldSize: 5,
		Real:  target.Ring(8, 2, 0.05).Sample(rng, 200),
		GridX: pointgan.Linspace(-3, 3, 30), GridY: pointgan.Linspace(-3, 3, 30)}
	for range 100 {
		x, y := spread*rng.NormFloat64(), spread*rng.NormFloat64()
		v.Samples = append(v.Samples, float32(x), float32(y))
		v.Gradients = append(v.Gradients, float32(x), float32(y)) // Outwards.
	}
	for _, y := range v.GridY {
		for _, x := range v.GridX {
			v.D = append(v.D, math.Exp(-math.Pow(math.Hypot(x, y)-2, 2)))
		}
	}
	for _, z2 := range pointgan.Linspace(-2, 2, 5) {
		for _, z1 := range pointgan.Linspace(-2, 2, 5) {
			v.Manifold = append(v.Manifold, float32(spread*z1), float32(spread*z2))
		}
	}
	return v
}

// GAN Lab's view of one moment of training; in a notebook the View comes from
// Trainer.View, e.g. tr.View(nil, 20).
func ExampleGANLab() {
	f, err := plots.GANLab(handMadeView(0, 0.5))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.PixelSize())
	// Output: 400 442
}

// An animation of GAN Lab views, one frame every 200ms, looping forever.
func ExampleGIF() {
	var frames []*plots.Figure
	for k := range 3 {
		f, err := plots.GANLab(handMadeView(100*k, 0.5*float64(k+1)))
		if err != nil {
			fmt.Println(err)
			return
		}
		frames = append(frames, f)
	}
	data, err := plots.GIF(frames, 200*time.Millisecond)
	if err != nil {
		fmt.Println(err)
		return
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(g.Image), "frames,", g.Delay[0]*10, "ms each,", g.Config.Width, "x", g.Config.Height)
	// Output: 3 frames, 200 ms each, 400 x 442
}
