package i2i

import (
	"fmt"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/conv"
	"github.com/gankit/kit/gankit/nets"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// UNet is the generator of image-to-image translation at 28×28 (pix2pix's, and both of
// CycleGAN's): an encoder-decoder whose decoder layers also get the encoder's layer of the
// same size (skip connections), so details of the input (where the strokes are) reach the
// output without squeezing through the 7×7 bottleneck:
//
//	x (28×28×1) -> 4×4/2 conv W, LeakyReLU          = e1 (14×14×W)
//	e1 -> 4×4/2 conv 2W, LeakyReLU                  = e2 (7×7×2W)
//	e2 -> nearest ×2 + 3×3 conv W, ReLU; [·, e1] -> 3×3 conv W, ReLU      (14×14)
//	   -> nearest ×2 + 3×3 conv W/2, ReLU; [·, x] -> 3×3 conv 1 = c        (28×28)
//	G(x) = tanh(c + 2x)
//
// [a, b] is concatenation along the channels. No batch norm (pix2pix's paper uses it; at
// this size the network trains without). The last line makes the outermost skip
// connection additive: an untrained G already returns (nearly) its input, tanh(2x) ≈ ±0.96
// where x = ±1, and the network learns the change. Without it, the L1 term of pix2pix,
// which for most pixels of a digit asks for the background, drives every output to -1
// within about 100 iterations of the inpainting task, where tanh's gradient vanishes and
// training stalls.
type UNet struct {
	// Width is W, the channels at 14×14. At least 2.
	Width int
}

func (u UNet) layers() (e1, e2, d1up, d1, d0up, out conv.Layer) {
	w := u.Width
	e1 = conv.Layer{In: 1, Out: w, Kernel: 4, Stride: 2, Pad: 1}
	e2 = conv.Layer{In: w, Out: 2 * w, Kernel: 4, Stride: 2, Pad: 1}
	d1up = conv.Layer{In: 2 * w, Out: w, Kernel: 3, Stride: 1, Pad: 1, Upsample: 2}
	d1 = conv.Layer{In: 2 * w, Out: w, Kernel: 3, Stride: 1, Pad: 1}
	d0up = conv.Layer{In: w, Out: w / 2, Kernel: 3, Stride: 1, Pad: 1, Upsample: 2}
	out = conv.Layer{In: w/2 + 1, Out: 1, Kernel: 3, Stride: 1, Pad: 1}
	return
}

// Init creates the variables in scope from rng.
func (u UNet) Init(scope *model.Scope, rng *rand.Rand) error {
	if u.Width < 2 {
		return fmt.Errorf("i2i: UNet needs Width >= 2, got %d", u.Width)
	}
	e1, e2, d1up, d1, d0up, out := u.layers()
	for i, l := range []conv.Layer{e1, e2, d1up, d1, d0up, out} {
		if err := l.Init(scope.At("conv%d", i), rng); err != nil {
			return fmt.Errorf("i2i: UNet layer %d: %w", i, err)
		}
	}
	return nil
}

// Apply returns G(x) [n, 28, 28, 1] in (-1, 1) for x [n, 28, 28, 1].
func (u UNet) Apply(scope *model.Scope, x *Node) *Node {
	e1l, e2l, d1upl, d1l, d0upl, outl := u.layers()
	at := func(i int) *model.Scope { return scope.At("conv%d", i) }
	leaky := func(x *Node) *Node { return nets.Rectify(x, nets.LeakySlope) }
	relu := func(x *Node) *Node { return nets.Rectify(x, 0) }
	e1 := leaky(e1l.Apply(at(0), x))
	e2 := leaky(e2l.Apply(at(1), e1))
	d := relu(d1upl.Apply(at(2), e2))
	d = relu(d1l.Apply(at(3), Concatenate([]*Node{d, e1}, -1)))
	d = relu(d0upl.Apply(at(4), d))
	return Tanh(Add(outl.Apply(at(5), Concatenate([]*Node{d, x}, -1)), MulScalar(x, 2)))
}

// PatchGAN is the discriminator of image-to-image translation: it sees its images
// concatenated along the channels (for pix2pix, the input and an output, real target or
// generated) and gives one logit per overlapping patch instead of one per image, judging
// local texture and leaving global structure to other terms (pix2pix's L1, CycleGAN's
// cycle loss):
//
//	[x, y] (28×28×2) -> 4×4/2 conv W, LeakyReLU -> 4×4/2 conv 2W, LeakyReLU -> 3×3 conv 1
//
// The 7×7 logits each see an 18×18 patch of the image (PatchSize): 64% of its side, where
// the paper's 70×70 PatchGAN at 256×256 sees 27%: relative to the image, ours are larger.
//
// With In = 1 it judges single images, as CycleGAN's discriminators do.
type PatchGAN struct {
	// Width is W, the first convolution's channels. At least 1.
	Width int
	// In is the number of channels Apply's images add up to: 2 for pix2pix's (input,
	// output) pairs, 1 for single images. 0 means 2.
	In int
}

func (p PatchGAN) in() int {
	if p.In == 0 {
		return 2
	}
	return p.In
}

// PatchGrid is the side of the PatchGAN's grid of logits.
const PatchGrid = 7

func (p PatchGAN) layers() (c1, c2, c3 conv.Layer) {
	return conv.Layer{In: p.in(), Out: p.Width, Kernel: 4, Stride: 2, Pad: 1},
		conv.Layer{In: p.Width, Out: 2 * p.Width, Kernel: 4, Stride: 2, Pad: 1},
		conv.Layer{In: 2 * p.Width, Out: 1, Kernel: 3, Stride: 1, Pad: 1}
}

// PatchSize is the side of the square of pixels each logit judges: conv.ReceptiveField of
// the three layers, 18.
func (p PatchGAN) PatchSize() int {
	c1, c2, c3 := p.layers()
	layers := []conv.Layer{c1, c2, c3}
	for i := range layers {
		layers[i].In, layers[i].Out = 1, 1 // the channels (Width, In) do not matter
	}
	r, err := conv.ReceptiveField(layers)
	if err != nil {
		panic(err) // kernels and strides are constants here
	}
	return r
}

// Init creates the variables in scope from rng.
func (p PatchGAN) Init(scope *model.Scope, rng *rand.Rand) error {
	if p.Width < 1 || p.In < 0 {
		return fmt.Errorf("i2i: PatchGAN needs Width >= 1 and In >= 0, got %d and %d", p.Width, p.In)
	}
	c1, c2, c3 := p.layers()
	for i, l := range []conv.Layer{c1, c2, c3} {
		if err := l.Init(scope.At("conv%d", i), rng); err != nil {
			return fmt.Errorf("i2i: PatchGAN layer %d: %w", i, err)
		}
	}
	return nil
}

// Apply returns the patch logits [n, 7, 7, 1] for images [n, 28, 28, c_i] concatenated
// along the channels (pix2pix: the input x and an output y; their channels must add up to
// In).
func (p PatchGAN) Apply(scope *model.Scope, images ...*Node) *Node {
	c1, c2, c3 := p.layers()
	leaky := func(x *Node) *Node { return nets.Rectify(x, nets.LeakySlope) }
	x := images[0]
	if len(images) > 1 {
		x = Concatenate(images, -1)
	}
	h := leaky(c1.Apply(scope.At("conv0"), x))
	h = leaky(c2.Apply(scope.At("conv1"), h))
	return c3.Apply(scope.At("conv2"), h)
}
