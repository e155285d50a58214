// Package batchnorm is batch normalisation that behaves like PyTorch's nn.BatchNorm1d and
// nn.BatchNorm2d, in training and in evaluation, and runs on GoMLX's pure-Go backend.
//
// GoMLX's own norm.BatchNorm needs backend ops (BatchNormForTraining, ...) that the pure-Go
// backend lacks, uses Keras's conventions (momentum 0.99 on the old value, epsilon 1e-3, a
// biased running variance), and reduces with ops that are slow on that backend. A Layer
// follows the house pattern of gankit/nets: Init creates its variables on the host, and
// Apply builds its computation in a graph.
//
// # Matching PyTorch
//
// Inputs are channels-last, [batch, channels] or [batch, height, width, channels]: a Layer
// normalises each channel over every other axis, which is BatchNorm1d on [N, C] and
// BatchNorm2d on an NCHW tensor transposed to NHWC. With Momentum and Epsilon left at 0 it
// uses PyTorch's defaults (0.1 and 1e-5), and:
//
//   - In training mode (scope.Store().SetTraining(g, true) on the graph) the output uses
//     the batch mean and the biased batch variance, and gradients flow through both.
//   - Each training-mode call updates running = (1-momentum)*running + momentum*batch, the
//     variance with the unbiased batch variance (times n/(n-1), n values per channel).
//   - In inference mode the output uses the running statistics, which stay unchanged.
//   - gamma starts at 1, beta at 0, the running mean at 0 and the running variance at 1.
//
// PyTorch's momentum=None (a cumulative average), affine=False and
// track_running_stats=False have no equivalent here.
//
// # One graph, several calls
//
// A GAN step calls its discriminator on the real and on the generated batch in one graph.
// Each Apply call then behaves as one PyTorch forward call: it normalises with its own
// batch's statistics, and its running-statistics update is applied on top of the
// previous call's (Variable.NodeValue returns the value the previous call set), in the
// order the calls were built. One execution of the graph thus moves the running
// statistics exactly as a PyTorch step that makes the same forward calls in the same
// order; nothing is lost and nothing is applied twice.
//
// The training flag belongs to the graph, not to a layer: in a training graph every Layer
// (the generator's too) uses batch statistics and updates its running statistics, as in
// PyTorch when both networks are in train() mode. To evaluate one network while training
// another, build its output in a separate inference graph.
//
// # Speed on the pure-Go backend
//
// Apply uses only element-wise ops between tensors of the same shape plus two linear maps
// written as matrix products with a vector of ones: the per-channel sums over the rows,
// and the broadcast of a per-channel vector to every row. On the pure-Go backend these
// replace ReduceSum and implicitly broadcasting binary ops, which go through per-element
// index iterators and cost about twice as much overall. Each map's gradient is set to the
// other (the default gradient of a matrix product transposes the large operand, which is
// slow too); being linear, this is exact at any order, so gradient penalties through a
// Layer are correct. Training mode computes the mean first and then the variance of the
// deviations, as PyTorch does, rather than the cheaper but less accurate mean of squares.
package batchnorm
