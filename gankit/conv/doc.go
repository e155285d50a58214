// Package conv holds the spatial layers of gankit's image networks: a 2-D convolution that
// is fast on GoMLX's pure-Go backend, a convolution Layer initialised like PyTorch's
// nn.Conv2d, and nearest-neighbour Upsample. Images are channels-last float32 tensors
// [batch, height, width, channels].
//
// GoMLX's pure-Go backend runs its own convolution as plain loops (about 1 GFLOP/s), while
// its matrix multiplication has SIMD kernels. Conv2D therefore computes convolutions there
// with Patches2D, patch extraction plus one large matrix multiplication, with gradients
// written in the same terms; other backends (XLA) keep GoMLX's native convolution,
// Native2D. On the DCGAN layers at batch 64, forward plus both gradients, Patches2D is
// 8-35x faster than Native2D on the pure-Go backend (36 ms instead of 985 ms for a 3×3
// convolution from 64 to 32 channels at 14×14 on 2 AVX-512 cores; BenchmarkConv measures
// it on yours).
//
// The gradient of GoMLX's native convolution (v0.28.8 to v0.28.16) with respect to the
// input is wrong for even kernel sizes (DCGAN's 4×4) on every backend, so Conv2D uses
// Patches2D for those everywhere: see NativeGradientOK.
//
// Layer follows the two phases of package nets: Init creates the variables in a
// model.Scope from a seeded *rand.Rand, on the host, so initial values are the same on
// every backend; Apply builds the graph and only reads them.
package conv
