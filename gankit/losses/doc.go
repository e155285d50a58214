// Package losses holds the GAN objectives of "Generative Adversarial Nets" (Goodfellow and
// co-authors, 2014) and of its successors, written on the discriminator's logits so that
// they stay finite where D saturates.
//
// With D(x) = sigmoid(l(x)):
//
//	discriminator (BCE):        L_D = E_x[-log D(x)] + E_z[-log(1 - D(G(z)))]
//	                               = E[softplus(-l_real)] + E[softplus(l_fake)]
//	generator, minimax:          L_G = E_z[log(1 - D(G(z)))]   = -E[softplus(l_fake)]
//	generator, non-saturating:   L_G = E_z[-log D(G(z))]       =  E[softplus(-l_fake)]
//
// The minimax generator loss is the one in the value function V(D,G); its gradient with
// respect to the logit is -D(G(z)), which vanishes early in training when D confidently
// rejects the generated samples. The non-saturating loss has gradient -(1 - D(G(z))): the
// same fixed points, strong gradients where the generator is bad. LogitGradient measures
// both with GoMLX's automatic differentiation.
//
// Two penalties on D's input gradient are added to D's loss: WGAN-GP's GradientPenalty,
// E[(‖∇C(x̂)‖ - 1)²] between real and generated samples, and R1Penalty, γ/2·E‖∇D(x)‖² on
// the real samples only (lesson 15). Both differentiate through a gradient, so training D
// on them is a second-order derivative.
package losses
