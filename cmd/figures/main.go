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

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/experiments"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/plots"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/trainer"
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
	tr, err := trainer.New(b, cfg)
	if err != nil {
		return err
	}
	if err := tr.Run(experiments.Gaussian1DIterations, 0, 100, 500, experiments.Gaussian1DIterations); err != nil {
		return err
	}
	fig, err := plots.Evolution1D(cfg.Target.(target.Density), tr.Snapshots())
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "evolution-1d.png")
	if err := fig.Save(path); err != nil {
		return err
	}
	fmt.Println("wrote", path)
	return nil
}
