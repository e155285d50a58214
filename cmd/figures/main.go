// Command figures regenerates the images in the repository's figures/ folder (those the
// README shows) by running the same experiments as the lessons, without Jupyter.
//
//	go run ./cmd/figures [-out figures]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/plots"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
)

var flagOut = flag.String("out", "figures", "folder to write the figures to")

func main() {
	flag.Parse()
	if err := run(*flagOut); err != nil {
		fmt.Fprintln(os.Stderr, "figures:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := backend.New()
	if err != nil {
		return err
	}
	cfg := experiments.Gaussian1D(losses.NonSaturating, 1)
	tr, err := pointgan.New(b, cfg)
	if err != nil {
		return err
	}
	if err := tr.Run(experiments.Gaussian1DIterations, 0, 100, 500, experiments.Gaussian1DIterations); err != nil {
		return err
	}
	fig, err := plots.Evolution1D(cfg.Target.(target.Density), plots.SnapshotsOf(tr.Snapshots()))
	if err != nil {
		return err
	}
	if err := save(fig, dir, "evolution-1d.png"); err != nil {
		return err
	}
	return ring(b, dir)
}

func save(fig *plots.Figure, dir, name string) error {
	path := filepath.Join(dir, name)
	if err := fig.Save(path); err != nil {
		return err
	}
	fmt.Println("wrote", path)
	return nil
}

// ring draws the 2-D views of the ring-of-8 GAN of `make bench`: generated samples
// (green) and real ones (black) over D's heatmap at three iterations; the same with GAN
// Lab's gradient arrows and generator manifold; and a GIF of GAN Lab's view every 300
// iterations.
func ring(b compute.Backend, dir string) error {
	cfg := pointgan.Config{
		Target:        target.Ring(8, 2, 0.02),
		Generator:     nets.Generator(2, []int{128, 128}, 2),
		Discriminator: nets.Discriminator(2, []int{128, 128}),
		BatchSize:     256,
		DSteps:        1,
		GOptimizer:    train.Adam(1e-4, 0.5, 0.999),
		DOptimizer:    train.Adam(1e-4, 0.5, 0.999),
		Seed:          2,
	}
	tr, err := pointgan.New(b, cfg)
	if err != nil {
		return err
	}
	// Every 300 iterations, GAN Lab's view: a frame of the GIF.
	real := cfg.Target.Sample(target.NewRand(99), 1000)
	var frames []*plots.Figure
	var views []plots.View
	for {
		v, err := tr.View(real, 12)
		if err != nil {
			return err
		}
		frame, err := plots.GANLab(plots.View(v))
		if err != nil {
			return err
		}
		frames = append(frames, frame)
		if v.Iteration == 0 || v.Iteration == 600 || v.Iteration == 3000 {
			views = append(views, plots.View(v))
		}
		if tr.Iteration() == 3000 {
			break
		}
		if err := tr.Run(300, 0, 600, 3000); err != nil {
			return err
		}
	}
	fig, err := plots.Samples2D(real, plots.SnapshotsOf(tr.Snapshots()))
	if err != nil {
		return err
	}
	if err := save(fig, dir, "ring-2d.png"); err != nil {
		return err
	}
	seq, err := plots.GANLabSequence(views)
	if err != nil {
		return err
	}
	if err := save(seq, dir, "ganlab-ring.png"); err != nil {
		return err
	}
	path := filepath.Join(dir, "ganlab-ring.gif")
	if err := plots.SaveGIF(path, frames, 500*time.Millisecond); err != nil {
		return err
	}
	fmt.Println("wrote", path)
	return nil
}
