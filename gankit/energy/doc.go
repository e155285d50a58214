// Package energy is a discriminator that generates by itself: the energy-based view of
// Hung-yi Lee's lecture "GAN as structured learning" (lesson 13).
//
// A discriminator D scores a whole output, so it can judge structure that a per-pixel loss
// cannot. To generate with it, solve x* = argmax_x D(x); here by gradient ascent from a
// noise starting point (Ascend, in graph code). D itself learns from real samples
// (positives) and from its own current samples (negatives): each round of Config.Run draws
// negatives by ascent and takes discriminator steps of the standard cross-entropy
// (losses.Discriminator), which lowers D where it now generates and raises it on the data.
//
// Every sample costs Config.AscentSteps gradient evaluations of D (Result.AscentEvals
// counts them), against one forward pass for a GAN's generator: the generator of a GAN is
// a learned, fast solver of this argmax. On 2-D mixtures the ascent works; on 784-pixel
// digits, at the same budget, it finds noise that D scores high (lesson 13 measures both,
// with the settings in gankit/experiments: RingDAlone, DigitsDAlone).
package energy
