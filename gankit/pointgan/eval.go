package pointgan

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Snapshot is the state of both players at one iteration: where the generator puts a
// fixed batch of noise, and the discriminator's D(x) on a grid.
type Snapshot struct {
	Iteration int
	// Samples are G(z) for the trainer's fixed noise batch, flat row-major
	// (SnapshotSamples points of Dim coordinates). With a fixed Fake, they are Fake samples.
	Samples []float32
	// Dim is the number of coordinates per sample.
	Dim int
	// GridX (and, in 2-D, GridY) are the grid's coordinates; in 1-D GridY is nil.
	GridX, GridY []float64
	// D is D(x) on the grid: D[i] at GridX[i] in 1-D; D[iy*len(GridX)+ix] at
	// (GridX[ix], GridY[iy]) in 2-D. For a Wasserstein critic, whose values are not
	// probabilities, D is the critic rescaled to [0, 1] over the grid (0 at its minimum).
	D []float64
	// Critic is D's raw output on the same grid.
	Critic []float64
}

// chunks runs exec over n rows of width w of flat data in fixed batches of evalBatch
// rows (padding the last one), returning outW values per row.
func (t *Trainer) chunks(exec *model.Exec, flat []float32, w, outW int) ([]float32, error) {
	n := len(flat) / w
	out := make([]float32, 0, n*outW)
	buf := make([]float32, evalBatch*w)
	err := train.Chunks(n, evalBatch, func(start, end int) error {
		clear(buf)
		copy(buf, flat[start*w:end*w])
		res, err := exec.Call(tensors.FromFlatDataAndDimensions(buf, evalBatch, w))
		if err != nil {
			return err
		}
		vals := tensors.MustCopyFlatData[float32](res[0])
		out = append(out, vals[:(end-start)*outW]...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Generate returns G(z) for the given noise (flat, rows of Generator.InDim() values).
func (t *Trainer) Generate(noise []float32) ([]float32, error) {
	if t.generate == nil {
		return nil, fmt.Errorf("pointgan: no generator: Config.Fake fixes p_g")
	}
	nz := t.cfg.Generator.InDim()
	if len(noise)%nz != 0 {
		return nil, fmt.Errorf("pointgan: Generate: %d noise values is not a whole number of %d-dimensional rows", len(noise), nz)
	}
	out, err := t.chunks(t.generate, noise, nz, t.cfg.Generator.OutDim())
	if err != nil {
		return nil, fmt.Errorf("pointgan: Generate: %w", err)
	}
	return out, nil
}

// Sample draws n fresh noise vectors and returns G(z). The noise comes from a stream of
// its own (seeded from Config.Seed), so sampling in the middle of training does not
// change the run.
func (t *Trainer) Sample(n int) ([]float32, error) {
	if t.cfg.Fake != nil {
		return t.cfg.Fake.Sample(t.sampleRng, n), nil
	}
	return t.Generate(train.Normal(t.sampleRng, n*t.cfg.Generator.InDim()))
}

// Critic returns D's raw output (a logit, a least-squares score or a critic value) for
// each point of xs (flat, rows of Dim values). With packing, each point fills all of D's
// pack slots.
func (t *Trainer) Critic(xs []float32) ([]float64, error) {
	dim := t.cfg.Target.Dim()
	if len(xs)%dim != 0 {
		return nil, fmt.Errorf("pointgan: %d values is not a whole number of %d-dimensional points", len(xs), dim)
	}
	out, err := t.chunks(t.discriminate, xs, dim, 1)
	if err != nil {
		return nil, fmt.Errorf("pointgan: evaluating D: %w", err)
	}
	d := make([]float64, len(out))
	for i, v := range out {
		d[i] = float64(v)
	}
	return d, nil
}

// Discriminate returns D(x) in [0, 1] for each point of xs: sigmoid(logit) for the
// Standard and Hinge losses, the score clipped to [0, 1] for LeastSquares, and the sigmoid
// of the critic value for Wasserstein (see Snapshot for a more useful view of a critic).
func (t *Trainer) Discriminate(xs []float32) ([]float64, error) {
	d, err := t.Critic(xs)
	if err != nil {
		return nil, fmt.Errorf("pointgan: Discriminate: %w", err)
	}
	for i, v := range d {
		d[i] = probability(t.cfg.Loss, v)
	}
	return d, nil
}

// probability is losses.Family.Probability on one value.
func probability(f losses.Family, v float64) float64 {
	if f == losses.LeastSquares {
		return math.Min(math.Max(v, 0), 1)
	}
	return 1 / (1 + math.Exp(-v))
}

// Snapshot captures the current state (see Snapshot) without training.
func (t *Trainer) Snapshot() (Snapshot, error) {
	dim := t.cfg.Target.Dim()
	s := Snapshot{Iteration: t.loop.Iteration(), Dim: dim}
	var err error
	if t.cfg.Fake != nil {
		s.Samples = t.cfg.Fake.Sample(target.NewRand(t.cfg.Seed+4), t.cfg.SnapshotSamples)
	} else if s.Samples, err = t.Generate(t.fixedNoise); err != nil {
		return s, err
	}
	lo, hi := t.cfg.Target.Bounds()
	var pts []float32
	switch dim {
	case 1:
		s.GridX = target.Linspace(lo[0], hi[0], t.cfg.GridSize)
		for _, x := range s.GridX {
			pts = append(pts, float32(x))
		}
	case 2:
		s.GridX = target.Linspace(lo[0], hi[0], t.cfg.GridSize)
		s.GridY = target.Linspace(lo[1], hi[1], t.cfg.GridSize)
		for _, y := range s.GridY {
			for _, x := range s.GridX {
				pts = append(pts, float32(x), float32(y))
			}
		}
	default:
		return s, nil // No grid beyond 2-D.
	}
	if s.Critic, err = t.Critic(pts); err != nil {
		return s, err
	}
	s.D = make([]float64, len(s.Critic))
	if t.cfg.Loss == losses.Wasserstein {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range s.Critic {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		for i, v := range s.Critic {
			if hi > lo {
				s.D[i] = (v - lo) / (hi - lo)
			} else {
				s.D[i] = 0.5
			}
		}
		return s, nil
	}
	for i, v := range s.Critic {
		s.D[i] = probability(t.cfg.Loss, v)
	}
	return s, nil
}

// GeneratorGradNorm returns the L2 norm of the gradient of the generator loss l with
// respect to all the generator's weights, on a fresh batch of noise, without updating
// anything; and the mean D(G(z)) on that batch. It is how lesson 1 measures the
// saturation of the minimax loss.
func (t *Trainer) GeneratorGradNorm(l losses.Generator) (norm, dFake float64, err error) {
	if t.generate == nil {
		return 0, 0, fmt.Errorf("pointgan: no generator: Config.Fake fixes p_g")
	}
	if err := l.Validate(); err != nil {
		return 0, 0, err
	}
	exec, ok := t.gradNorm[l]
	if !ok {
		cfg := t.cfg
		exec, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, noise *Node) (norm, dFake *Node) {
			t.counted(fmt.Sprintf("grad_norm/%d", int(l)))
			gScope := scope.At(GeneratorScope)
			out := t.critic(scope, cfg.Generator.Apply(gScope, noise))
			grads := gScope.BuildTrainableVariablesGradientsGraph(ReduceAllMean(cfg.Loss.GeneratorElementwise(out, l)))
			sum := ScalarZero(noise.Graph(), noise.DType())
			for _, gr := range grads {
				sum = Add(sum, ReduceAllSum(Square(gr)))
			}
			return Sqrt(sum), ReduceAllMean(cfg.Loss.Probability(out))
		})
		if err != nil {
			return 0, 0, fmt.Errorf("pointgan: gradient-norm graph: %w", err)
		}
		t.gradNorm[l] = exec
	}
	out, err := exec.Call(t.noiseBatch())
	if err != nil {
		return 0, 0, fmt.Errorf("pointgan: gradient norm: %w", err)
	}
	norm, dFake = train.Scalar(out[0]), train.Scalar(out[1])
	if math.IsNaN(norm) {
		return norm, dFake, fmt.Errorf("pointgan: the generator gradient norm is NaN")
	}
	return norm, dFake, nil
}

// SampleGradients returns, for each point x of xs (flat, rows of Dim values), the
// gradient ∂ℓ_G/∂x of the generator's per-sample loss with D fixed. Its negative is the
// direction in which the generator's update pushes a generated sample at x: GAN Lab draws
// it as arrows on the samples.
func (t *Trainer) SampleGradients(xs []float32) ([]float32, error) {
	dim := t.cfg.Target.Dim()
	if len(xs)%dim != 0 {
		return nil, fmt.Errorf("pointgan: SampleGradients: %d values is not a whole number of %d-dimensional points", len(xs), dim)
	}
	if t.sampleGrad == nil {
		cfg := t.cfg
		var err error
		t.sampleGrad, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, x *Node) *Node {
			t.counted("sample_gradients")
			out := t.pointwise(scope, x)
			return Gradient(ReduceAllSum(cfg.Loss.GeneratorElementwise(out, cfg.GeneratorLoss)), x)[0]
		})
		if err != nil {
			return nil, fmt.Errorf("pointgan: SampleGradients graph: %w", err)
		}
	}
	out, err := t.chunks(t.sampleGrad, xs, dim, dim)
	if err != nil {
		return nil, fmt.Errorf("pointgan: SampleGradients: %w", err)
	}
	return out, nil
}
