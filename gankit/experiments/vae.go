package experiments

import (
	"errors"
	"fmt"

	"github.com/gankit/kit/gankit/imagegan"
	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/pix2pix"
	"github.com/gankit/kit/gankit/train"
	"github.com/gankit/kit/gankit/vae"
	"github.com/gomlx/compute"
)

// Lesson 12's settings: a VAE, a conditional VAE, a plain auto-encoder (gankit/vae with
// its defaults) and lesson 7's DCGAN, each trained for the same number of iterations on
// batches of 64 of the same data, judged by the shipped classifier of the set.
const (
	// VAEIterations is lesson 12's budget per model.
	VAEIterations = 600
	// VAEEvalSamples is how many samples (and real test images) each score uses.
	VAEEvalSamples = 1000
	// VAESeed is the lesson's seed.
	VAESeed = 1
	// VAEWindow is how many iterations the ELBO is averaged over at the start and the end.
	VAEWindow = 50
	// VAECVAELatent is the conditional VAE's latent dimension. With the VAE's 16 its codes
	// carried the digit's identity themselves and the decoder learned to rely on them:
	// only 26%, 30% and 39% of its samples showed the requested label after 200, 400 and 600
	// iterations. With 2 dimensions there is room in z for little more than style, the label
	// has to carry the digit: 70%, 84% and 93% (seed 1).
	VAECVAELatent = 2
	// VAEMinELBOGain and VAEMinCVAEAccuracy are lesson 12's thresholds (measured, seed 1,
	// 600 iterations: the ELBO rose from -281 to -118 nats per image; 92.7% of the CVAE's
	// samples showed their label).
	VAEMinELBOGain     = 100
	VAEMinCVAEAccuracy = 0.8
)

// SampleScores judge samples of one generative model against real test images.
type SampleScores struct {
	// Name says whose samples these are.
	Name string
	// Images are VAEEvalSamples samples, flat 28×28 in [-1, 1].
	Images []float32
	// FD is the classifier-feature Fréchet distance to the first VAEEvalSamples real test
	// images (lesson 7).
	FD float64
	// Sharpness is metrics.Sharpness of the images.
	Sharpness float64
}

// VAEResult is what lesson 12 measures.
type VAEResult struct {
	// VAE, CVAE and AE are the trained VAE, conditional VAE and auto-encoder, GAN the DCGAN.
	VAE, CVAE, AE *vae.Trainer
	GAN           *imagegan.Trainer
	// Real scores the second thousand of real test images: the floor of FD and the
	// sharpness of real digits.
	Real SampleScores
	// VAESamples decodes z ~ N(0, I); AESamples decodes the same z with the auto-encoder's
	// decoder; GANSamples are G(z) for the DCGAN's fixed noise.
	VAESamples, AESamples, GANSamples SampleScores
	// CVAEAccuracy is the share of the CVAE's samples (100 per label, z ~ N(0, I)) that the
	// classifier assigns to the label they were drawn for.
	CVAEAccuracy float64
	// Reconstruction is the mean absolute difference per pixel between real test images and
	// their reconstructions through μ(x), for the VAE and the auto-encoder.
	VAEReconstruction, AEReconstruction float64
	// CodeStd is the standard deviation of the encoders' means μ(x) over the test images,
	// over all latent dimensions: near 1 for codes shaped like N(0, I).
	VAECodeStd, AECodeStd float64
	// ELBOStart and ELBOEnd are the VAE's mean ELBO (nats per image) over its first and
	// last VAEWindow iterations.
	ELBOStart, ELBOEnd float64
}

func meanELBO(rs []vae.Record) float64 {
	s := 0.0
	for _, rec := range rs {
		s += rec.ELBO()
	}
	return s / float64(len(rs))
}

