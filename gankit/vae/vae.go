package vae

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/conv"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Defaults filled in by Config.WithDefaults for fields left at 0.
const (
	DefaultLatent       = 16
	DefaultWidth        = 64
	DefaultEncoderWidth = 32
	DefaultBatchSize    = 64
	DefaultLearningRate = 1e-3 // Adam's, with betas 0.9 and 0.999
	DefaultBeta         = 1.0
)

// DefaultOptimizer is the optimizer of a Config whose Optimizer is left at its zero value:
// Adam at DefaultLearningRate with betas 0.9 and 0.999.
func DefaultOptimizer() train.Optimizer { return train.Adam(DefaultLearningRate, 0.9, 0.999) }

// Config describes one VAE training run. Fields left at 0 take their defaults; negative or
// non-finite values are errors (Validate).
type Config struct {
	// Set is the training data: 28×28 grey images (gankit/mnist).
	Set *mnist.Set
	// Conditional makes it a conditional VAE: both networks see the one-hot label.
	Conditional bool
	// Latent is the dimension of z. Default 16.
	Latent int
	// Width is the decoder's channels at 7×7 (its 14×14 layer has half). Default 64.
	Width int
	// EncoderWidth is the encoder's first convolution's channels (its second has twice as
	// many). Default 32.
	EncoderWidth int
	// BatchSize is the number of images per step. Default 64.
	BatchSize int
	// Optimizer updates both networks. Default (the zero value): DefaultOptimizer, Adam at
	// 1e-3 with betas 0.9 and 0.999.
	Optimizer train.Optimizer
	// Beta weights the KL term. Default 1 (the ELBO). Left at 0 with Autoencoder.
	Beta float64
	// Autoencoder trains the same networks as a plain auto-encoder, for comparison: the
	// decoder gets z = μ(x) (no noise) and the loss is the reconstruction term alone (the KL
	// term is still reported, not trained on). Nothing then makes the codes look like
	// N(0, I), so decoding PriorNoise is not sampling from what the model learned.
	Autoencoder bool
	// Seed fixes the initial weights, the batches and the noise.
	Seed uint64
}

// WithDefaults returns c with every field left at 0 set to its default.
func (c Config) WithDefaults() Config {
	set := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	set(&c.Latent, DefaultLatent)
	set(&c.Width, DefaultWidth)
	set(&c.EncoderWidth, DefaultEncoderWidth)
	set(&c.BatchSize, DefaultBatchSize)
	if c.Optimizer == (train.Optimizer{}) {
		c.Optimizer = DefaultOptimizer()
	}
	if c.Beta == 0 && !c.Autoencoder {
		c.Beta = DefaultBeta
	}
	return c
}

// Classes is the number of classes of the data set (the CVAE's labels).
func (c Config) Classes() int {
	if c.Set == nil {
		return 0
	}
	return len(c.Set.ClassNames)
}

// Validate reports every impossible setting of c, naming the field.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Set == nil {
		add("Set (the training images) is required: use mnist.Load(\"mnist\")")
	} else {
		if c.Set.N == 0 {
			add("Set %q has no images", c.Set.Name)
		}
		if c.Set.Rows != mnist.Side || c.Set.Cols != mnist.Side {
			add("Set %q has %d×%d images; the networks take 28×28", c.Set.Name, c.Set.Rows, c.Set.Cols)
		}
	}
	if c.Latent < 1 {
		add("Latent (the dimension of z) must be >= 1, got %d", c.Latent)
	}
	if c.Width < 2 {
		add("Width (the decoder's channels at 7×7) must be >= 2, got %d", c.Width)
	}
	if c.EncoderWidth < 1 {
		add("EncoderWidth must be >= 1, got %d", c.EncoderWidth)
	}
	if c.BatchSize < 1 {
		add("BatchSize must be >= 1, got %d", c.BatchSize)
	}
	if err := c.Optimizer.Validate(); err != nil {
		add("Optimizer: %w", err)
	}
	switch {
	case c.Autoencoder && c.Beta != 0:
		add("Beta weighs the KL term, which an Autoencoder does not train on: leave it at 0, got %g", c.Beta)
	case !c.Autoencoder && (!(c.Beta > 0) || math.IsInf(c.Beta, 0)):
		add("Beta (the KL term's weight) must be positive and finite, got %g", c.Beta)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("vae: invalid config: %w", err)
	}
	return nil
}

