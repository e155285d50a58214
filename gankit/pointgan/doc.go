// Package pointgan trains GANs of points (1-D and 2-D samples, the toy targets of
// gankit/target) with the alternating training of the original GAN paper's Algorithm 1.
// That is Goodfellow et al. (2014): k steps of the discriminator, then one step of the
// generator, each network with its own optimizer updating only its own variables.
//
// Each step is a GoMLX graph compiled once and reused for every iteration (Builds counts
// the graph constructions, so a test can prove it): discriminatorStep goes from a batch of
// real samples and noise to D's loss and applies D's optimizer update, generatorStep from
// a batch of noise to G's loss and G's update. Each network's optimizer is a
// train.Optimizer (train.Adam, train.SGD or train.RMSProp). Real samples come from a
// target.Distribution and noise from a standard normal, both drawn on the host from
// generators seeded by Config.Seed, so a run is reproducible.
//
// The run's bookkeeping is gankit/train's Loop: a History (both losses, mean D(x) and mean
// D(G(z)) per iteration), Snapshots (generated samples for a fixed batch of noise and D
// evaluated on a grid) at the iterations Run is given, and the training speed. A NaN or
// infinite loss stops training for good with an error that wraps train.ErrDiverged and
// names the iteration and the loss; any finite loss is accepted, as the toy losses have
// no natural scale.
//
// Config.Loss picks the objective family of package losses (standard BCE, Wasserstein,
// least squares, hinge); Clip and GradientPenalty make a Wasserstein critic Lipschitz
// (WGAN, WGAN-GP). Two remedies for mode collapse are options, not copies of the trainer:
// Pack (PacGAN: D judges m samples at once) and Unroll (unrolled GAN: the generator's
// loss looks k gradient steps of D ahead, differentiated through).
//
// The stabilisers of lesson 15 are options too, each off at its zero value (see
// stabilisers.go): one-sided label smoothing and label noise change D's BCE targets,
// Dropout drops D's hidden units in its own steps, InstanceNoise blurs every sample D sees
// (optionally annealed), SpectralNorm divides D's weight matrices by their power-iterated
// largest singular value, R1 penalises D's gradient on real samples, and EMA evaluates a
// moving average of G's weights. Their random draws come from streams of their own, so a
// run without them is the same as before they existed. TTUR needs no option: it is two
// learning rates.
//
// For GAN Lab's 2-D view, View gathers samples, D on a grid, the generator's per-sample
// gradients and its manifold; Steps runs D-only, G-only or k-of-each steps.
//
// With Config.Fake set, the generator is replaced by a fixed, known distribution p_g: only
// the discriminator trains, which is how lesson 2 checks D against D*.
//
// TrainAll trains several Jobs at once, each on its own seed and graphs (a failed one is a
// *RunError). W1Estimates reads a critic's score (a lower bound on K·W1) off the history,
// DiagnoseCritic measures a trained critic the way Gulrajani et al. (2017) do, and
// ScoreModes scores a generator with the mode-collapse protocol on noise of its own.
package pointgan
