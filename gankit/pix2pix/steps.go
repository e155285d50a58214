package pix2pix

import (
	"github.com/gankit/kit/gankit/losses"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Scope names of the networks in the Trainer's store, and of their optimizers' state
// under them.
const (
	scopeG          = "generator"
	scopeD          = "discriminator"
	gOptimizerScope = "adam_g"
	dOptimizerScope = "adam_d"
)

// evalChunk is the largest batch Translate runs at once.
const evalChunk = 256

// discriminatorStep is the graph of D's training step on a batch of pairs (x, y): D
// scores the real pairs (x, y) and the generated pairs (x, G(x)), G held fixed, and opt
// lowers half the sum of the two binary cross-entropies (the paper's halved objective)
// on D's variables. It returns that loss, the mean D(x, y) and the mean D(x, G(x)).
func (t *Trainer) discriminatorStep(scope *model.Scope, opt optimizer.Interface, x, y *Node) []*Node {
	g := x.Graph()
	fake := StopGradient(t.g.Apply(scope.At(scopeG), x))
	ds := scope.At(scopeD)
	real, gen := t.d.Apply(ds, x, y), t.d.Apply(ds, x, fake)
	loss := MulScalar(losses.Discriminator(real, gen), 0.5)
	opt.UpdateGraph(ds, g, loss)
	return []*Node{loss, ReduceAllMean(Sigmoid(real)), ReduceAllMean(Sigmoid(gen))}
}

// generatorStep is the graph of G's training step on a batch of pairs (x, y): G
// translates x, and opt lowers the Objective's loss on G's variables: the non-saturating
// GAN loss -log D(x, G(x)) plus Lambda·L1(G(x), y), one of them alone in the ablations.
// It returns the GAN loss (computed with every objective) and the L1 distance.
func (t *Trainer) generatorStep(scope *model.Scope, opt optimizer.Interface, x, y *Node) []*Node {
	g := x.Graph()
	gs := scope.At(scopeG)
	out := t.g.Apply(gs, x)
	l1 := ReduceAllMean(Abs(Sub(out, y)))
	var gan *Node
	if t.cfg.Objective == L1Only {
		// Reported, not trained on: D is untrained here, its scope untouched.
		gan = StopGradient(losses.NonSaturating.Graph(t.d.Apply(scope.At(scopeD), x, out)))
	} else {
		gan = losses.NonSaturating.Graph(t.d.Apply(scope.At(scopeD), x, out))
	}
	var loss *Node
	switch t.cfg.Objective {
	case CGANAndL1:
		loss = Add(gan, MulScalar(l1, t.cfg.Lambda))
	case L1Only:
		loss = l1
	case CGANOnly:
		loss = gan
	}
	opt.UpdateGraph(gs, g, loss)
	return []*Node{gan, l1}
}
