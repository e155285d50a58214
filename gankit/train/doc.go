// Package train is the training core that every model of gankit runs on: the point GANs
// of gankit/pointgan, the image GANs of gankit/imagegan, pix2pix, CycleGAN and the VAE.
//
// A model keeps its networks, its compiled graphs and its seeded random streams. What is
// the same for all of them is written here once:
//
//   - Optimizer, one optimizer configuration (Adam, SGD or RMSProp) that builds GoMLX's
//     optimizer, and SetLearningRate, which changes a compiled step's rate in place;
//   - Loop, the bookkeeping of a run: the iteration counter, the history of records, the
//     snapshots taken at chosen iterations, the divergence guard whose error stops the
//     run for good, and the clock that measures the training speed;
//   - Chunks and Collect, the evaluation of many items by a compiled graph in bounded
//     batches; Scalar, a step's loss as a float64; Rand and Normal, seeded streams.
//
// A model's step is a plain function from a batch and noise to its losses: it runs the
// compiled graph (whose optimizer updates the variables) and returns the record of the
// iteration. Loop does the rest:
//
//	type Trainer struct {
//		loop train.Loop[Record, Snapshot] // train.Loop[Record, Snapshot]{Name: "mygan"} in New
//		...
//	}
//
//	func (t *Trainer) Iterate() error {
//		return t.loop.Iterate(func(it int) (Record, error) {
//			out, err := t.step.Call(t.batch(), t.noise())
//			if err != nil {
//				return Record{}, fmt.Errorf("step at iteration %d: %w", it, err)
//			}
//			rec := Record{Iteration: it, Loss: train.Scalar(out[0])}
//			return rec, t.loop.Guard("the loss", rec.Loss)
//		})
//	}
//
//	func (t *Trainer) Run(n int, snapshotAt ...int) error {
//		return t.loop.Run(n, t.Iterate, t.Snapshot, snapshotAt...)
//	}
//
// Loop holds no model and draws no random numbers, so running a model on it changes
// neither the order of the floating-point operations nor the numbers of a run.
//
// # The divergence guard
//
// Guard checks one loss: NaN, an infinity or a magnitude above Loop.MaxLoss (MaxLoss
// when it is 0) stops the run with an error that wraps ErrDiverged, names the loss, the
// iteration and Loop.Advice, and that every later Iterate and Err return.
//
// # The clock
//
// The first iteration builds and compiles the graphs, so ItersPerSecond leaves it out
// and is 0 until two iterations have completed.
//
// # Chunked evaluation
//
// Chunks splits n items into consecutive ranges of at most a given size, so that
// generating or translating thousands of images runs the graph on bounded batches.
// Collect is Chunks for one float32 tensor per chunk, concatenated:
//
//	images, err := train.Collect(n, 256, func(start, end int) (*tensors.Tensor, error) {
//		return exec.Call1(tensors.FromFlatDataAndDimensions(x[start*784:end*784], end-start, 28, 28, 1))
//	})
package train