// Record is one training iteration: the batch's negative ELBO and its two terms, per
// image (Loss = Reconstruction + Beta·KL).
type Record struct {
	Iteration int
	// Loss is the minimised objective, Reconstruction + Beta·KL; with Beta = 1 it is the
	// negative ELBO, in nats per image.
	Loss float64
	// Reconstruction is −log p(x | z): the binary cross-entropy summed over the pixels.
	Reconstruction float64
	// KL is KL(q(z | x) ‖ N(0, I)).
	KL float64
}

// ELBO is the evidence lower bound of the batch, −(Reconstruction + KL), whatever Beta.
func (r Record) ELBO() float64 { return -(r.Reconstruction + r.KL) }

// SnapshotImages is how many images a Snapshot decodes: one per digit for a CVAE.
const SnapshotImages = 10

// Snapshot is what the decoder makes of a fixed batch of prior noise at one iteration:
// the first SnapshotImages latent vectors of PriorNoise, with a CVAE's labels 0, 1, 2, ...
// (the image's index modulo Classes), so that a series of snapshots shows the same z's
// taking shape.
type Snapshot struct {
	// Iteration is the number of training steps taken when it was taken.
	Iteration int
	// Images are the SnapshotImages decoded images [n, 28, 28, 1], flat, in [-1, 1].
	Images []float32
	// Labels are a CVAE's labels of Images; nil for a VAE.
	Labels []int
}

// Trainer trains one VAE or CVAE.
type Trainer struct {
	cfg      Config
	backend  compute.Backend
	store    *model.Store
	nets     *networks
	opt      optimizer.Interface
	step     *model.Exec
	decode   *model.Exec
	encode   *model.Exec
	dataRng  *rand.Rand
	noiseRng *rand.Rand
	// loop counts the steps, keeps the history, the snapshots and the training speed, and
	// holds the sticky error of a diverged run.
	loop train.Loop[Record, Snapshot]
}

// Seeded streams, all derived from Config.Seed.
const (
	streamData = iota + 1
	streamNoise
	streamWeights
	streamPrior
)

// New validates cfg (after WithDefaults), creates the variables on backend b (nil: the
// default backend, gankit/backend) and compiles the training step.
func New(b compute.Backend, cfg Config) (*Trainer, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if b == nil {
		var err error
		if b, err = backend.New(); err != nil {
			return nil, err
		}
	}
	t := &Trainer{cfg: cfg, backend: b, store: model.NewStore(), nets: newNetworks(cfg),
		loop:    train.Loop[Record, Snapshot]{Name: "vae", Advice: fmt.Sprintf("lower the learning rate (default %g)", DefaultLearningRate)},
		dataRng: train.Rand(cfg.Seed, streamData), noiseRng: train.Rand(cfg.Seed, streamNoise)}
	if err := t.nets.init(t.store.RootScope(), train.Rand(cfg.Seed, streamWeights)); err != nil {
		return nil, err
	}
	if err := t.compile(); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Trainer) compile() (err error) {
	n := t.nets
	// Both networks share one optimizer, whose state lives under GoMLX's default Adam scope.
	t.opt = t.cfg.Optimizer.Build(optimizer.AdamDefaultScope)
	if t.step, err = model.NewExec(t.backend, t.store, t.elboStep); err != nil {
		return fmt.Errorf("vae: training step: %w", err)
	}
	t.decode, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, z, label *Node) *Node {
		return toImage(n.decoder(scope.At("decoder"), z, label))
	})
	if err != nil {
		return fmt.Errorf("vae: decoder: %w", err)
	}
	t.encode, err = model.NewExec(t.backend, t.store, func(scope *model.Scope, x, label *Node) []*Node {
		mu, logVar := n.encoder(scope.At("encoder"), x, label)
		return []*Node{mu, logVar}
	})
	if err != nil {
		return fmt.Errorf("vae: encoder: %w", err)
	}
	return nil
}

