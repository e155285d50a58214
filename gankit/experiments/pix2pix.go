package experiments

import (
	"errors"
	"fmt"

	"github.com/gankit/kit/gankit/classifier"
	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/pix2pix"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
)

// Lesson 10's settings: pix2pix inpainting (pix2pix.Inpaint) on the shipped training subset,
// the three objectives of the paper's ablation trained with the same seed, judged on
// held-out pairs made from the test subset.
const (
	// Pix2PixIterations is how long lesson 10 trains each objective: the three objectives
	// train for 800 in about two minutes, and CheckPix2Pix's claim holds at 400, 800 and
	// 1,200 (see there).
	Pix2PixIterations = 800
	// Pix2PixWidth is the U-Net's width (pix2pix.Config.Width): 8 instead of the package's
	// 16 trains about twice as fast and learned the task as quickly in our probes.
	Pix2PixWidth = 8
	// Pix2PixBatch is the number of pairs per step.
	Pix2PixBatch = 16
	// Pix2PixLearningRate is both networks' Adam learning rate: 5 times the paper's 2e-4,
	// for a classroom budget.
	Pix2PixLearningRate = 1e-3
	// Pix2PixEvalPairs is how many held-out pairs each score uses.
	Pix2PixEvalPairs = 1000
	// Pix2PixOverGAN is how much higher (a fraction) CheckPix2Pix wants the classifier's
	// accuracy on cGAN + L1's outputs than on the cGAN alone's: measured 14-23 points (XLA
	// on two CPUs 18.0 and 14.2, pure Go 22.8).
	Pix2PixOverGAN = 0.05
	// Pix2PixNearL1 is how far (a fraction) cGAN + L1's accuracy may fall below L1
	// alone's in CheckPix2Pix: measured from -0.5 to +2.2 points (pure Go +1.7).
	Pix2PixNearL1 = 0.015
	// Pix2PixSeed is the lesson's seed.
	Pix2PixSeed = 1
)

// Pix2PixObjectives are lesson 10's three objectives, in the order of its table.
func Pix2PixObjectives() []pix2pix.Objective {
	return []pix2pix.Objective{pix2pix.L1Only, pix2pix.CGANOnly, pix2pix.CGANAndL1}
}

// Pix2PixConfig is lesson 10's configuration of one objective on pairs.
func Pix2PixConfig(pairs *pix2pix.Pairs, o pix2pix.Objective, seed uint64) pix2pix.Config {
	cfg := pix2pix.Config{Pairs: pairs, Objective: o, Width: Pix2PixWidth, BatchSize: Pix2PixBatch, Seed: seed}.WithDefaults()
	cfg.GOptimizer.LearningRate = Pix2PixLearningRate
	cfg.DOptimizer.LearningRate = Pix2PixLearningRate
	return cfg
}

// ImageScores judge a set of images against the images they should be.
type ImageScores struct {
	// L1 is the mean absolute difference per pixel to the targets.
	L1 float64
	// Accuracy is the share of images the classifier assigns to their target's class.
	Accuracy float64
	// HoleSharpness is metrics.Sharpness of the inpainted square (pix2pix.Hole) alone.
	HoleSharpness float64
}

// Pix2PixResult is what lesson 10 measures.
type Pix2PixResult struct {
	// Test are the held-out pairs the scores use.
	Test *pix2pix.Pairs
	// Input and Target score the masked inputs and the targets themselves: where the
	// models start from and what they aim at.
	Input, Target ImageScores
	// Objectives, Trainers, Outputs and Scores are per objective, in the order of
	// Pix2PixObjectives; Outputs are the translations of Test.Inputs.
	Objectives []pix2pix.Objective
	Trainers   []*pix2pix.Trainer
	Outputs    [][]float32
	Scores     []ImageScores
}

