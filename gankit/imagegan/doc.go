// Package imagegan trains the image GANs of lessons 07-09 on 28×28 grey images
// (gankit/mnist): DCGAN, a conditional GAN and InfoGAN, built from gankit/conv,
// gankit/batchnorm and gankit/nets, on the backend gankit/backend chooses (XLA on the CPU where
// its plugin is installed, else the pure-Go backend).
//
//	set, _ := mnist.Load("mnist")
//	tr, err := imagegan.New(nil, imagegan.DefaultConfig(set, imagegan.Unconditional))
//	err = tr.Run(2000, 0, 500, 1000, 2000)  // snapshots before training and at 500, 1000, 2000
//	tr.History()                            // losses, D(x), D(G(z)) per iteration
//	tr.Snapshots()                          // images from the same FixedNoise each time
//
// # The networks
//
// They follow the DCGAN paper's rules (Radford et al. 2016) at MNIST size, and are the
// model of cmd/bench's DCGAN workload (the defaults: GWidth 64, DWidth 32, NoiseDim 64):
//
//	G: [z, c] -> dense 7·7·GWidth, BN, ReLU
//	          -> nearest x2 + 3×3 conv GWidth/2, BN, ReLU      (14×14)
//	          -> nearest x2 + 3×3 conv 1, tanh                 (28×28, in (-1, 1))
//	D: x -> 4×4 stride-2 conv DWidth, LeakyReLU(0.2)           (14×14)
//	     -> 4×4 stride-2 conv 2·DWidth, BN, LeakyReLU(0.2)     (7×7)
//	     -> flatten -> dense 1 (the logit; D(x) = sigmoid)
//
// The paper's rules, and where this package departs from them:
//
//   - No pooling: D downsamples with strided convolutions.
//   - G upsamples with nearest-neighbour upsampling followed by a 3×3 convolution
//     (conv.Layer with Upsample: 2), not a transposed convolution. Both learn the
//     upsampling; upsample + convolution avoids the checkerboard artefacts of transposed
//     convolutions whose kernel size is not a multiple of their stride (Odena et al. 2016,
//     "Deconvolution and checkerboard artifacts"), and gankit/conv computes it without
//     building the upsampled image.
//   - Batch norm in both networks, but not on G's output nor on D's input layer, as in
//     the paper. gankit/batchnorm behaves as PyTorch's: batch statistics in training,
//     running statistics (momentum 0.1) in inference. Both steps build their graphs in
//     training mode, so D's batch norm sees the real and the generated batch separately
//     (two calls, as in PyTorch's DCGAN example); Generate and Snapshot run G in
//     inference mode, so an image depends on its own noise only.
//   - ReLU in G with a tanh output (the data are scaled to [-1, 1]); LeakyReLU 0.2 in D.
//   - Adam, learning rate 2e-4, betas (0.5, 0.999) for both networks (DefaultOptimizer, a
//     train.Optimizer: Config.GOptimizer and DOptimizer take SGD or RMSProp as well); the
//     non-saturating generator loss -log D(G(z)); one D step then one G step per
//     iteration, each on a fresh generated batch.
//   - Initial weights as PyTorch's default layers (uniform in ±1/sqrt(fan_in)), drawn on
//     the host from Config.Seed.
//
// # Conditional GAN
//
// Mode Conditional (Mirza & Osindero 2014) gives both networks the class label y as a
// one-hot vector of Classes() = 10 values: G gets it concatenated to z ([z, y] into its
// first dense layer), and D gets it as 10 extra constant input channels (channel k is all
// ones for class k, zeros otherwise), concatenated to the image before D's first
// convolution. D thus judges "is this a real image of class y?", and a G that draws the
// wrong digit for y is caught. (The concatenation is computed without building the
// channels: the convolution of class k's constant channels is the same for every image
// of class k, so it is computed once per class and picked by the one-hot label; the
// result and its gradients equal those of the concatenated input.) Real images come with their labels (Set.BatchWithLabels);
// generated ones with labels drawn uniformly. Generate takes Codes.Labels.
//
// # InfoGAN
//
// Mode InfoGAN (Chen et al. 2016) gives G latent codes c besides z: a categorical code of
// Categorical values (one-hot) and Continuous codes uniform in [-1, 1] (defaults: 10 and 2,
// the paper's MNIST setting); nothing says what they mean. A Q head shares D's body: one
// dense layer from D's features (after the second convolution) to Categorical logits and
// Continuous means. The mutual-information loss
//
//	L_I = CE(softmax(Q logits), c_cat) + ½·Σ_j (c_j - μ_j)²
//
// is the negative of the variational lower bound on I(c; G(z, c)) up to constants: the
// cross-entropy of the categorical code plus the Gaussian negative log-likelihood of the
// continuous codes with a fixed unit variance (a squared error over 2), both averaged over
// the batch. λ·L_I (InfoWeight, default 1) is added to both G's loss and D's loss, as in
// the paper: D's optimizer trains Q and D's shared body on the generated batch, G's makes
// its images keep c readable. Record.Info is L_I (unweighted) at the generator step.
// Generate takes Codes.Categorical and Codes.Continuous.
//
// # Training, history and snapshots
//
// New(backend, cfg) fills defaults (Config.WithDefaults), validates (Config.Validate
// reports every impossible setting), creates the variables and compiles the two steps,
// whose graphs are discriminatorStep and generatorStep (steps.go): from a batch and noise
// to the losses, the optimizer's update included. The training runs on gankit/train's
// Loop. Iterate runs one iteration and appends a Record (D loss, G loss, mean D(x), mean
// D(G(z)), L_I); Run(n, snapshotAt...) runs n of them, taking Snapshots at the listed
// iterations: SnapshotSamples images (default 100) from FixedNoise and FixedCodes, the
// same noise every time, so successive snapshots show one set of samples improving
// (plots.ImageGrid(title, s.Images, Side, Side, rows, cols) draws one, plots.GIF
// animates the grids). History has the methods of plots.LossHistory, so
// plots.Curves(tr.History()) draws it. FixedCodes puts class (or
// categorical value) i%10 in image i, so a 10-column grid has one class per column.
// ClassGrid draws one noise vector per row and one class (or categorical value) per
// column, so a row shows what the noise keeps when only the class changes; Traversal
// varies one of InfoGAN's continuous codes along each row. InfoLoss builds L_I as graph
// code and InfoLossValue computes it for one sample on the host. ItersPerSecond reports
// the measured speed. A loss that is NaN, infinite or above train.MaxLoss stops training
// with an error wrapping train.ErrDiverged that names the iteration and the loss, which
// Err and every later Iterate return.
//
// Every random draw comes from Config.Seed: two trainers with one seed produce the same
// history and images on the same backend.
//
// # Speed
//
// On this project's 2-core machine the default networks at batch 64 train at about 10
// iterations per second on XLA CPU and 4 on the pure-Go backend (lesson 7, beside another
// lesson; cmd/bench's DCGAN, alone: 13.9 and 7.5), about the same in the three modes. A
// lesson's budget of a few minutes thus holds one to two thousand iterations: lesson 7
// trains for 2,000, lessons 8 and 9, at a higher learning rate, for 1,000 and 750.
// TestLearnsDigits checks that 300 iterations already bring the samples' mean pixel to
// the data's; the digits become recognisable over the following thousand.
package imagegan
