// Package theory checks, numerically, the optimal-discriminator theory of "Generative
// Adversarial Nets" (Goodfellow and co-authors, 2014) for densities known in closed form
// (target.Density).
// Everything here is plain float64 arithmetic: integrals are computed by composite
// Simpson quadrature on a bounded interval (1-D), or on a tensor-product grid (2-D), so a
// lesson can put the exact numbers next to what a trained discriminator learned.
//
// # The value function
//
// A GAN plays the two-player game
//
//	min_G max_D V(D, G),   V(D, G) = ∫ p_data(x) log D(x) dx + ∫ p_g(x) log(1 - D(x)) dx
//
// where p_g is the density of the generator's samples G(z). Value computes V by
// quadrature for any D: [0,1]-valued function, using 0·log 0 = 0 where a density vanishes.
//
// # The optimal discriminator (Proposition 1)
//
// For a fixed G the integrand a·log y + b·log(1 - y), with a = p_data(x), b = p_g(x),
// is maximised pointwise at y = a/(a+b), so
//
//	D*(x) = p_data(x) / (p_data(x) + p_g(x)).
//
// Where both densities vanish the integrand is 0 for every y: D* is arbitrary there,
// and DStar returns the conventional 1/2 (the value a discriminator would give if it
// could not tell the two apart). OptimalD builds D* from two densities.
//
// # The virtual training criterion (Theorem 1)
//
// Substituting D* into V gives the generator's criterion
//
//	C(G) = max_D V(D, G) = V(D*, G)
//	     = ∫ p_data log(p_data / (p_data + p_g)) + ∫ p_g log(p_g / (p_data + p_g))
//	     = -log 4 + KL(p_data ‖ M) + KL(p_g ‖ M)          with M = (p_data + p_g) / 2
//	     = -log 4 + 2·JSD(p_data ‖ p_g),
//
// with the Kullback–Leibler divergence and the Jensen–Shannon divergence
//
//	KL(p ‖ q) = ∫ p log(p / q),        JSD(p ‖ q) = ½ KL(p ‖ M) + ½ KL(q ‖ M),
//
// both in nats. Since 0 <= JSD <= log 2, C(G) >= -log 4 = MinC, with equality exactly when
// p_g = p_data, where D* = 1/2 everywhere. C computes V(D*, G) by quadrature directly
// (not through JSD), so a lesson can compare the two sides of the identity; they agree
// up to the quadrature error and the probability mass left outside the interval.
//
// # Quadrature and its errors
//
// Quadrature{Lo, Hi, N} is composite Simpson's rule with N (even) intervals of width
// h = (Hi-Lo)/N: exact for cubics, error O(h⁴) for smooth integrands. Two effects limit
// accuracy in practice:
//
//   - Truncation: mass outside [Lo, Hi] is ignored. target.Mixture.Bounds spans each
//     component's mean ± 4.8 std, which leaves about 1.6e-6 of the mass outside; identities
//     such as C = -log 4 + 2·JSD (which use ∫p = ∫p_g = 1) then hold only to a few 1e-6. Use
//     a wider interval than Auto's when checking them to 1e-6.
//   - Discontinuities: a density with jumps (target.Uniform) makes the integrand jump,
//     and Simpson's rule degrades to O(h): each jump costs about h/3 times its height. Use
//     a large N (N = 20000 on an interval of length 2 gives errors around 1e-4).
//
// KL(p ‖ q) is +Inf where p > 0 on a set where q = 0 (KL returns +Inf with a nil error:
// that is the divergence's true value, not a failure). With floating-point densities,
// q can also underflow to 0 in a far tail where p has not; choose the interval so
// that it does not reach that far (about 38 standard deviations for a Gaussian).
//
// # 2-D
//
// Quadrature2D is the tensor product of two Quadratures, and JSD2D computes the
// Jensen–Shannon divergence of two 2-D densities (for example target.Ring mixtures) on it.
// The cost is (Nx+1)·(Ny+1) density evaluations, so keep the grid fine enough to resolve
// the narrowest component (h well below its std) but no finer.
package theory
