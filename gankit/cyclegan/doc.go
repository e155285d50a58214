// Package cyclegan trains unpaired image-to-image translation at MNIST size, for lesson 11:
// CycleGAN (Zhu, Park, Isola and Efros 2017, "Unpaired Image-to-Image Translation using
// Cycle-Consistent Adversarial Networks").
//
//	d, _ := cyclegan.ThinThick(set)                          // digits <-> thickened digits, unpaired
//	tr, err := cyclegan.New(nil, cyclegan.Config{Domains: d}) // λ = 10
//	err = tr.Run(1000, 0, 1000)                               // snapshots before and after training
//	thick, back, err := tr.Cycle(cyclegan.AToB, d.A[:100*mnist.Pixels])
//
// # The task
//
// ThinThick splits a data set in two by position: A holds the even-numbered images as they
// are, B the odd-numbered ones thickened by a 3×3 dilation (Thicken). No image of B is the
// thickened version of an image of A, so there are no pairs to learn from, which is
// CycleGAN's setting. InkFraction (the share of bright pixels, about twice as high in B)
// scores which domain an image looks like; the digit classifier of gankit/classifier
// tells whether a translation kept its digit.
//
// # The model
//
// Two generators, G_AB: A -> B and G_BA: B -> A (i2i.UNet), and two discriminators,
// D_A and D_B (i2i.PatchGAN on single images), trained with the least-squares GAN
// loss of the paper (losses.LeastSquares). The generators minimise, together,
//
//	L_GAN(G_AB, D_B) + L_GAN(G_BA, D_A) + λ·(|G_BA(G_AB(a)) − a| + |G_AB(G_BA(b)) − b|)
//	  + λ·Identity·(|G_AB(b) − b| + |G_BA(a) − a|)
//
// with λ = 10 and the identity term optional (Identity = 0.5 in some of the paper's tasks).
// The GAN terms make translations look like the other domain; the cycle term makes them
// keep enough of their input to be translated back, which is what ties a translation to
// its input when there are no pairs. Config.Validate rejects a λ that is not positive and
// finite and a negative or non-finite Identity. All four networks use Adam with learning
// rate 2e-4 and betas (0.5, 0.999), as the paper (DefaultOptimizer; Config.GOptimizer and
// DOptimizer take any train.Optimizer).
//
// # Training
//
// The steps' graphs are discriminatorStep and generatorStep (steps.go): from a batch of
// each domain to the losses, the optimizers' updates included. Iterate runs both
// discriminators' step, then both generators', and appends a Record; Run(n,
// snapshotAt...) runs n iterations on gankit/train's Loop, taking a Snapshot (both
// directions' translations of the first SnapshotSamples images of each domain) at the
// listed iterations. A loss that is NaN, infinite or above train.MaxLoss stops training
// with an error wrapping train.ErrDiverged, which Err and every later Iterate return.
package cyclegan