// VAELesson trains lesson 12's four models on the shipped training subset named set for
// iters iterations each (at least VAEWindow), two at a time, and measures them on its test
// subset.
func VAELesson(b compute.Backend, set string, iters int, seed uint64) (*VAEResult, error) {
	if iters < VAEWindow {
		return nil, fmt.Errorf("experiments: VAELesson needs at least %d iterations, got %d", VAEWindow, iters)
	}
	trainSet, test, judge, err := imageLessonData(set)
	if err != nil {
		return nil, err
	}
	n := VAEEvalSamples
	px := test.Pixels()
	if test.N < 2*n {
		return nil, fmt.Errorf("experiments: VAELesson needs %d real test images, %q has %d", 2*n, set, test.N)
	}
	r := &VAEResult{}
	configs := []vae.Config{{Set: trainSet, Seed: seed}, {Set: trainSet, Conditional: true, Latent: VAECVAELatent, Seed: seed},
		{Set: trainSet, Autoencoder: true, Seed: seed}}
	trainers := make([]*vae.Trainer, len(configs))
	err = train.Parallel(len(configs)+1, DefaultWorkers, func(i int) error {
		if i == len(configs) {
			cfg := imagegan.DefaultConfig(trainSet, imagegan.Unconditional)
			cfg.Seed = seed
			gan, err := imagegan.New(b, cfg)
			if err == nil {
				err = gan.Run(iters)
			}
			r.GAN = gan
			return err
		}
		tr, err := vae.New(b, configs[i])
		if err == nil {
			err = tr.Run(iters)
		}
		trainers[i] = tr
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("experiments: VAELesson: %w", err)
	}
	r.VAE, r.CVAE, r.AE = trainers[0], trainers[1], trainers[2]
	h := r.VAE.History()
	r.ELBOStart, r.ELBOEnd = meanELBO(h[:VAEWindow]), meanELBO(h[len(h)-VAEWindow:])

	real := test.Float32(-1, 1)
	realFeat, err := judge.Features(real[:n*px])
	if err != nil {
		return nil, err
	}
	score := func(name string, images []float32) (SampleScores, error) {
		s := SampleScores{Name: name, Images: images}
		feat, err := judge.Features(images)
		if err != nil {
			return s, err
		}
		if s.FD, err = metrics.Frechet(feat, realFeat); err != nil {
			return s, err
		}
		s.Sharpness, err = metrics.Sharpness(images, test.Rows)
		return s, err
	}
	z := r.VAE.PriorNoise(n)
	vaeImages, err1 := r.VAE.Sample(z, nil)
	aeImages, err2 := r.AE.Sample(z, nil)
	ganImages, err3 := r.GAN.Generate(r.GAN.FixedNoise(n), imagegan.Codes{})
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, err
	}
	for _, c := range []struct {
		dst    *SampleScores
		name   string
		images []float32
	}{
		{&r.Real, "real test digits", real[n*px : 2*n*px]},
		{&r.VAESamples, "VAE: decoded z ~ N(0, I)", vaeImages},
		{&r.AESamples, "auto-encoder: decoded z ~ N(0, I)", aeImages},
		{&r.GANSamples, "DCGAN: G(z)", ganImages},
	} {
		if *c.dst, err = score(c.name, c.images); err != nil {
			return nil, fmt.Errorf("experiments: scoring %s: %w", c.name, err)
		}
	}

	labels := make([]int, n)
	for i := range labels {
		labels[i] = i % 10
	}
	cvaeImages, err := r.CVAE.Sample(r.CVAE.PriorNoise(n), labels)
	if err != nil {
		return nil, err
	}
	pred, err := judge.Predict(cvaeImages)
	if err != nil {
		return nil, err
	}
	if r.CVAEAccuracy, err = metrics.LabelAccuracy(pred, labels); err != nil {
		return nil, err
	}

	for _, c := range []struct {
		tr       *vae.Trainer
		l1, code *float64
	}{{r.VAE, &r.VAEReconstruction, &r.VAECodeStd}, {r.AE, &r.AEReconstruction, &r.AECodeStd}} {
		images := real[:n*px]
		rec, err := c.tr.Reconstruct(images, nil)
		if err != nil {
			return nil, err
		}
		if *c.l1, err = pix2pix.L1(rec, images); err != nil {
			return nil, err
		}
		mu, _, err := c.tr.Encode(images, nil)
		if err != nil {
			return nil, err
		}
		m := make([]float64, len(mu))
		for i, v := range mu {
			m[i] = float64(v)
		}
		_, *c.code = metrics.MeanStd(m)
	}
	return r, nil
}

// CheckVAE is lesson 12's claim: the VAE's ELBO improved by at least minGain nats per
// image between its first and last VAEWindow iterations; its samples are blurrier than
// the DCGAN's (lower Sharpness); decoding z ~ N(0, I) with the auto-encoder's decoder gives
// worse samples (a larger FD) than with the VAE's; and at least minCVAE of the CVAE's
// samples are classified as the label they were drawn for.
func CheckVAE(r *VAEResult, minGain, minCVAE float64) error {
	if r == nil {
		return fmt.Errorf("experiments: CheckVAE needs a result")
	}
	var errs []error
	if gain := r.ELBOEnd - r.ELBOStart; !(gain >= minGain) {
		errs = append(errs, fmt.Errorf("the VAE's ELBO went from %.1f to %.1f nats per image; want a gain of at least %.0f", r.ELBOStart, r.ELBOEnd, minGain))
	}
	if !(r.VAESamples.Sharpness < r.GANSamples.Sharpness) {
		errs = append(errs, fmt.Errorf("VAE samples have sharpness %.4f, the DCGAN's %.4f: want the VAE's blurrier", r.VAESamples.Sharpness, r.GANSamples.Sharpness))
	}
	if !(r.AESamples.FD > r.VAESamples.FD) {
		errs = append(errs, fmt.Errorf("decoding N(0, I) gives FD %.1f with the auto-encoder, %.1f with the VAE: want the auto-encoder worse", r.AESamples.FD, r.VAESamples.FD))
	}
	if !(r.CVAEAccuracy >= minCVAE) {
		errs = append(errs, fmt.Errorf("%.1f%% of the CVAE's samples show their label; want at least %.0f%%", 100*r.CVAEAccuracy, 100*minCVAE))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("experiments: lesson 12: %w: %w", ErrClaim, err)
	}
	return nil
}