// elboStep is the graph of one training step: from a batch of images x [n, 28, 28, 1] in
// [-1, 1], their labels (a CVAE's one-hot [n, Classes]; a placeholder otherwise) and the
// noise eps [n, Latent] of the reparameterisation z = μ + σ·ε to the minimised loss
// (Reconstruction + Beta·KL, or Reconstruction alone for an Autoencoder) and its two
// terms, with the optimizer's update of both networks applied.
func (t *Trainer) elboStep(scope *model.Scope, x, label, eps *Node) (loss, rec, kl *Node) {
	n, cfg := t.nets, t.cfg
	mu, logVar := n.encoder(scope.At("encoder"), x, label)
	z := mu
	if !cfg.Autoencoder {
		z = Add(mu, Mul(Exp(MulScalar(logVar, 0.5)), eps))
	}
	logits := n.decoder(scope.At("decoder"), z, label)
	rec, kl = LossTerms(logits, x, mu, logVar)
	loss = rec
	if !cfg.Autoencoder {
		loss = Add(rec, MulScalar(kl, cfg.Beta))
	} else {
		kl = StopGradient(kl)
	}
	t.opt.UpdateGraph(scope, x.Graph(), loss)
	return loss, rec, kl
}

// LossTerms is the graph of the two terms of the negative ELBO that a training step
// minimises, as batch means: rec, the reconstruction term (the Bernoulli negative
// log-likelihood of the pixels of x, given in [-1, 1] and read as intensities (x+1)/2 in
// [0, 1], under the decoder's logits, summed over the pixels: a binary cross-entropy),
// and kl, the closed-form KL(N(mu, diag exp(logVar)) ‖ N(0, I)) of KLStandardNormal.
// logits and x have the same shape [n, ...]; mu and logVar are [n, Latent]. Lesson 12
// writes the same graph by hand and prints both.
//
// For grey levels strictly between 0 and 1 the Bernoulli "likelihood" is not a normalised
// density over images, so rec (and the ELBO in nats built on it) is a training objective,
// not the log-likelihood of a proper model of grey images.
func LossTerms(logits, x, mu, logVar *Node) (rec, kl *Node) {
	batch := float64(x.Shape().Dimensions[0])
	target := MulScalar(AddScalar(x, 1), 0.5)
	// BCE with logits, stably: max(l, 0) − l·t + log(1 + exp(−|l|)).
	bce := Add(Sub(Max(logits, ZerosLike(logits)), Mul(logits, target)), Log1P(Exp(Neg(Abs(logits)))))
	rec = DivScalar(ReduceAllSum(bce), batch)
	// ½ Σ (μ² + σ² − 1 − log σ²).
	terms := Sub(Add(Mul(mu, mu), Exp(logVar)), AddScalar(logVar, 1))
	kl = DivScalar(MulScalar(ReduceAllSum(terms), 0.5), batch)
	return rec, kl
}

// toImage turns the decoder's logits into images in [-1, 1]: 2·sigmoid(logits) − 1.
func toImage(logits *Node) *Node { return AddScalar(MulScalar(Sigmoid(logits), 2), -1) }

// KLStandardNormal is KL(N(mu, diag(exp(logVar))) ‖ N(0, I)) in closed form, computed on the
// host: ½ Σ_j (mu_j² + exp(logVar_j) − 1 − logVar_j).
func KLStandardNormal(mu, logVar []float64) (float64, error) {
	if len(mu) != len(logVar) {
		return 0, fmt.Errorf("vae: KLStandardNormal: %d means but %d log-variances", len(mu), len(logVar))
	}
	kl := 0.0
	for j := range mu {
		kl += mu[j]*mu[j] + math.Exp(logVar[j]) - 1 - logVar[j]
	}
	return kl / 2, nil
}

