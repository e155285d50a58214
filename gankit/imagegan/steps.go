package imagegan

import (
	"github.com/gankit/kit/gankit/losses"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Scope names of the optimizers' state, under each network's scope.
const (
	dOptimizerScope = "adam_d"
	gOptimizerScope = "adam_g"
)

// discriminatorStep is the graph of D's training step (and Q's, in InfoGAN mode): it
// scores a real batch with its conditioning (realCond: the one-hot labels in
// Conditional mode, a placeholder otherwise) and the images G makes from gIn (noise and
// conditioning fakeCond), held fixed, then lets opt lower D's binary cross-entropy (plus
// λ·L_I in InfoGAN mode) on D's variables. It returns the cross-entropy, the mean D(x),
// the mean D(G(z)) and L_I (0 outside InfoGAN).
func (n *networks) discriminatorStep(scope *model.Scope, opt optimizer.Interface, real, realCond, gIn, fakeCond *Node) []*Node {
	g := real.Graph()
	scope.Store().SetTraining(g, true)
	fake := StopGradient(n.generator(scope.At(GeneratorScope), gIn))
	ds := scope.At(DiscriminatorScope)
	realLogit := n.logit(ds, n.body(ds, real, realCond))
	fakeFeat := n.body(ds, fake, fakeCond)
	fakeLogit := n.logit(ds, fakeFeat)
	bce := losses.Discriminator(realLogit, fakeLogit)
	loss, info := bce, ScalarZero(g, bce.DType())
	if n.cfg.Mode == InfoGAN {
		info = n.infoLoss(ds, fakeFeat, fakeCond)
		loss = Add(bce, MulScalar(info, n.cfg.InfoWeight))
	}
	opt.UpdateGraph(ds, g, loss)
	return []*Node{bce, ReduceAllMean(Sigmoid(realLogit)), ReduceAllMean(Sigmoid(fakeLogit)), info}
}

// generatorStep is the graph of G's training step: it makes images from gIn (noise and
// conditioning fakeCond), scores them with D, and lets opt lower the non-saturating loss
// -log D(G(z)) (plus λ·L_I in InfoGAN mode) on G's variables. It returns that GAN loss
// and L_I (0 outside InfoGAN).
func (n *networks) generatorStep(scope *model.Scope, opt optimizer.Interface, gIn, fakeCond *Node) []*Node {
	g := gIn.Graph()
	scope.Store().SetTraining(g, true)
	gs, ds := scope.At(GeneratorScope), scope.At(DiscriminatorScope)
	feat := n.body(ds, n.generator(gs, gIn), fakeCond)
	gan := losses.NonSaturating.Graph(n.logit(ds, feat))
	loss, info := gan, ScalarZero(g, gan.DType())
	if n.cfg.Mode == InfoGAN {
		info = n.infoLoss(ds, feat, fakeCond)
		loss = Add(gan, MulScalar(info, n.cfg.InfoWeight))
	}
	opt.UpdateGraph(gs, g, loss)
	return []*Node{gan, info}
}
