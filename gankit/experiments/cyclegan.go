package experiments

import (
	"errors"
	"fmt"

	"github.com/gankit/kit/gankit/classifier"
	"github.com/gankit/kit/gankit/cyclegan"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/pix2pix"
	"github.com/gomlx/compute"
)

// Lesson 11's settings: CycleGAN between digits and thickened digits (cyclegan.ThinThick) of
// the shipped training subset, judged on the two domains made the same way from the test
// subset.
const (
	// CycleGANIterations is how long lesson 11 trains.
	CycleGANIterations = 800
	// CycleGANWidth is the width of the U-Nets and of the PatchGANs: 8 instead of the
	// package's 16, which trains about 2.5 times slower per iteration, for a lesson that
	// trains in minutes on 2 cores.
	CycleGANWidth = 8
	// CycleGANBatch is the number of images of each domain per step.
	CycleGANBatch = 8
	// CycleGANLearningRate is Adam's for the four networks: 10 times the paper's 2e-4, for a
	// classroom budget (1e-3 learned the same way, more slowly, in our probes).
	CycleGANLearningRate = 2e-3
	// CycleGANEvalImages is how many held-out images of each domain the scores use.
	CycleGANEvalImages = 1000
	// CycleGANSeed is the lesson's seed.
	CycleGANSeed = 1
)

// Lesson 11's claims, set from its measured run (see CheckCycleGAN).
const (
	// CycleGANMinDomainRate is the least share of translations, in each direction, that must
	// land on the target domain's side of the ink threshold.
	CycleGANMinDomainRate = 0.5
	// CycleGANMinAccuracy is the least share of translations, in each direction, that the
	// digit classifier must still read as their input's digit.
	CycleGANMinAccuracy = 0.9
	// CycleGANMaxCycleL1 is the largest mean |reconstruction - input| per pixel allowed
	// after a full cycle, in each direction.
	CycleGANMaxCycleL1 = 0.05
)

// CycleGANConfig is lesson 11's configuration on the domains d.
func CycleGANConfig(d *cyclegan.Domains, seed uint64) cyclegan.Config {
	cfg := cyclegan.Config{Domains: d, Width: CycleGANWidth, DWidth: CycleGANWidth, BatchSize: CycleGANBatch, Seed: seed}.WithDefaults()
	cfg.GOptimizer.LearningRate = CycleGANLearningRate
	cfg.DOptimizer.LearningRate = CycleGANLearningRate
	return cfg
}

// TranslationScores judge one direction's translations of held-out images and their
// reconstructions after a full cycle.
type TranslationScores struct {
	// DomainRate is the share of translations on the target domain's side of the ink
	// threshold: above it for A -> B (thick), below it for B -> A (thin).
	DomainRate float64
	// Accuracy is the share of translations the classifier reads as their input's digit.
	Accuracy float64
	// CycleL1 is the mean |reconstruction - input| per pixel after translating there and back.
	CycleL1 float64
}

// CycleGANResult is what lesson 11 measures.
type CycleGANResult struct {
	// Test are the held-out domains the scores use: CycleGANEvalImages of each.
	Test *cyclegan.Domains
	// Threshold is the ink fraction halfway between the training domains' means: above it an
	// image counts as thick (B), below it as thin (A).
	Threshold float64
	// Untranslated scores the held-out images as they are (DomainRate: the share already on
	// the other domain's side; Accuracy: the classifier on them; CycleL1 0): the baseline a
	// translator must beat.
	Untranslated [2]TranslationScores
	// Dilated scores cyclegan.Thicken applied to Test.A: the exact A -> B translation, the
	// best domain rate and accuracy to hope for in that direction (no exact inverse exists).
	Dilated TranslationScores
	// Untrained and Trained score the translations before and after training, indexed by
	// cyclegan.Direction (AToB, BToA).
	Untrained, Trained [2]TranslationScores
	// Translated and Reconstructed are the trained model's translations of Test.A (AToB) and
	// Test.B (BToA) and their reconstructions.
	Translated, Reconstructed [2][]float32
	// Trainer is the trained model; its History has the losses per iteration.
	Trainer *cyclegan.Trainer
}