// Config returns the configuration in use, defaults filled in.
func (t *Trainer) Config() Config { return t.cfg }

// Iteration is the number of training steps taken.
func (t *Trainer) Iteration() int { return t.loop.Iteration() }

// History returns one Record per step taken.
func (t *Trainer) History() []Record { return t.loop.History() }

// Snapshots returns the snapshots taken by Run, in order.
func (t *Trainer) Snapshots() []Snapshot { return t.loop.Snapshots() }

// ItersPerSecond is the measured training speed, the first step (which compiles) excluded;
// 0 before two steps.
func (t *Trainer) ItersPerSecond() float64 { return t.loop.ItersPerSecond() }

// Err is the error that stopped training, if any.
func (t *Trainer) Err() error { return t.loop.Err() }

// PriorNoise returns n latent vectors z ~ N(0, I) (flat, n·Latent values), the same for
// the same n and seed.
func (t *Trainer) PriorNoise(n int) []float32 {
	return train.Normal(train.Rand(t.cfg.Seed, streamPrior), n*t.cfg.Latent)
}

// labelTensor is the one-hot labels [n, Classes] of a CVAE, or a [n, 1] placeholder.
func (t *Trainer) labelTensor(labels []int, n int) (*tensors.Tensor, error) {
	if !t.cfg.Conditional {
		if labels != nil {
			return nil, fmt.Errorf("labels given to an unconditional VAE")
		}
		return tensors.FromFlatDataAndDimensions(make([]float32, n), n, 1), nil
	}
	k := t.cfg.Classes()
	if len(labels) != n {
		return nil, fmt.Errorf("%d labels for %d images", len(labels), n)
	}
	v := make([]float32, n*k)
	for i, l := range labels {
		if l < 0 || l >= k {
			return nil, fmt.Errorf("label %d (index %d) is outside [0, %d)", l, i, k)
		}
		v[i*k+l] = 1
	}
	return tensors.FromFlatDataAndDimensions(v, n, k), nil
}

// Iterate takes one training step on a random batch and appends a Record. A loss that is
// NaN, infinite or above train.MaxLoss stops training with an error (wrapping
// train.ErrDiverged) that Err and every later Iterate return.
func (t *Trainer) Iterate() error {
	return t.loop.Iterate(func(it int) (Record, error) {
		n := t.cfg.BatchSize
		x, raw := t.cfg.Set.BatchWithLabels(t.dataRng, n)
		var labels []int
		if t.cfg.Conditional {
			labels = make([]int, n)
			for i, l := range raw {
				labels[i] = int(l)
			}
		}
		lt, err := t.labelTensor(labels, n)
		if err != nil {
			return Record{}, fmt.Errorf("vae: %w", err)
		}
		eps := tensors.FromFlatDataAndDimensions(train.Normal(t.noiseRng, n*t.cfg.Latent), n, t.cfg.Latent)
		out, err := t.step.Call(tensors.FromFlatDataAndDimensions(x, n, mnist.Side, mnist.Side, 1), lt, eps)
		if err != nil {
			return Record{}, fmt.Errorf("vae: training step at iteration %d: %w", it, err)
		}
		rec := Record{Iteration: it, Loss: train.Scalar(out[0]), Reconstruction: train.Scalar(out[1]), KL: train.Scalar(out[2])}
		return rec, t.loop.Guard("the loss", rec.Loss)
	})
}

// Run takes n training steps. Before the first one (0 in snapshotAt) and after each step
// listed in snapshotAt it takes a Snapshot, once per iteration.
func (t *Trainer) Run(n int, snapshotAt ...int) error {
	return t.loop.Run(n, t.Iterate, t.Snapshot, snapshotAt...)
}

