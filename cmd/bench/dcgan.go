package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/batchnorm"
	"github.com/gankit/kit/gankit/conv"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// dcgan is a small DCGAN, the same as reference.py's: 28x28x1 images, batch 64,
// Adam 2e-4 (0.5, 0.999), non-saturating loss.
//
//	G: z64 -> dense 7x7x64, BN, ReLU -> nearest x2, 3x3 conv 32, BN, ReLU -> nearest x2, 3x3 conv 1, tanh
//	D: 4x4 stride-2 conv 32, LeakyReLU 0.2 -> 4x4 stride-2 conv 64, BN, LeakyReLU 0.2 -> dense 1
type dcgan struct {
	store        *model.Store
	dStep, gStep *model.Exec
	rng          *rand.Rand
	pool         []float32 // 1024 "real" images: tanh of Gaussian noise (speed does not depend on the data)
}

const (
	dcgBatch = 64
	dcgNoise = 64
	dcgPool  = 1024
)

var (
	gDense = nets.MLP{In: dcgNoise, Out: 7 * 7 * 64}
	gBN1   = batchnorm.Layer{Channels: 64}
	gConv1 = conv.Layer{In: 64, Out: 32, Kernel: 3, Stride: 1, Pad: 1, Upsample: 2}
	gBN2   = batchnorm.Layer{Channels: 32}
	gConv2 = conv.Layer{In: 32, Out: 1, Kernel: 3, Stride: 1, Pad: 1, Upsample: 2}
	dConv1 = conv.Layer{In: 1, Out: 32, Kernel: 4, Stride: 2, Pad: 1}
	dConv2 = conv.Layer{In: 32, Out: 64, Kernel: 4, Stride: 2, Pad: 1}
	dBN    = batchnorm.Layer{Channels: 64}
	dDense = nets.MLP{In: 7 * 7 * 64, Out: 1}
)

func relu(x *Node) *Node  { return nets.Rectify(x, 0) }
func leaky(x *Node) *Node { return nets.Rectify(x, nets.LeakySlope) }

func dcganG(scope *model.Scope, z *Node) *Node {
	x := gDense.Apply(scope.At("dense"), z)
	x = Reshape(x, -1, 7, 7, 64)
	x = relu(gBN1.Apply(scope.At("bn1"), x))
	x = gConv1.Apply(scope.At("conv1"), x) // nearest x2, then 3x3 conv
	x = relu(gBN2.Apply(scope.At("bn2"), x))
	return Tanh(gConv2.Apply(scope.At("conv2"), x))
}

func dcganD(scope *model.Scope, x *Node) *Node {
	x = leaky(dConv1.Apply(scope.At("conv1"), x))
	x = leaky(dBN.Apply(scope.At("bn"), dConv2.Apply(scope.At("conv2"), x)))
	return dDense.Apply(scope.At("dense"), Reshape(x, -1, 7*7*64))
}

func newDCGAN(b compute.Backend, seed uint64) (*dcgan, error) {
	store := model.NewStore()
	store.SetRNGStateFromSeed(int64(seed))
	root := store.RootScope()
	rng := rand.New(rand.NewPCG(seed, 1))
	gs, ds := root.At("generator"), root.At("discriminator")
	for _, err := range []error{
		gDense.Init(gs.At("dense"), rng), gBN1.Init(gs.At("bn1")), gConv1.Init(gs.At("conv1"), rng),
		gBN2.Init(gs.At("bn2")), gConv2.Init(gs.At("conv2"), rng),
		dConv1.Init(ds.At("conv1"), rng), dConv2.Init(ds.At("conv2"), rng), dBN.Init(ds.At("bn")),
		dDense.Init(ds.At("dense"), rng),
	} {
		if err != nil {
			return nil, fmt.Errorf("dcgan: %w", err)
		}
	}
	m := &dcgan{store: store, rng: rng, pool: make([]float32, dcgPool*28*28)}
	for i := range m.pool {
		m.pool[i] = float32(math.Tanh(rng.NormFloat64()))
	}
	adam := func(name string) optimizer.Interface {
		return optimizer.Adam().LearningRate(2e-4).Betas(0.5, 0.999).Epsilon(1e-8).Scope(name).Done()
	}
	dOpt, gOpt := adam("adam_d"), adam("adam_g")
	var err error
	m.dStep, err = model.NewExec(b, store, func(scope *model.Scope, real, z *Node) *Node {
		g := real.Graph()
		scope.Store().SetTraining(g, true)
		fake := StopGradient(dcganG(scope.At("generator"), z))
		dsc := scope.At("discriminator")
		loss := losses.Discriminator(dcganD(dsc, real), dcganD(dsc, fake))
		dOpt.UpdateGraph(dsc, g, loss)
		return loss
	})
	if err != nil {
		return nil, fmt.Errorf("dcgan: discriminator step: %w", err)
	}
	m.gStep, err = model.NewExec(b, store, func(scope *model.Scope, z *Node) *Node {
		g := z.Graph()
		scope.Store().SetTraining(g, true)
		gsc := scope.At("generator")
		loss := losses.NonSaturating.Graph(dcganD(scope.At("discriminator"), dcganG(gsc, z)))
		gOpt.UpdateGraph(gsc, g, loss)
		return loss
	})
	if err != nil {
		return nil, fmt.Errorf("dcgan: generator step: %w", err)
	}
	return m, nil
}

func (m *dcgan) noise() *tensors.Tensor {
	z := make([]float32, dcgBatch*dcgNoise)
	for i := range z {
		z[i] = float32(m.rng.NormFloat64())
	}
	return tensors.FromFlatDataAndDimensions(z, dcgBatch, dcgNoise)
}

func (m *dcgan) real() *tensors.Tensor {
	x := make([]float32, 0, dcgBatch*28*28)
	for range dcgBatch {
		i := m.rng.IntN(dcgPool)
		x = append(x, m.pool[i*784:(i+1)*784]...)
	}
	return tensors.FromFlatDataAndDimensions(x, dcgBatch, 28, 28, 1)
}

// step runs one discriminator and one generator update and returns their losses.
func (m *dcgan) step() (dLoss, gLoss float64, err error) {
	out, err := m.dStep.Call(m.real(), m.noise())
	if err != nil {
		return 0, 0, err
	}
	dLoss = float64(tensors.ToScalar[float32](out[0]))
	out, err = m.gStep.Call(m.noise())
	if err != nil {
		return 0, 0, err
	}
	gLoss = float64(tensors.ToScalar[float32](out[0]))
	if math.IsNaN(dLoss) || math.IsNaN(gLoss) {
		return dLoss, gLoss, fmt.Errorf("dcgan: loss is NaN (D %v, G %v)", dLoss, gLoss)
	}
	return dLoss, gLoss, nil
}
