// Package target holds the distributions a GAN learns to imitate: the "p_data" of the
// lessons.
//
// Every Distribution samples reproducibly from an explicit seeded *rand.Rand, and the
// Gaussian mixtures (one Gaussian, a bimodal 1-D mixture, the ring of 8 and the grid of
// 25 used by the mode-collapse literature) also report their exact Density, which the
// theory package uses for D*(x), V(D,G), KL and JSD. TwoMoons has no closed-form
// density; it is there for sampling only.
//
// Samples are returned flat, row-major: n points of Dim() coordinates each, as float32,
// ready to become a [n, Dim()] tensor.
package target
