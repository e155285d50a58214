package experiments

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/classifier"
	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Reading is what the classifier says about a set of images.
type Reading struct {
	Labels []int     // the predicted class of each image
	Conf   []float64 // its softmax probability
	// Confident is the fraction read with a probability of at least ConfidentProb.
	Confident float64
	// Classes is the class histogram of Labels.
	Classes metrics.ClassReport
	// Sharpness is metrics.Sharpness of the images.
	Sharpness float64
}

// ConfidentProb is the softmax probability above which lesson 13 counts an image as read
// confidently by the classifier.
const ConfidentProb = 0.9

// Read runs the classifier on images (28×28, [-1, 1]) and summarises its verdicts.
func Read(cls *classifier.Model, images []float32) (Reading, error) {
	logits, err := cls.Logits(images)
	if err != nil {
		return Reading{}, fmt.Errorf("experiments: Read: %w", err)
	}
	n := len(logits) / 10
	r := Reading{Labels: make([]int, n), Conf: make([]float64, n)}
	confident := 0
	for i := range n {
		l := logits[i*10 : (i+1)*10]
		best, mx := 0, math.Inf(-1)
		for c, v := range l {
			if float64(v) > mx {
				best, mx = c, float64(v)
			}
		}
		z := 0.0
		for _, v := range l {
			z += math.Exp(float64(v) - mx)
		}
		r.Labels[i], r.Conf[i] = best, 1/z
		if r.Conf[i] >= ConfidentProb {
			confident++
		}
	}
	r.Confident = float64(confident) / float64(n)
	if r.Classes, err = metrics.ClassHistogram(r.Labels, 10, 1); err != nil {
		return Reading{}, err
	}
	if r.Sharpness, err = metrics.Sharpness(images, 28); err != nil {
		return Reading{}, err
	}
	return r, nil
}

// StructureReport compares, on n test digits x, two candidate outputs for x: x shifted by
// a few pixels (the right structure, slightly misplaced) and the mean image of the n
// digits (what a per-pixel L2 loss prefers when it cannot tell which digit to draw).
type StructureReport struct {
	N, ShiftPixels int
	// ShiftMSE and MeanMSE are the mean over the digits of each candidate's per-pixel
	// squared error to x.
	ShiftMSE, MeanMSE float64
	// MeanWins is the fraction of digits for which the mean image has the smaller error.
	MeanWins float64
	// ShiftCorrect is the classifier's accuracy on the shifted digits; MeanLabel its
	// reading of the mean image, MeanConf the probability it gives it, and MeanCorrect the
	// fraction of the digits whose label MeanLabel is.
	ShiftCorrect, MeanConf, MeanCorrect float64
	MeanLabel                           int
}

// MeasureStructure builds a StructureReport from images (28×28 in [-1, 1]) and labels.
func MeasureStructure(cls *classifier.Model, images []float32, labels []uint8, shift int) (StructureReport, error) {
	const px = 28 * 28
	n := len(labels)
	if n == 0 || len(images) != n*px {
		return StructureReport{}, fmt.Errorf("experiments: MeasureStructure: %d values for %d labels of 28×28 images", len(images), n)
	}
	mean := metrics.MeanImage(images, px)
	shifted := make([]float32, 0, len(images))
	r := StructureReport{N: n, ShiftPixels: shift}
	wins := 0
	for i := range n {
		x := images[i*px : (i+1)*px]
		s := metrics.ShiftImage(x, 28, shift, 0)
		shifted = append(shifted, s...)
		ds, dm := metrics.MSE(s, x), metrics.MSE(mean, x)
		r.ShiftMSE += ds / float64(n)
		r.MeanMSE += dm / float64(n)
		if dm < ds {
			wins++
		}
	}
	r.MeanWins = float64(wins) / float64(n)
	rs, err := Read(cls, shifted)
	if err != nil {
		return StructureReport{}, err
	}
	rm, err := Read(cls, mean)
	if err != nil {
		return StructureReport{}, err
	}
	r.MeanLabel, r.MeanConf = rm.Labels[0], rm.Conf[0]
	for i, l := range labels {
		if rs.Labels[i] == int(l) {
			r.ShiftCorrect += 1 / float64(n)
		}
		if r.MeanLabel == int(l) {
			r.MeanCorrect += 1 / float64(n)
		}
	}
	return r, nil
}

// Lesson 13's bounds on the structure error: the mean image must be closer than the
// shifted digit for at least StructureMinMeanWins of the digits, while the classifier
// reads at least StructureMinShiftAccuracy of the shifted digits right.
const (
	StructureMinMeanWins      = 0.5
	StructureMinShiftAccuracy = 0.9
)

// CheckStructure checks that the per-pixel loss ranks the worse output better: the mean
// image beats the shifted digit in L2 on average and for most digits, while the
// classifier reads the shifted digits right and the mean image right only as often as
// its one label occurs. A failed claim wraps ErrClaim.
func CheckStructure(r StructureReport) error {
	switch {
	case r.MeanMSE >= r.ShiftMSE:
		return fmt.Errorf("%w: the mean image's squared error %.3f is not below the shifted digits' %.3f", ErrClaim, r.MeanMSE, r.ShiftMSE)
	case r.MeanWins < StructureMinMeanWins:
		return fmt.Errorf("%w: the mean image is closer for only %.1f%% of the digits, want >= %g%%", ErrClaim, 100*r.MeanWins, 100*StructureMinMeanWins)
	case r.ShiftCorrect < StructureMinShiftAccuracy:
		return fmt.Errorf("%w: the classifier reads %.1f%% of the shifted digits right, want >= %g%%", ErrClaim, 100*r.ShiftCorrect, 100*StructureMinShiftAccuracy)
	case r.MeanCorrect >= r.ShiftCorrect:
		return fmt.Errorf("%w: the mean image is read right for %.1f%% of the digits, not fewer than the shifted ones (%.1f%%)", ErrClaim, 100*r.MeanCorrect, 100*r.ShiftCorrect)
	}
	return nil
}