// Snapshot decodes the fixed batch of prior noise (see Snapshot) without training.
func (t *Trainer) Snapshot() (Snapshot, error) {
	s := Snapshot{Iteration: t.loop.Iteration()}
	if t.cfg.Conditional {
		s.Labels = make([]int, SnapshotImages)
		for i := range s.Labels {
			s.Labels[i] = i % t.cfg.Classes()
		}
	}
	var err error
	if s.Images, err = t.Sample(t.PriorNoise(SnapshotImages), s.Labels); err != nil {
		return Snapshot{}, fmt.Errorf("vae: Snapshot: %w", err)
	}
	return s, nil
}

// chunk is how many images Sample, Reconstruct and Encode process per call.
const chunk = 256

// Sample decodes latent vectors z (flat, n·Latent values) into n images [n, 28, 28, 1], flat,
// in [-1, 1] (the Bernoulli means, scaled). A CVAE takes one label per image; a VAE nil.
func (t *Trainer) Sample(z []float32, labels []int) ([]float32, error) {
	m := t.cfg.Latent
	if len(z) == 0 || len(z)%m != 0 {
		return nil, fmt.Errorf("vae: Sample: %d values is not a positive whole number of %d-dimensional latent vectors", len(z), m)
	}
	n := len(z) / m
	if _, err := t.labelTensor(labels, n); err != nil {
		return nil, fmt.Errorf("vae: Sample: %w", err)
	}
	out, err := train.Collect(n, chunk, func(s, e int) (*tensors.Tensor, error) {
		return t.decode.Call1(tensors.FromFlatDataAndDimensions(z[s*m:e*m], e-s, m), t.chunkLabels(labels, s, e))
	})
	if err != nil {
		return nil, fmt.Errorf("vae: Sample: %w", err)
	}
	return out, nil
}

