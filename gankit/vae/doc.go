// Package vae trains variational auto-encoders on 28×28 grey images (gankit/mnist): the
// "other road" to latent-variable generators that lesson 12 sets beside the GANs of
// lessons 7-9, with networks of the same shape.
//
//	set, _ := mnist.Load("mnist")
//	tr, err := vae.New(nil, vae.Config{Set: set})            // Conditional: true for a CVAE
//	err = tr.Run(1000, 0, 100, 1000)                         // snapshots before training and at 100, 1000
//	tr.History()                                             // ELBO, reconstruction, KL per iteration
//	tr.Snapshots()                                           // the same prior noise, decoded at each
//	images, err := tr.Sample(tr.PriorNoise(100), nil)        // decode z ~ N(0, I)
//
// # The model
//
// The encoder q(z | x) is a diagonal Gaussian whose mean μ(x) and log-variance log σ²(x)
// come from a network shaped like the DCGAN discriminator of gankit/imagegan (two 4×4
// stride-2 convolutions with LeakyReLU 0.2, then one dense layer to 2·Latent values,
// without batch norm); the decoder p(x | z) is a product of Bernoulli distributions over
// the pixels (intensities in [0, 1]) whose logits come from a network shaped like the
// DCGAN generator (dense 7·7·Width, ReLU, nearest ×2 + 3×3 conv Width/2, ReLU, nearest ×2
// + 3×3 conv 1). Sample and Reconstruct return the Bernoulli means, scaled to [-1, 1] like
// the GANs' images, so the same classifier and plots judge both.
//
// A training step maximises the evidence lower bound (ELBO) of a batch,
//
//	log p(x) ≥ E_{q(z|x)}[log p(x | z)] − KL(q(z | x) ‖ N(0, I)),
//
// by minimising its negative, averaged over the batch: the reconstruction term is the
// binary cross-entropy summed over the 784 pixels, estimated with one sample
// z = μ + σ·ε, ε ~ N(0, I) (the reparameterisation trick: the randomness is an input, so
// the gradient flows through μ and σ), and the KL term has the closed form
//
//	KL = ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²)
//
// (KLStandardNormal computes it on the host; its test checks it against a Monte Carlo
// estimate). LossTerms is the graph of both terms. Beta weights the KL term (1: the ELBO;
// Higgins et al.'s β-VAE otherwise).
//
// The pixels of MNIST are grey levels, not binary: a product of Bernoulli distributions
// scored on values in (0, 1) is not a normalised density over such images, so the ELBO
// "in nats" is the objective that training maximises, comparable between runs of this
// model, not a bound on the log-likelihood of a proper density of grey images.
//
// # Training
//
// The step graph, elboStep, goes from a batch of images, their labels and the noise ε to
// the loss and its two terms, and applies the update of Config.Optimizer (a
// train.Optimizer; by default Adam at 1e-3 with betas 0.9 and 0.999) to both networks.
// The run's bookkeeping is gankit/train's Loop: the History, the Snapshots (what the
// decoder makes of a fixed batch of prior noise) at the iterations Run is given, the
// training speed, and the divergence guard: a loss that is NaN, infinite or above
// train.MaxLoss stops training for good with an error wrapping train.ErrDiverged.
//
// # Conditional VAE
//
// With Conditional set (Sohn et al. 2015), both networks also see the one-hot label y:
// the decoder concatenated to z; the encoder as a learned map per class added to its
// first convolution's output (what 10 constant label channels at its input would add,
// up to the border). The decoder
// then models p(x | z, y), and Sample takes the labels to draw: digits on demand, as the
// conditional GAN of lesson 8.
//
// # Plain auto-encoder
//
// With Autoencoder set, the same networks train as a deterministic auto-encoder: the
// decoder gets z = μ(x) and the loss is the reconstruction term alone. It reconstructs
// better than the VAE, but nothing shapes its codes like N(0, I), so decoding PriorNoise
// with it is not sampling (lesson 12 measures the difference).
//
// Every random draw (weights, batches, ε, PriorNoise) comes from Config.Seed.
package vae
