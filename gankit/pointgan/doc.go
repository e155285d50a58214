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
