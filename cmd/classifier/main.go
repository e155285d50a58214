// Command classifier trains the small CNN of gankit/classifier on a shipped training set
// (10,000 images), prints its accuracy on the held-out test subset and saves its weights.
//
//	go run ./cmd/classifier -set mnist -out data/mnist-classifier.bin
//	go run ./cmd/classifier -set fashion -out data/fashion-classifier.bin
//
// The shipped weight files in data/ were written by exactly these commands (the file's
// header records the command, seed, epochs and the test accuracy). -eval FILE only
// evaluates a weight file on the test subset of the set it was trained on.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/gankit/kit/gankit/classifier"
	"github.com/gankit/kit/gankit/mnist"
)

func main() {
	set := flag.String("set", "mnist", "training set: mnist or fashion (tested on mnist-test or fashion-test)")
	out := flag.String("out", "", "weight file to write (default: none, only report the accuracy)")
	eval := flag.String("eval", "", "evaluate this weight file on the test subset of its training set, instead of training")
	seed := flag.Uint64("seed", 1, "seed of the initial weights and of the minibatch order")
	epochs := flag.Int("epochs", 0, "passes over the training set (0: the default, 12)")
	batch := flag.Int("batch", 0, "minibatch size (0: the default, 50)")
	lr := flag.Float64("lr", 0, "Adam's learning rate (0: the default, 2e-3)")
	shift := flag.Int("shift", 0, "largest random shift of a training image in pixels (0: the default, 2; -1: none)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: classifier [-set mnist|fashion] [-out FILE] [-eval FILE] [-seed N] [-epochs N] [-batch N] [-lr X]")
		os.Exit(2)
	}
	if err := run(*set, *out, *eval, *seed, *epochs, *batch, *lr, *shift); err != nil {
		fmt.Fprintln(os.Stderr, "classifier:", err)
		os.Exit(1)
	}
}

func run(set, out, eval string, seed uint64, epochs, batch int, lr float64, shift int) error {
	if eval != "" {
		m, err := classifier.LoadFile(eval)
		if err != nil {
			return err
		}
		test, err := mnist.Load(m.Info.Set + "-test") // the test subset of the set it was trained on
		if err != nil {
			return err
		}
		acc, err := m.Accuracy(test)
		if err != nil {
			return err
		}
		fmt.Printf("%s (trained on %s, %d epochs, %.1f s): %s accuracy %.4f (%d images)\n",
			eval, m.Info.Set, m.Info.Epochs, m.Info.TrainSeconds, test.Name, acc, test.N)
		return nil
	}
	test, err := mnist.Load(set + "-test")
	if err != nil {
		return err
	}
	train, err := mnist.Load(set)
	if err != nil {
		return err
	}
	m, err := classifier.Train(train, classifier.TrainConfig{Seed: seed, Epochs: epochs, Batch: batch,
		LearningRate: lr, Shift: shift, Log: os.Stdout, Test: test})
	if err != nil {
		return err
	}
	acc, err := m.Accuracy(test)
	if err != nil {
		return err
	}
	fmt.Printf("trained on %s (%d images) in %.1f s; %s accuracy %.4f (%d images)\n",
		train.Name, train.N, m.Info.TrainSeconds, test.Name, acc, test.N)
	if out == "" {
		return nil
	}
	m.Info.TestSet, m.Info.TestAccuracy = test.Name, acc
	m.Info.Command = "go run ./cmd/classifier " + strings.Join(os.Args[1:], " ")
	if err := m.Save(out); err != nil {
		return err
	}
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes)\n", out, st.Size())
	return nil
}
