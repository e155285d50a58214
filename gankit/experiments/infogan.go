package experiments

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/classifier"
	"github.com/gankit/kit/gankit/imagegan"
	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gomlx/compute"
)

// Lesson 9's settings: InfoGAN (gankit/imagegan) with the paper's MNIST codes, one
// 10-valued categorical code and two continuous codes uniform in [-1, 1], on the DCGAN
// networks; the shipped classifier of the same data set tells which digit each sample is.
const (
	// InfoGANIterations is how long lesson 9 trains by default.
	InfoGANIterations = 750
	// InfoGANLearningRate is both networks' Adam learning rate in lesson 9 (as lesson 8's).
	InfoGANLearningRate = ConditionalLearningRate
	// InfoGANEvalSamples is how many samples each agreement uses: 100 per code value.
	InfoGANEvalSamples = 1000
	// InfoGANEvalEvery is how often (in iterations) the agreement is measured and a
	// snapshot taken.
	InfoGANEvalEvery = 125
	// InfoGANSeed is the lesson's seed.
	InfoGANSeed = 1
	// InfoGANWindow is how many iterations InfoGANResult.InfoStart and InfoEnd average.
	InfoGANWindow = 50
)

// Lesson 9's claims, from its measured run (seed 1, 750 iterations, 4.2 iterations/s beside
// another lesson): the agreement rose from 0.11 (untrained) to 0.20 at 125
// iterations and 0.296 at 750, every measurement above the last; L_I fell from 2.41 over
// the first 50 iterations to 0.135 over the last 50 (0.06 times).
const (
	// InfoGANMinAgreement is the smallest code-class agreement lesson 9 accepts after
	// training (chance: about 0.1).
	InfoGANMinAgreement = 0.2
	// InfoGANMaxInfoRatio is the largest accepted ratio of L_I over the last
	// InfoGANWindow iterations to L_I over the first.
	InfoGANMaxInfoRatio = 0.25
)

// InfoGANConfig is lesson 9's configuration of InfoGAN on set.
func InfoGANConfig(set *mnist.Set, seed uint64) imagegan.Config {
	cfg := imagegan.DefaultConfig(set, imagegan.InfoGAN)
	cfg.Seed = seed
	cfg.GOptimizer.LearningRate = InfoGANLearningRate
	cfg.DOptimizer.LearningRate = InfoGANLearningRate
	return cfg
}

// InfoGANResult is what lesson 9 measures on one InfoGAN run.
type InfoGANResult struct {
	// Set is the data set's name ("mnist" or "fashion").
	Set string
	// Trainer is the trained InfoGAN: its History (Record.Info is L_I), Snapshots and
	// ItersPerSecond.
	Trainer *imagegan.Trainer
	// At are the iterations at which the agreement was measured (0: untrained).
	At []int
	// Agreement[i] is metrics.CodeAgreement between the categorical code of
	// InfoGANEvalSamples samples (100 per value, the same noise each time) and the class
	// the classifier sees in them, at iteration At[i]: 0.1 or a little more by chance,
	// 1 when each code value draws one class of its own.
	Agreement []float64
	// Mapping is the final best relabelling: code value c draws mostly class Mapping[c].
	Mapping []int
	// Table is the final table of counts: Table[c][class] samples of code value c are
	// classified as class.
	Table [][]int
	// ItersPerSecond is the measured training speed.
	ItersPerSecond float64
}

// FinalAgreement is the code-class agreement after training.
func (r *InfoGANResult) FinalAgreement() float64 { return r.Agreement[len(r.Agreement)-1] }

// InfoStart and InfoEnd are the mutual-information loss L_I averaged over the first and
// the last InfoGANWindow iterations (fewer if the run is shorter).
func (r *InfoGANResult) InfoStart() float64 { return meanInfo(r.Trainer.History(), true) }

// InfoEnd: see InfoStart.
func (r *InfoGANResult) InfoEnd() float64 { return meanInfo(r.Trainer.History(), false) }

func meanInfo(h []imagegan.Record, first bool) float64 {
	n := min(InfoGANWindow, len(h))
	if n == 0 {
		return math.NaN()
	}
	part := h[len(h)-n:]
	if first {
		part = h[:n]
	}
	s := 0.0
	for _, rec := range part {
		s += rec.Info
	}
	return s / float64(n)
}

// InfoGANLesson trains lesson 9's InfoGAN (InfoGANConfig) on the shipped training subset
// named set for iters iterations, measuring the code-class agreement before training,
// every evalEvery iterations (<= 0: InfoGANEvalEvery) and at the end, and taking
// snapshots there.
func InfoGANLesson(b compute.Backend, set string, iters, evalEvery int, seed uint64) (*InfoGANResult, error) {
	if iters < 1 {
		return nil, fmt.Errorf("experiments: InfoGANLesson needs at least 1 iteration, got %d", iters)
	}
	if evalEvery <= 0 {
		evalEvery = InfoGANEvalEvery
	}
	train, err := mnist.Load(set)
	if err != nil {
		return nil, err
	}
	judge, err := classifier.Load(set)
	if err != nil {
		return nil, err
	}
	tr, err := imagegan.New(b, InfoGANConfig(train, seed))
	if err != nil {
		return nil, err
	}
	r := &InfoGANResult{Set: set, Trainer: tr}
	n := InfoGANEvalSamples
	noise, codes := tr.FixedNoise(n), tr.FixedCodes(n)
	k := tr.Config().Categorical
	measure := func() error {
		images, err := tr.Generate(noise, codes)
		if err != nil {
			return err
		}
		pred, err := judge.Predict(images)
		if err != nil {
			return err
		}
		acc, mapping, err := metrics.CodeAgreement(codes.Categorical, pred, k)
		if err != nil {
			return err
		}
		// Confusion's table[want][pred] with the code as "want": Table[code][class].
		if r.Table, err = metrics.Confusion(pred, codes.Categorical, k); err != nil {
			return err
		}
		r.At = append(r.At, tr.Iteration())
		r.Agreement = append(r.Agreement, acc)
		r.Mapping = mapping
		return nil
	}
	if err := runMeasured(tr, iters, evalEvery, measure); err != nil {
		return nil, err
	}
	r.ItersPerSecond = tr.ItersPerSecond()
	return r, nil
}

// CheckInfoGAN is lesson 9's claim: after training the categorical code agrees with the
// digit classes at least minAgreement of the time (chance is about 0.1), and Q reads the
// codes back: L_I over the last InfoGANWindow iterations is at most maxInfoRatio times
// its value over the first.
func CheckInfoGAN(r *InfoGANResult, minAgreement, maxInfoRatio float64) error {
	if r == nil || len(r.Agreement) < 2 || r.Trainer == nil {
		return fmt.Errorf("experiments: CheckInfoGAN needs the agreement before and after training")
	}
	if a := r.FinalAgreement(); math.IsNaN(a) || a < minAgreement {
		return fmt.Errorf("experiments: lesson 9: %w: InfoGAN's categorical code agrees with the classes of %.1f%% of its samples after %d iterations; the lesson claims at least %.0f%%",
			ErrClaim, 100*a, r.At[len(r.At)-1], 100*minAgreement)
	}
	if s, e := r.InfoStart(), r.InfoEnd(); !(e <= maxInfoRatio*s) {
		return fmt.Errorf("experiments: lesson 9: %w: InfoGAN's mutual-information loss L_I went from %.3f to %.3f, not below %.2f × its start", ErrClaim, s, e, maxInfoRatio)
	}
	return nil
}
