// Package cyclegan trains unpaired image-to-image translation at MNIST size, for lesson 11:
// CycleGAN (Zhu, Park, Isola and Efros 2017, "Unpaired Image-to-Image Translation using
// Cycle-Consistent Adversarial Networks").
//
//	d, _ := cyclegan.ThinThick(set)                          // digits <-> thickened digits, unpaired
//	tr, err := cyclegan.New(nil, cyclegan.Config{Domains: d}) // λ = 10
//	err = tr.Run(1000)
//	thick, back, err := tr.Cycle(cyclegan.AToB, d.A[:100*cyclegan.Pixels])
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
// Two generators, G_AB: A -> B and G_BA: B -> A (pix2pix.UNet), and two discriminators,
// D_A and D_B (pix2pix.PatchGAN on single images), trained with the least-squares GAN
// loss of the paper (losses.LeastSquares). The generators minimise, together,
//
//	L_GAN(G_AB, D_B) + L_GAN(G_BA, D_A) + λ·(|G_BA(G_AB(a)) − a| + |G_AB(G_BA(b)) − b|)
//	  + λ·Identity·(|G_AB(b) − b| + |G_BA(a) − a|)
//
// with λ = 10 and the identity term optional (Identity = 0.5 in some of the paper's tasks).
// The GAN terms make translations look like the other domain; the cycle term makes them
// keep enough of their input to be translated back, which is what ties a translation to
// its input when there are no pairs. Config.Validate rejects a λ that is not positive and
// finite and a negative or non-finite Identity.
package cyclegan
