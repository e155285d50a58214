// Package loop is the bookkeeping of an iterative training run, shared by the trainers of
// gankit (imagegan, trainer, vae, pix2pix, cyclegan): the iteration counter, the clock
// that measures the training speed, the sticky error that stops a diverged run, and the
// chunked evaluation of many images by a compiled graph.
//
// It holds no model and draws no random numbers: each trainer keeps its graphs, its seeded
// streams and its own error messages, and calls loop only around them, so using it
// changes neither the order of the floating-point operations nor the numbers of a run.
//
//	type Trainer struct {
//		training loop.Run // loop.Run{Name: "mygan"} in New
//		...
//	}
//
//	func (t *Trainer) Iterate() error {
//		if err := t.training.Begin(); err != nil {
//			return err // the sticky error of an earlier divergence
//		}
//		out, err := t.step.Call(...)
//		if err != nil {
//			return t.training.Fail(fmt.Errorf("...: %w", err))
//		}
//		loss := loop.Scalar(out[0])
//		if loop.Diverged(MaxLoss, loss) {
//			return t.training.Fail(fmt.Errorf("training diverged at iteration %d: ...", t.training.Iteration()+1))
//		}
//		t.training.End()
//		return nil
//	}
//
//	func (t *Trainer) Run(n int) error { return t.training.Repeat(n, t.Iterate, nil) }
//
// # The clock
//
// Begin starts the clock and End stops it; the first iteration is left out of the measure
// because it builds and compiles the graphs, so ItersPerSecond is 0 until two iterations
// have completed.
//
// # The sticky error
//
// Once Fail has recorded an error, every later Begin returns it, so every later Iterate
// (and a Repeat of them) does: a diverged run stays stopped, and Err reports why.
//
// # Chunked evaluation
//
// Chunks splits n items into consecutive ranges of at most a given size, so that
// generating or translating thousands of images runs the graph on bounded batches; the
// caller decides whether to pad the last, shorter range to the fixed size (one compiled
// shape) or to run it as it is. Collect is Chunks for the common case of one float32
// tensor per chunk, concatenated:
//
//	images, err := loop.Collect(n, 256, func(start, end int) (*tensors.Tensor, error) {
//		return exec.Call1(tensors.FromFlatDataAndDimensions(x[start*784:end*784], end-start, 28, 28, 1))
//	})
package loop
