package experiments

import (
	"fmt"
	"github.com/gankit/kit/gankit/metrics"
	"math"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// AutoEncoder is the other way a generator can learn alone: an encoder gives each image
// its own code and the decoder learns to map the code back to the image (squared error).
// The decoder is then a generator, but only for codes like the encoder's: fed random
// codes, it decodes points of code space that no image was mapped to.
//
// It is a small MLP, trained in seconds, for lesson 13; lesson 12's convolutional
// auto-encoder (vae.Config.Autoencoder) is the same idea with the image GANs' networks.
type AutoEncoder struct {
	Encoder, Decoder nets.MLP
	Steps, BatchSize int
	Optimizer        train.Optimizer
	Seed             uint64
}

// DigitsAutoEncoder is lesson 13's auto-encoder: 784 → 256 → 8 and 8 → 256 → 784 (tanh),
// 500 Adam(1e-3) steps of batch 64.
func DigitsAutoEncoder(seed uint64) AutoEncoder {
	return AutoEncoder{
		Encoder:   nets.MLP{In: 784, Hidden: []int{256}, Out: 8, Act: nets.ReLU, OutAct: nets.Identity},
		Decoder:   nets.MLP{In: 8, Hidden: []int{256}, Out: 784, Act: nets.ReLU, OutAct: nets.Tanh},
		Steps:     500,
		BatchSize: 64,
		Optimizer: train.Adam(1e-3, 0.9, 0.999),
		Seed:      seed,
	}
}

// AEResult is a trained auto-encoder's outputs on held-out images.
type AEResult struct {
	// Reconstructions decode the held-out images' own codes; Random decodes as many codes
	// drawn from a Gaussian with the same per-coordinate mean and standard deviation as
	// those codes (the best a random-code sampler can know without modelling their shape).
	Reconstructions, Random []float32
	Losses                  []float64
}

// Run trains on batches from sample and decodes the codes of held (images of
// Encoder.In values) and random codes.
func (a AutoEncoder) Run(b compute.Backend, sample func(rng *rand.Rand, n int) []float32, held []float32) (AEResult, error) {
	E, D := a.Encoder, a.Decoder
	if E.Out != D.In || E.In != D.Out {
		return AEResult{}, fmt.Errorf("experiments: AutoEncoder: encoder %d → %d and decoder %d → %d do not chain", E.In, E.Out, D.In, D.Out)
	}
	store := model.NewStore()
	if err := E.Init(store.RootScope().At("encoder"), train.Rand(a.Seed, 3)); err != nil {
		return AEResult{}, err
	}
	if err := D.Init(store.RootScope().At("decoder"), train.Rand(a.Seed, 5)); err != nil {
		return AEResult{}, err
	}
	opt := a.Optimizer.Build("adam")
	step, err := model.NewExec(b, store, func(scope *model.Scope, x *Node) *Node {
		loss := ReduceAllMean(Square(Sub(D.Apply(scope.At("decoder"), E.Apply(scope.At("encoder"), x)), x)))
		opt.UpdateGraph(scope, x.Graph(), loss)
		return loss
	})
	if err != nil {
		return AEResult{}, fmt.Errorf("experiments: AutoEncoder step: %w", err)
	}
	encode, err := model.NewExec(b, store, func(scope *model.Scope, x *Node) *Node { return E.Apply(scope.At("encoder"), x) })
	if err != nil {
		return AEResult{}, err
	}
	decode, err := model.NewExec(b, store, func(scope *model.Scope, z *Node) *Node { return D.Apply(scope.At("decoder"), z) })
	if err != nil {
		return AEResult{}, err
	}
	var res AEResult
	rng := train.Rand(a.Seed, 1)
	for range a.Steps {
		out, err := step.Call(tensors.FromFlatDataAndDimensions(sample(rng, a.BatchSize), a.BatchSize, E.In))
		if err != nil {
			return AEResult{}, fmt.Errorf("experiments: AutoEncoder step: %w", err)
		}
		res.Losses = append(res.Losses, train.Scalar(out[0]))
	}
	n := len(held) / E.In
	out, err := encode.Call(tensors.FromFlatDataAndDimensions(held, n, E.In))
	if err != nil {
		return AEResult{}, err
	}
	codes := tensors.MustCopyFlatData[float32](out[0])
	if out, err = decode.Call(tensors.FromFlatDataAndDimensions(codes, n, E.Out)); err != nil {
		return AEResult{}, err
	}
	res.Reconstructions = tensors.MustCopyFlatData[float32](out[0])
	mean := metrics.MeanImage(codes, E.Out)
	sd := make([]float64, E.Out)
	for i := range n {
		for j := range E.Out {
			d := float64(codes[i*E.Out+j] - mean[j])
			sd[j] += d * d / float64(n)
		}
	}
	zr := train.Rand(a.Seed, 4)
	random := make([]float32, n*E.Out)
	for i := range random {
		j := i % E.Out
		random[i] = mean[j] + float32(math.Sqrt(sd[j])*zr.NormFloat64())
	}
	if out, err = decode.Call(tensors.FromFlatDataAndDimensions(random, n, E.Out)); err != nil {
		return AEResult{}, err
	}
	res.Random = tensors.MustCopyFlatData[float32](out[0])
	return res, nil
}

// AERandomMaxRatio bounds lesson 13's auto-encoder claim: the classifier reads the decoded
// random codes confidently at most this fraction as often as the reconstructions.
const AERandomMaxRatio = 0.75

// CheckAutoEncoder checks that an auto-encoder's decoder is no generator for random codes:
// the classifier reads its decodings of random codes confidently at most AERandomMaxRatio
// times as often as its reconstructions of held-out digits, and the reconstructions are
// already blurrier than the digits themselves. A failed claim wraps ErrClaim.
func CheckAutoEncoder(real, rec, random Reading) error {
	switch {
	case random.Confident > AERandomMaxRatio*rec.Confident:
		return fmt.Errorf("%w: random codes are read confidently %.1f%% of the time, above %g × the reconstructions' %.1f%%",
			ErrClaim, 100*random.Confident, AERandomMaxRatio, 100*rec.Confident)
	case rec.Sharpness >= real.Sharpness:
		return fmt.Errorf("%w: the reconstructions' sharpness %.3f is not below the digits' %.3f", ErrClaim, rec.Sharpness, real.Sharpness)
	}
	return nil
}
