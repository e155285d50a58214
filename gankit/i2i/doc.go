// Package i2i holds the networks of image-to-image translation at MNIST size: UNet, a
// generator from a 28×28 image to a 28×28 image, and PatchGAN, a discriminator that gives
// one logit per 18×18 patch.
//
//	g, d := i2i.UNet{Width: 16}, i2i.PatchGAN{Width: 16}       // d judges (input, output) pairs
//	err := g.Init(scope.At("g"), rng)                          // variables under scope
//	y := g.Apply(scope.At("g"), x)                             // x, y [n, 28, 28, 1] in (-1, 1)
//	logits := d.Apply(scope.At("d"), x, y)                     // [n, 7, 7, 1]
//
// Both training packages that translate images build on them: gankit/pix2pix (paired,
// lesson 10) uses a UNet and a PatchGAN of (input, output) pairs, gankit/cyclegan
// (unpaired, lesson 11) two UNets and two PatchGANs of single images (In = 1). Keeping the
// networks here, apart from either objective, lets both import them without one training
// package depending on the other.
//
// The package is named for the task the two networks serve, image-to-image translation
// ("i2i"), rather than for one of them (unet would leave the PatchGAN out) or for
// "translation" alone, which in image processing also means shifting an image.
//
// Each network is a value holding its widths, with Init (create its variables in a
// model.Scope from an explicit random stream) and Apply (build its graph from those
// variables), like gankit/nets' and gankit/conv's layers. The variables' scope names
// (conv0, conv1, ...) are part of the package's contract: the fingerprint tests of
// pix2pix and cyclegan check the trained numbers under them.
package i2i
