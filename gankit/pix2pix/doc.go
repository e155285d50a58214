// Package pix2pix trains paired image-to-image translation at MNIST size, for lesson 10:
// pix2pix (Isola, Zhu, Zhou and Efros 2017, "Image-to-Image Translation with Conditional
// Adversarial Networks").
//
//	pairs, _ := pix2pix.MakePairs(set, pix2pix.Inpaint)     // masked digit -> digit
//	tr, err := pix2pix.New(nil, pix2pix.Config{Pairs: pairs}) // cGAN + 100·L1
//	err = tr.Run(1000, 0, 500, 1000)                         // snapshots before training, at 500 and 1000
//	out, err := tr.Translate(inputs)
//
// # The pairs
//
// Pairs hold inputs and their targets; NewPairs rejects mismatched counts, partial images
// and values outside [-1, 1] with a message that says which. MakePairs derives pairs from
// a data set by a Task: Inpaint (an 8×8 square blacked out in the middle) or Outline (only
// the stroke pixels that touch the background kept).
//
// # The networks and the objective
//
// The generator is a small i2i.UNet (an encoder-decoder with skip connections), the
// discriminator an i2i.PatchGAN that sees the input and an output side by side and gives one
// logit per 18×18 patch. The generator minimises
//
//	L_cGAN(G, D) + λ·L1(G),   L1 = E|y − G(x)|,   λ = 100
//
// with the non-saturating GAN loss −log D(x, G(x)) averaged over the patches, and D
// minimises half the sum of its real and fake binary cross-entropies (the paper halves D's
// objective "to slow down the rate at which D learns relative to G"). The ablations of the
// paper's Table 1 are the other Objectives: L1Only (a regression, no discriminator) and
// CGANOnly (λ = 0). Config.Validate rejects impossible weights: a λ that is negative,
// infinite or NaN, and a λ given to an objective without the L1 term. Both networks use
// Adam with learning rate 2e-4 and betas (0.5, 0.999), as the paper (DefaultOptimizer;
// Config.GOptimizer and DOptimizer take any train.Optimizer). The paper's dropout noise
// and batch norm are left out at this size.
//
// # Training
//
// The steps' graphs are discriminatorStep and generatorStep (steps.go): from a batch of
// pairs to the losses, the optimizer's update included. Iterate runs D's step, then G's,
// on one batch and appends a Record; Run(n, snapshotAt...) runs n iterations on
// gankit/train's Loop, taking a Snapshot (the translations of the first SnapshotSamples
// pairs) at the listed iterations. A loss that is NaN, infinite or above train.MaxLoss
// stops training with an error wrapping train.ErrDiverged, which Err and every later
// Iterate return.
package pix2pix
