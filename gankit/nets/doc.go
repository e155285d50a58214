// Package nets builds the generator and discriminator networks of the toy GANs.
//
// A Network is created in two explicit phases: Init creates its variables in a
// model.Scope with values drawn from a seeded *rand.Rand (PyTorch's default for
// nn.Linear: weights and biases uniform in ±1/sqrt(fan_in)), and Apply builds its forward
// pass in a GoMLX graph. Init is separate because the default GoMLX initialisation (zero
// biases) kept the ring GAN from learning where PyTorch's initialisation learned, and
// because initial values drawn on the host with an explicit seed are the same on every
// backend.
//
// Apply may be called any number of times in one graph (a GAN calls its discriminator
// once on real and once on generated samples): it only reads the variables Init made.
//
// A Functional network (MLP) can also run on explicit parameter nodes, which lets a
// trainer transform them first (an unrolled or spectrally normalised discriminator, a
// moving average of the generator); a Hidden one (MLP) lets it rewrite the hidden
// activations on the way (dropout masks).
package nets
