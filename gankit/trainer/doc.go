// Package trainer runs the alternating GAN training of "Generative Adversarial Nets"
// (Goodfellow and co-authors, 2014), Algorithm 1: k steps of the discriminator, then one
// step of the generator, each network with its own optimizer updating only its own variables.
//
// Each step is a GoMLX graph compiled once and reused for every iteration (Builds counts
// the graph constructions, so a test can prove it). Real samples come from a
// target.Distribution and noise from a standard normal, both drawn on the host from
// generators seeded by Config.Seed, so a run is reproducible.
//
// The Trainer keeps a History (both losses, mean D(x) and mean D(G(z)) per iteration) and
// Snapshots (generated samples for a fixed batch of noise and D evaluated on a grid) at
// the iterations asked for. A NaN/Inf guard stops training with an error that names the
// iteration and the loss.
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
package trainer
