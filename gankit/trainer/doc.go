// Package trainer runs the alternating GAN training of Goodfellow et al. (2014),
// Algorithm 1: k steps of the discriminator, then one step of the generator, each network
// with its own optimizer updating only its own variables.
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
// With Config.Fake set, the generator is replaced by a fixed, known distribution p_g: only
// the discriminator trains, which is how lesson 2 checks D against D*.
package trainer