// CycleGANLesson trains lesson 11's CycleGAN (CycleGANConfig) for iters iterations between
// the even images of the shipped training subset named set and its odd images thickened
// (cyclegan.ThinThick), and scores its translations of the first CycleGANEvalImages images
// of each domain made the same way from set's test subset, before and after training.
func CycleGANLesson(b compute.Backend, set string, iters int, seed uint64) (*CycleGANResult, error) {
	if iters < 1 {
		return nil, fmt.Errorf("experiments: CycleGANLesson needs at least 1 iteration, got %d", iters)
	}
	train, test, judge, err := imageLessonData(set)
	if err != nil {
		return nil, err
	}
	domains, err := cyclegan.ThinThick(train)
	if err != nil {
		return nil, err
	}
	all, err := cyclegan.ThinThick(test)
	if err != nil {
		return nil, err
	}
	const px = mnist.Pixels
	na, nb := min(CycleGANEvalImages, all.NA()), min(CycleGANEvalImages, all.NB())
	held, err := cyclegan.NewDomains(all.NameA, all.A[:na*px], all.LabelsA[:na], all.NameB, all.B[:nb*px], all.LabelsB[:nb])
	if err != nil {
		return nil, err
	}
	r := &CycleGANResult{Test: held, Threshold: cyclegan.InkThreshold(domains)}
	inputs := [2][]float32{held.A, held.B}
	labels := [2][]uint8{held.LabelsA, held.LabelsB}
	for dir := range 2 {
		// The images as they are: how many already look like the other domain.
		s, err := r.score(judge, cyclegan.Direction(dir), inputs[dir], labels[dir], nil, nil)
		if err != nil {
			return nil, err
		}
		r.Untranslated[dir] = s
	}
	var dilated []float32
	for i := range held.NA() {
		dilated = append(dilated, cyclegan.Thicken(held.A[i*px:(i+1)*px])...)
	}
	if r.Dilated, err = r.score(judge, cyclegan.AToB, dilated, held.LabelsA, nil, nil); err != nil {
		return nil, err
	}
	tr, err := cyclegan.New(b, CycleGANConfig(domains, seed))
	if err != nil {
		return nil, err
	}
	evaluate := func(scores *[2]TranslationScores) error {
		for dir := range 2 {
			d := cyclegan.Direction(dir)
			out, back, err := tr.Cycle(d, inputs[dir])
			if err != nil {
				return err
			}
			if scores[dir], err = r.score(judge, d, out, labels[dir], back, inputs[dir]); err != nil {
				return err
			}
			r.Translated[dir], r.Reconstructed[dir] = out, back
		}
		return nil
	}
	if err := evaluate(&r.Untrained); err != nil {
		return nil, fmt.Errorf("experiments: CycleGAN before training: %w", err)
	}
	if err := tr.Run(iters); err != nil {
		return nil, fmt.Errorf("experiments: CycleGAN: %w", err)
	}
	if err := evaluate(&r.Trained); err != nil {
		return nil, fmt.Errorf("experiments: CycleGAN after training: %w", err)
	}
	r.Trainer = tr
	return r, nil
}

// score judges images translated in direction dir (for AToB the target domain is the thick
// one) against the inputs' labels, and reconstructions against the inputs (CycleL1 0 when
// reconstructions is nil).
func (r *CycleGANResult) score(judge *classifier.Model, dir cyclegan.Direction, images []float32, labels []uint8,
	reconstructions, inputs []float32) (TranslationScores, error) {
	var s TranslationScores
	ink := cyclegan.InkFraction(images)
	k := 0
	for _, f := range ink {
		if (f > r.Threshold) == (dir == cyclegan.AToB) {
			k++
		}
	}
	s.DomainRate = float64(k) / float64(len(ink))
	var err error
	if s.Accuracy, err = judge.LabelAccuracy(images, labels); err != nil {
		return s, err
	}
	if reconstructions != nil {
		if s.CycleL1, err = pix2pix.L1(reconstructions, inputs); err != nil {
			return s, err
		}
	}
	return s, nil
}

// CheckCycleGAN is lesson 11's claim: after training, in each direction, at least
// CycleGANMinDomainRate of the held-out translations land on the target domain's side of
// the ink threshold (more than before training), at least CycleGANMinAccuracy keep their
// digit for the classifier, and the reconstructions after a full cycle are within
// CycleGANMaxCycleL1 of the inputs, closer than the untrained networks'.
func CheckCycleGAN(r *CycleGANResult) error {
	if r == nil {
		return fmt.Errorf("experiments: CheckCycleGAN needs a result")
	}
	var errs []error
	for dir, name := range []string{"A -> B (thicken)", "B -> A (thin)"} {
		t, u := r.Trained[dir], r.Untrained[dir]
		if !(t.DomainRate >= CycleGANMinDomainRate && t.DomainRate > u.DomainRate) {
			errs = append(errs, fmt.Errorf("%s: %.1f%% of translations look like the target domain (untrained %.1f%%); want at least %.0f%% and more than untrained",
				name, 100*t.DomainRate, 100*u.DomainRate, 100*CycleGANMinDomainRate))
		}
		if !(t.Accuracy >= CycleGANMinAccuracy) {
			errs = append(errs, fmt.Errorf("%s: the classifier reads %.1f%% of translations as their input's digit; want at least %.0f%%",
				name, 100*t.Accuracy, 100*CycleGANMinAccuracy))
		}
		if !(t.CycleL1 <= CycleGANMaxCycleL1 && t.CycleL1 < u.CycleL1) {
			errs = append(errs, fmt.Errorf("%s: reconstructions after a cycle are %.4f per pixel from the inputs (untrained %.4f); want at most %.2f and less than untrained",
				name, t.CycleL1, u.CycleL1, CycleGANMaxCycleL1))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("experiments: lesson 11: %w: %w", ErrClaim, err)
	}
	return nil
}

// Comparison lays out the first n held-out images of each domain for an image grid of n
// rows: per row a, G_AB(a), G_BA(G_AB(a)), b, G_BA(b), G_AB(G_BA(b)). It returns the images
// and the columns' names.
func (r *CycleGANResult) Comparison(n int) ([]float32, []string, error) {
	if n < 1 || n > r.Test.NA() || n > r.Test.NB() {
		return nil, nil, fmt.Errorf("experiments: Comparison of %d images per domain; have %d and %d", n, r.Test.NA(), r.Test.NB())
	}
	cols := []string{"a", "G_AB(a)", "G_BA(G_AB(a))", "b", "G_BA(b)", "G_AB(G_BA(b))"}
	const px = mnist.Pixels
	inputs := [2][]float32{r.Test.A, r.Test.B}
	var images []float32
	for i := range n {
		for dir := range 2 {
			for _, xs := range [][]float32{inputs[dir], r.Translated[dir], r.Reconstructed[dir]} {
				images = append(images, xs[i*px:(i+1)*px]...)
			}
		}
	}
	return images, cols, nil
}