// PairedL2 is a generator trained alone, without a discriminator: each step pairs fresh
// noise codes with randomly drawn data samples and minimises the squared error between
// G(code) and its sample. Since a code says nothing about which sample it was paired
// with, the best G can do is output the mean of the data for every code.
type PairedL2 struct {
	Generator nets.MLP
	Steps     int
	BatchSize int
	Optimizer train.Optimizer
	Seed      uint64
}

// L2Result is a trained PairedL2 generator's samples and its loss curve.
type L2Result struct {
	Samples []float32 // n generated samples
	Losses  []float64 // per-step mean squared error
}

// Run trains the generator on batches from sample (sample(rng, n) returns n flat data
// points of Generator.Out values) and returns n samples from fresh codes.
func (p PairedL2) Run(b compute.Backend, sample func(rng *rand.Rand, n int) []float32, n int) (L2Result, error) {
	G := p.Generator
	if err := G.Validate(); err != nil {
		return L2Result{}, fmt.Errorf("experiments: PairedL2: %w", err)
	}
	if err := p.Optimizer.Validate(); err != nil {
		return L2Result{}, fmt.Errorf("experiments: PairedL2: %w", err)
	}
	store := model.NewStore()
	if err := G.Init(store.RootScope().At("generator"), train.Rand(p.Seed, 3)); err != nil {
		return L2Result{}, err
	}
	opt := p.Optimizer.Build("adam_g")
	step, err := model.NewExec(b, store, func(scope *model.Scope, z, x *Node) *Node {
		gs := scope.At("generator")
		loss := ReduceAllMean(Square(Sub(G.Apply(gs, z), x)))
		opt.UpdateGraph(gs, z.Graph(), loss)
		return loss
	})
	if err != nil {
		return L2Result{}, fmt.Errorf("experiments: PairedL2 step: %w", err)
	}
	gen, err := model.NewExec(b, store, func(scope *model.Scope, z *Node) *Node { return G.Apply(scope.At("generator"), z) })
	if err != nil {
		return L2Result{}, err
	}
	dataRng, noiseRng := train.Rand(p.Seed, 1), train.Rand(p.Seed, 2)
	var res L2Result
	for range p.Steps {
		x := sample(dataRng, p.BatchSize)
		z := train.Normal(noiseRng, p.BatchSize*G.In)
		out, err := step.Call(tensors.FromFlatDataAndDimensions(z, p.BatchSize, G.In), tensors.FromFlatDataAndDimensions(x, p.BatchSize, G.Out))
		if err != nil {
			return L2Result{}, fmt.Errorf("experiments: PairedL2 step: %w", err)
		}
		res.Losses = append(res.Losses, train.Scalar(out[0]))
	}
	z := train.Normal(train.Rand(p.Seed, 4), n*G.In)
	out, err := gen.Call(tensors.FromFlatDataAndDimensions(z, n, G.In))
	if err != nil {
		return L2Result{}, fmt.Errorf("experiments: PairedL2 sampling: %w", err)
	}
	res.Samples = tensors.MustCopyFlatData[float32](out[0])
	return res, nil
}

// DigitsL2 is lesson 13's generator alone on digits: 16 → 256 → 784 (tanh), 300 Adam
// steps of batch 64.
func DigitsL2(seed uint64) PairedL2 {
	return PairedL2{Generator: nets.MLP{In: 16, Hidden: []int{256}, Out: 784, Act: nets.ReLU, OutAct: nets.Tanh},
		Steps: 300, BatchSize: 64, Optimizer: train.Adam(1e-3, 0.9, 0.999), Seed: seed}
}

// PointsL2 is the same on a 2-D target: CollapseGAN's generator (16 → 64 → 64 → 2) and
// batch, 1,000 Adam(1e-3) steps.
func PointsL2(seed uint64) PairedL2 {
	return PairedL2{Generator: nets.Generator(CollapseNoise, []int{64, 64}, 2), Steps: 1000, BatchSize: CollapseBatch,
		Optimizer: train.Adam(1e-3, 0.9, 0.999), Seed: seed}
}

// MixtureSampler adapts a distribution to PairedL2.Run.
func MixtureSampler(d target.Distribution) func(rng *rand.Rand, n int) []float32 {
	return func(rng *rand.Rand, n int) []float32 { return d.Sample(rng, n) }
}

// Lesson 13's bound on the generator alone: its samples' spread (RMS distance to their
// own mean) must be at most L2MaxSpread times the real images' spread.
const L2MaxSpread = 0.25

// CheckBlur checks that the generator trained alone by L2 learned the mean: its samples
// hardly differ (spread at most L2MaxSpread of the real images'), are blurrier than real
// digits and mostly fall into fewer classes than the real ones. A failed claim wraps ErrClaim.
func CheckBlur(gen, real Reading, genSpread, realSpread float64) error {
	switch {
	case genSpread > L2MaxSpread*realSpread:
		return fmt.Errorf("%w: the generated images' spread %.3f is above %g × the real ones' %.3f", ErrClaim, genSpread, L2MaxSpread, realSpread)
	case gen.Sharpness >= real.Sharpness:
		return fmt.Errorf("%w: the generated images' sharpness %.4f is not below the real ones' %.4f", ErrClaim, gen.Sharpness, real.Sharpness)
	case gen.Confident >= real.Confident:
		return fmt.Errorf("%w: the classifier reads %.1f%% of the generated images confidently, not fewer than the real ones' %.1f%%", ErrClaim, 100*gen.Confident, 100*real.Confident)
	}
	return nil
}
