// Package dirac is the Dirac-GAN of Mescheder, Geiger and Nowozin, "Which training
// methods for GANs do actually converge?" (ICML 2018): the smallest GAN whose training
// dynamics can be solved by hand, used by lesson 15 to show why simultaneous gradient
// steps do not converge and what the stabilisers change.
//
// # The game
//
// The data distribution is a point mass at 0, p_data = δ_0; the generator is a point mass
// at θ, G = δ_θ; the discriminator is linear, D(x) = ψ·x. With f(t) = -log(1 + e^{-t})
// (the standard GAN's log σ(t)) the value function is
//
//	L(θ, ψ) = f(D(G)) + f(-D(0)) = f(ψθ) + f(0),
//
// in the paper's sign convention, where D's logit scores how *generated* a sample looks
// (lesson 1's logit of "real" is -D(x); nothing here depends on the sign).
//
// which D maximises over ψ and G minimises over θ. Its only equilibrium is (θ, ψ) = (0, 0):
// G on the data, and a D that cannot tell them apart.
//
// # The gradient vector field
//
// Gradient play moves (θ, ψ) along v(θ, ψ) = (-∂L/∂θ, ∂L/∂ψ) = (-f'(ψθ)·ψ, f'(ψθ)·θ), with
// f'(t) = 1/(1 + e^t). Its Jacobian at the equilibrium is
//
//	J = [[0, -f'(0)], [f'(0), 0]],   f'(0) = 1/2,
//
// whose eigenvalues ±i/2 are purely imaginary: the flow circles the equilibrium
// (d(θ² + ψ²)/dt = 0 exactly, everywhere), it never approaches it.
//
// Discrete steps of size h make it worse or leave it as it is:
//
//   - Simultaneous steps (both players step from the same point) grow the radius
//     r = √(θ² + ψ²) by exactly √(1 + h²·f'(ψθ)²) per step, √(1 + h²/4) near the
//     equilibrium: the iterates spiral out.
//   - Alternating steps (D steps, then G steps against the new D) are an area-preserving
//     map near the equilibrium (the linearised step has determinant 1 and real trace
//     below 2): the iterates keep circling at a bounded radius, and still do not converge.
//
// # Stabilisers
//
// Stabiliser adds the two regularisers the paper analyses:
//
//   - R1 (Gamma): D's objective gets -γ/2·E_{p_data}‖∇_x D(x)‖² = -γ/2·ψ², so
//     J = [[0, -1/2], [1/2, -γ]] with eigenvalues (-γ ± √(γ² - 1))/2: a negative real
//     part for every γ > 0, and local convergence for small enough steps.
//   - Instance noise (Sigma): D sees real x = ε and generated x = θ + ε with ε ~ N(0, σ²).
//     The field becomes v = (-ψ·E[f'(ψ(θ+ε))], E[f'(ψ(θ+ε))(θ+ε)] - E[f'(-ψε)ε]); its
//     Jacobian at the equilibrium is [[0, -1/2], [1/2, 2f″(0)σ²]] with f″(0) = -1/4, the
//     R1 Jacobian with γ = σ²/2. Field computes the expectations by Simpson quadrature
//     (theory.Quadrature); the tests check it against sampling.
//
// The trajectories run in plain float64 (Trajectory): thousands of steps cost
// microseconds. ObjectiveGraph and FieldGraph build the same game as GoMLX graph code,
// with the field from graph.Gradient, and GraphField evaluates it on a backend so that a
// lesson can check the float64 field against automatic differentiation.
package dirac
