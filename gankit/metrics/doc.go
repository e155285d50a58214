// Package metrics measures how well a generator's samples match a target: mode collapse on
// the Gaussian mixtures of target (the ring of 8 and the grid of 25, or any 1-D or 2-D
// target.Mixture), GAN Lab's grid estimate of KL and JS, the exact 1-D Wasserstein-1
// distance, the mean ± sd of a measurement over seeds, and the image-GAN metrics computed
// on a classifier's outputs (Fréchet distance, Inception Score, KID, precision and recall,
// a memorisation check). Everything is plain float64 arithmetic (gonum for the matrix
// products and eigendecompositions) on the flat, row-major float32 samples that target and
// the trainer produce, or on rows of feature vectors.
//
// # Mode collapse: the VEEGAN / PacGAN protocol (Modes)
//
// Srivastava et al. (2017), "VEEGAN: Reducing Mode Collapse in GANs using Implicit
// Variational Learning" (NeurIPS), define the two metrics in their synthetic experiments
// on the ring of 8 and the grid of 25 2-D Gaussians (wording checked against the authors'
// project page, github.com/akashgit/VEEGAN, index.md):
//
//   - a generated sample is high quality if it is within three standard deviations of the
//     nearest mode (10 for their 1200-D dataset);
//   - the number of modes captured is the number of mixture components whose mean is
//     nearest to at least one high-quality sample;
//   - they also report the percentage of high-quality samples, on 2,500 samples from each
//     trained model, averaged over five runs.
//
// Lin et al. (2018), "PacGAN: The power of two samples in generative adversarial
// networks" (NeurIPS), use the same two metrics on the same two mixtures (in their code:
// the grid's modes at {-4,-2,0,2,4}², std 0.05; the ring's on the unit circle, std 0.01),
// and add a third: the reverse Kullback–Leibler divergence between the distribution of
// the generated samples over the modes and the true (uniform) distribution over the modes. Their evaluation code
// (github.com/fjxmlzn/PacGAN, synthetic_data_experiments/PacGAN/pacgan/extensions.py,
// MetricLogger; 2,500 samples per evaluation, num_log_figure_sample in config.py) fixes
// the details the text leaves open, and Modes follows it:
//
//   - distance to mode i is measured in units of that mode's standard deviation,
//     ‖x - μ_i‖ / σ_i (their code divides each coordinate by the variance diagonal), and
//     the nearest mode is the one with the smallest such distance;
//   - a sample is high quality when that distance is strictly less than 3 (dis_thre=3);
//   - each high-quality sample is counted in its nearest mode's bin, samples that are not
//     high quality are counted nowhere, and a mode is covered when its bin is non-empty
//     (len(numpy.nonzero(...)): at least 1 sample, as in VEEGAN).
//
// So the defaults are StdMultiple = 3 and MinCount = 1. (A threshold of "at least 20
// samples" per mode, sometimes quoted, is in neither paper's definition nor PacGAN's code,
// as far as we could check; MinCount is a parameter so that a lesson can ask for it.)
//
// ModeReport.ReverseKL is the reverse KL of PacGAN, made exact here:
//
//	ReverseKL = KL(p_gen ‖ p_true) = Σ_i p_gen(i) log(p_gen(i) / w_i)   (nats)
//
// where p_gen(i) = Counts[i] / HighQuality is the histogram of the high-quality samples
// over their nearest modes, and w_i is mode i's weight (1/8 or 1/25 for the standard
// targets: PacGAN's uniform distribution). Samples that are not high quality do not enter
// the histogram (they are already penalised by HighQualityFraction); empty bins contribute
// 0·log 0 = 0, which is what makes the divergence "reverse": a generator that puts all its
// high-quality samples on one of 8 equal modes scores log 8 ≈ 2.079, not +Inf, while the
// forward KL(p_true ‖ p_gen) would be infinite. With no high-quality sample at all,
// p_gen is undefined and ReverseKL is +Inf. (PacGAN's released code logs the
// Jensen–Shannon divergence between the same two histograms, not the KL; the paper's
// table reports the KL.)
//
// A calibration worth knowing: even samples from the target itself are not 100% high
// quality. In 2-D the squared distance to the mode over σ² is χ² with 2 degrees of
// freedom, so P(‖x - μ‖ < 3σ) = 1 - e^{-4.5} ≈ 98.9%; in 1-D it is 99.73%.
//
// # GAN Lab's grid divergences (GridDivergences)
//
// Kahng et al. (2019), "GAN Lab: Understanding Complex Deep Generative Models using
// Interactive Visual Experimentation" (IEEE VIS 2018, TVCG), plots KL and JS divergences
// during training. Its evaluator (github.com/poloclub/ganlab, src/ganlab_evaluators.ts,
// GANLabEvaluatorGridDensities) histograms the real and the generated samples on a 30×30
// grid over the unit square, adds smoothingEps = 1e-4 to every cell's probability, and
// sums (p+ε) log₂((p+ε)/(q+ε)) for KL(real ‖ generated), and ½Σ (p+ε) log₂((p+ε)/(m+ε)) +
// ½Σ (q+ε) log₂((q+ε)/(m+ε)) with m = (p+q)/2 for JS, without renormalising the smoothed
// histograms. GridDivergences computes exactly these sums on a bins^dim grid over any box,
// in nats (divide by ln 2 for GAN Lab's bits). Not renormalising is the better choice:
// both smoothed histograms carry the same total mass, so the sums stay >= 0, and since
// the integrands are convex and 1-homogeneous the smoothing can only lower them, so
// JS <= log 2 whatever the grid, and disjoint sets score just below log 2. (Renormalising
// would divide both by 1 + 1e-4·cells: 9% less on GAN Lab's 30×30 grid.)
//
// # Wasserstein-1 in 1-D (W1)
//
// On the real line the earth mover's distance has a closed form (Vallender 1974):
// W1(P, Q) = ∫ |F_P(x) - F_Q(x)| dx. For two sample sets F_P and F_Q are step functions
// that change only at the samples, so W1 computes the integral exactly by sorting and
// merging the samples; the sizes may differ. This is the distance a WGAN critic estimates
// (Arjovsky et al. 2017), so a 1-D lesson can put the exact value next to the critic's.
// W1Gaussian measures samples against a normal instead of a second sample set, by
// pairing the sorted samples with the normal's quantiles (lesson 1).
//
// # Over seeds (MeanStd, PlusMinus)
//
// Both papers report each metric averaged over independent runs (VEEGAN five; PacGAN's
// config.py runs ten); MeanStd gives the mean and the sample standard deviation (n-1) for a
// "mean ± sd over seeds" table, PlusMinus prints them as the papers do, and Mean is the
// mean alone (of a curve's window, say). They take float64 measurements or float32 samples.
//
// # Sample-quality metrics on features (lesson 14)
//
// These take rows of feature vectors (gankit/classifier's Features) or class probabilities
// (Softmax of its Logits) and return errors with context for empty sets, mismatched
// dimensions and NaN or infinite values.
//
//   - Frechet is the Fréchet distance d² between the Gaussians fitted to two feature sets:
//     a squared distance (FID is d² on Inception-v3's features). Its estimate from n
//     samples is biased upwards by O(1/n): two samples of one distribution score above 0.
//   - InceptionScore (Salimans et al. 2016) is exp of the mean KL(p(y|x) ‖ p(y)), between
//     1 and the number of classes; InceptionScoreSplits reports it over splits. It never
//     looks at real data.
//   - KID (Bińkowski et al. 2018) is the unbiased MMD² with the kernel
//     k(x, y) = (x·y/d + 1)³ (PolyKernel): around 0 (sometimes below) for two samples of
//     one distribution at any sample size.
//   - PrecisionRecall (Kynkäänniemi et al. 2019) estimates each set's manifold by k-NN balls
//     (KNNRadii, k = DefaultK = 3): precision is the share of generated samples inside the
//     real manifold, recall the share of real samples inside the generated one.
//   - Memorisation compares the distances from generated samples to their nearest training
//     sample (NearestDistances) with those of held-out real samples (a Quantile of them as
//     threshold, and the ratio of medians): copies of training samples come closer than
//     new real data does, which no distribution-level metric above can see.
package metrics