// Encode returns the encoder's means and log-variances (flat, n·Latent values each) for n
// images in [-1, 1] (flat [n, 28, 28, 1]). A CVAE takes one label per image; a VAE nil.
func (t *Trainer) Encode(images []float32, labels []int) (mu, logVar []float32, err error) {
	if len(images) == 0 || len(images)%mnist.Pixels != 0 {
		return nil, nil, fmt.Errorf("vae: Encode: %d values is not a positive whole number of 28×28 images", len(images))
	}
	n := len(images) / mnist.Pixels
	if _, err := t.labelTensor(labels, n); err != nil {
		return nil, nil, fmt.Errorf("vae: Encode: %w", err)
	}
	err = train.Chunks(n, chunk, func(s, e int) error {
		res, err := t.encode.Call(tensors.FromFlatDataAndDimensions(images[s*mnist.Pixels:e*mnist.Pixels], e-s, mnist.Side, mnist.Side, 1), t.chunkLabels(labels, s, e))
		if err != nil {
			return err
		}
		mu = append(mu, tensors.MustCopyFlatData[float32](res[0])...)
		logVar = append(logVar, tensors.MustCopyFlatData[float32](res[1])...)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("vae: Encode: %w", err)
	}
	return mu, logVar, nil
}

// chunkLabels is the label tensor of images [s, e) of a request whose labels were
// already checked (all of them, or nil for a VAE).
func (t *Trainer) chunkLabels(labels []int, s, e int) *tensors.Tensor {
	var ls []int
	if labels != nil {
		ls = labels[s:e]
	}
	lt, _ := t.labelTensor(ls, e-s)
	return lt
}

// Reconstruct encodes images and decodes their means μ(x): the auto-encoder's
// reconstruction, in [-1, 1].
func (t *Trainer) Reconstruct(images []float32, labels []int) ([]float32, error) {
	mu, _, err := t.Encode(images, labels)
	if err != nil {
		return nil, err
	}
	return t.Sample(mu, labels)
}

// networks are the encoder's and decoder's layers for one Config.
type networks struct {
	cfg            Config
	eConv1, eConv2 conv.Layer
	eLabel         nets.MLP // CVAE: the label's contribution to the first convolution's output
	eOut           nets.MLP
	dDense         nets.MLP
	dConv1, dConv2 conv.Layer
}

func newNetworks(cfg Config) *networks {
	ew, w := cfg.EncoderWidth, cfg.Width
	cond := 0
	if cfg.Conditional {
		cond = cfg.Classes()
	}
	n := &networks{
		cfg:    cfg,
		eConv1: conv.Layer{In: 1, Out: ew, Kernel: 4, Stride: 2, Pad: 1},
		eConv2: conv.Layer{In: ew, Out: 2 * ew, Kernel: 4, Stride: 2, Pad: 1},
		eOut:   nets.MLP{In: 7 * 7 * 2 * ew, Out: 2 * cfg.Latent},
		dDense: nets.MLP{In: cfg.Latent + cond, Out: 7 * 7 * w},
		dConv1: conv.Layer{In: w, Out: w / 2, Kernel: 3, Stride: 1, Pad: 1, Upsample: 2},
		dConv2: conv.Layer{In: w / 2, Out: 1, Kernel: 3, Stride: 1, Pad: 1, Upsample: 2},
	}
	if cfg.Conditional {
		n.eLabel = nets.MLP{In: cond, Out: 14 * 14 * ew}
	}
	return n
}

func (n *networks) init(root *model.Scope, rng *rand.Rand) error {
	es, ds := root.At("encoder"), root.At("decoder")
	steps := []struct {
		what string
		err  func() error
	}{
		{"encoder conv1", func() error { return n.eConv1.Init(es.At("conv1"), rng) }},
		{"encoder conv2", func() error { return n.eConv2.Init(es.At("conv2"), rng) }},
		{"encoder output", func() error { return n.eOut.Init(es.At("out"), rng) }},
		{"decoder dense", func() error { return n.dDense.Init(ds.At("dense"), rng) }},
		{"decoder conv1", func() error { return n.dConv1.Init(ds.At("conv1"), rng) }},
		{"decoder conv2", func() error { return n.dConv2.Init(ds.At("conv2"), rng) }},
	}
	if n.cfg.Conditional {
		steps = append(steps, struct {
			what string
			err  func() error
		}{"encoder label", func() error { return n.eLabel.Init(es.At("label"), rng) }})
	}
	for _, s := range steps {
		if err := s.err(); err != nil {
			return fmt.Errorf("vae: %s: %w", s.what, err)
		}
	}
	return nil
}

func leaky(x *Node) *Node { return nets.Rectify(x, nets.LeakySlope) }
func relu(x *Node) *Node  { return nets.Rectify(x, 0) }

// encoder returns μ and log σ², each [n, Latent], for images x [n, 28, 28, 1] in [-1, 1].
// A CVAE's label [n, Classes] (one-hot) adds a learned map per class to the first
// convolution's output, which is what constant label channels at its input would add
// (up to the border, where padding makes them differ).
func (n *networks) encoder(scope *model.Scope, x, label *Node) (mu, logVar *Node) {
	h := n.eConv1.Apply(scope.At("conv1"), x)
	if n.cfg.Conditional {
		h = Add(h, Reshape(n.eLabel.Apply(scope.At("label"), label), -1, 14, 14, n.cfg.EncoderWidth))
	}
	h = leaky(h)
	h = leaky(n.eConv2.Apply(scope.At("conv2"), h))
	out := n.eOut.Apply(scope.At("out"), Reshape(h, -1, 7*7*2*n.cfg.EncoderWidth))
	m := n.cfg.Latent
	return Slice(out, AxisRange(), AxisRange(0, m)), Slice(out, AxisRange(), AxisRange(m))
}

// decoder returns the pixel logits [n, 28, 28, 1] for z [n, Latent] (and a CVAE's one-hot
// label [n, Classes], concatenated to z).
func (n *networks) decoder(scope *model.Scope, z, label *Node) *Node {
	in := z
	if n.cfg.Conditional {
		in = Concatenate([]*Node{z, label}, -1)
	}
	h := relu(n.dDense.Apply(scope.At("dense"), in))
	h = Reshape(h, -1, 7, 7, n.cfg.Width)
	h = relu(n.dConv1.Apply(scope.At("conv1"), h))
	return n.dConv2.Apply(scope.At("conv2"), h)
}