// Pix2PixLesson trains lesson 10's three objectives (Pix2PixConfig) on the inpainting pairs of
// the shipped training subset named set, for iters iterations each, two at a time, and
// scores their outputs on the first Pix2PixEvalPairs held-out pairs of set's test subset
// with the set's classifier.
func Pix2PixLesson(b compute.Backend, set string, iters int, seed uint64) (*Pix2PixResult, error) {
	if iters < 1 {
		return nil, fmt.Errorf("experiments: Pix2PixLesson needs at least 1 iteration, got %d", iters)
	}
	trainSet, test, judge, err := imageLessonData(set)
	if err != nil {
		return nil, err
	}
	pairs, err := pix2pix.MakePairs(trainSet, pix2pix.Inpaint)
	if err != nil {
		return nil, err
	}
	all, err := pix2pix.MakePairs(test, pix2pix.Inpaint)
	if err != nil {
		return nil, err
	}
	n := min(Pix2PixEvalPairs, all.N())
	held, err := pix2pix.NewPairs(all.Name, all.Inputs[:n*mnist.Pixels], all.Targets[:n*mnist.Pixels], all.Labels[:n])
	if err != nil {
		return nil, err
	}
	r := &Pix2PixResult{Test: held, Objectives: Pix2PixObjectives()}
	score := func(images []float32) (ImageScores, error) { return scoreImages(judge, images, held) }
	if r.Input, err = score(held.Inputs); err != nil {
		return nil, err
	}
	if r.Target, err = score(held.Targets); err != nil {
		return nil, err
	}
	k := len(r.Objectives)
	r.Trainers, r.Outputs, r.Scores = make([]*pix2pix.Trainer, k), make([][]float32, k), make([]ImageScores, k)
	err = train.Parallel(k, DefaultWorkers, func(i int) error {
		o := r.Objectives[i]
		tr, err := pix2pix.New(b, Pix2PixConfig(pairs, o, seed))
		if err == nil {
			err = tr.Run(iters)
		}
		if err == nil {
			r.Outputs[i], err = tr.Translate(held.Inputs)
		}
		if err == nil {
			r.Scores[i], err = score(r.Outputs[i])
		}
		if err != nil {
			return fmt.Errorf("experiments: pix2pix with %v: %w", o, err)
		}
		r.Trainers[i] = tr
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// scoreImages scores images against the targets and labels of pairs.
func scoreImages(judge *classifier.Model, images []float32, pairs *pix2pix.Pairs) (ImageScores, error) {
	var s ImageScores
	var err error
	if s.L1, err = pix2pix.L1(images, pairs.Targets); err != nil {
		return s, err
	}
	if s.Accuracy, err = judge.LabelAccuracy(images, pairs.Labels); err != nil {
		return s, err
	}
	hole, err := pix2pix.Hole(images)
	if err != nil {
		return s, err
	}
	s.HoleSharpness, err = metrics.Sharpness(hole, pix2pix.InpaintSize)
	return s, err
}

// Score returns the scores of objective o.
func (r *Pix2PixResult) Score(o pix2pix.Objective) (ImageScores, error) {
	for i, x := range r.Objectives {
		if x == o {
			return r.Scores[i], nil
		}
	}
	return ImageScores{}, fmt.Errorf("experiments: no results for %v", o)
}

// CheckPix2Pix checks lesson 10's claims: the full objective (cGAN + L1) repairs far more
// digits than the cGAN alone (the classifier's accuracy on its outputs, by more than
// Pix2PixOverGAN) and stays closer to the targets (L1); and adding the adversarial term to L1
// costs no readability: the full objective's accuracy is within Pix2PixNearL1 of L1 alone's,
// or above it.
//
// The paper also finds the full objective better than L1 alone. At this scale the two are
// too close for the order to hold on every CPU: on XLA's CPU backend one machine measured
// 94.2% against 92.0%, another 92.5% against 93.0%, the same code and seed (XLA compiles
// for the host CPU, and GAN training amplifies a last-bit difference); the pure-Go backend
// measured 94.0% against 92.3%. The sharpness of the filled-in hole flips the same way.
func CheckPix2Pix(r *Pix2PixResult) error {
	if r == nil {
		return fmt.Errorf("experiments: CheckPix2Pix needs a result")
	}
	both, err1 := r.Score(pix2pix.CGANAndL1)
	l1, err2 := r.Score(pix2pix.L1Only)
	gan, err3 := r.Score(pix2pix.CGANOnly)
	if err := errors.Join(err1, err2, err3); err != nil {
		return err
	}
	var errs []error
	if !(both.Accuracy > gan.Accuracy+Pix2PixOverGAN) {
		errs = append(errs, fmt.Errorf("the classifier reads %.1f%% of %v's outputs as their digit, %.1f%% of the cGAN alone's: want the full objective %.0f points higher", 100*both.Accuracy, pix2pix.CGANAndL1, 100*gan.Accuracy, 100*Pix2PixOverGAN))
	}
	if !(both.Accuracy >= l1.Accuracy-Pix2PixNearL1) {
		errs = append(errs, fmt.Errorf("the classifier reads %.1f%% of %v's outputs as their digit, %.1f%% of L1 alone's: want the full objective within %.1f points of it or above", 100*both.Accuracy, pix2pix.CGANAndL1, 100*l1.Accuracy, 100*Pix2PixNearL1))
	}
	if !(both.L1 < gan.L1) {
		errs = append(errs, fmt.Errorf("%v has L1 %.4f to the targets, the cGAN alone %.4f: want the full objective closer", pix2pix.CGANAndL1, both.L1, gan.L1))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("experiments: lesson 10: %w: %w", ErrClaim, err)
	}
	return nil
}

// Comparison lays out the first n held-out pairs for an image grid of n rows: per row the
// input, each objective's output (in the order of Objectives) and the target. It returns
// the images and the columns' names.
func (r *Pix2PixResult) Comparison(n int) ([]float32, []string, error) {
	if n < 1 || n > r.Test.N() {
		return nil, nil, fmt.Errorf("experiments: Comparison of %d pairs; have %d", n, r.Test.N())
	}
	cols := []string{"input"}
	for _, o := range r.Objectives {
		cols = append(cols, o.String())
	}
	cols = append(cols, "target")
	const px = mnist.Pixels
	var images []float32
	for i := range n {
		images = append(images, r.Test.Inputs[i*px:(i+1)*px]...)
		for _, out := range r.Outputs {
			images = append(images, out[i*px:(i+1)*px]...)
		}
		images = append(images, r.Test.Targets[i*px:(i+1)*px]...)
	}
	return images, cols, nil
}
