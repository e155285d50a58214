package cyclegan

import (
	"github.com/gankit/kit/gankit/losses"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Scope names of the four networks, and of their optimizers' state under them.
const (
	scopeGAB = "g_ab"
	scopeGBA = "g_ba"
	scopeDA  = "d_a"
	scopeDB  = "d_b"

	optScopeGAB = "adam_gab"
	optScopeGBA = "adam_gba"
	optScopeDA  = "adam_da"
	optScopeDB  = "adam_db"
)

// evalChunk is the largest batch Translate runs at once.
const evalChunk = 256

func l1(a, b *Node) *Node { return ReduceAllMean(Abs(Sub(a, b))) }

// discriminatorStep is the graph of both discriminators' training step on a batch a of
// domain A and a batch b of B: D_A scores a against G_BA(b), D_B scores b against
// G_AB(a), the generators held fixed, and optA and optB lower each one's least-squares
// loss on its own variables. It returns D_A's and D_B's losses.
func (t *Trainer) discriminatorStep(scope *model.Scope, optA, optB optimizer.Interface, a, b *Node) []*Node {
	g := a.Graph()
	ls := losses.LeastSquares
	fakeB := StopGradient(t.g.Apply(scope.At(scopeGAB), a))
	fakeA := StopGradient(t.g.Apply(scope.At(scopeGBA), b))
	da, db := scope.At(scopeDA), scope.At(scopeDB)
	lossA := ls.DiscriminatorLoss(t.d.Apply(da, a), t.d.Apply(da, fakeA))
	lossB := ls.DiscriminatorLoss(t.d.Apply(db, b), t.d.Apply(db, fakeB))
	optA.UpdateGraph(da, g, lossA)
	optB.UpdateGraph(db, g, lossB)
	return []*Node{lossA, lossB}
}

// generatorStep is the graph of both generators' training step on a batch a of domain A
// and a batch b of B: the least-squares GAN losses of G_AB(a) under D_B and of G_BA(b)
// under D_A, plus Lambda times the cycle loss |G_BA(G_AB(a)) − a| + |G_AB(G_BA(b)) − b|
// (plus Lambda·Identity times the identity loss |G_AB(b) − b| + |G_BA(a) − a| when
// Identity > 0), one loss that optAB and optBA lower on each generator's variables. It
// returns the GAN loss, the cycle loss and the identity loss (0 without the term), all
// unweighted.
func (t *Trainer) generatorStep(scope *model.Scope, optAB, optBA optimizer.Interface, a, b *Node) []*Node {
	g := a.Graph()
	cfg, ls := t.cfg, losses.LeastSquares
	gab, gba := scope.At(scopeGAB), scope.At(scopeGBA)
	fakeB, fakeA := t.g.Apply(gab, a), t.g.Apply(gba, b)
	gan := Add(ReduceAllMean(ls.GeneratorElementwise(t.d.Apply(scope.At(scopeDB), fakeB), losses.NonSaturating)),
		ReduceAllMean(ls.GeneratorElementwise(t.d.Apply(scope.At(scopeDA), fakeA), losses.NonSaturating)))
	cycle := Add(l1(t.g.Apply(gba, fakeB), a), l1(t.g.Apply(gab, fakeA), b))
	loss := Add(gan, MulScalar(cycle, cfg.Lambda))
	identity := ScalarZero(g, gan.DType())
	if cfg.Identity > 0 {
		identity = Add(l1(t.g.Apply(gab, b), b), l1(t.g.Apply(gba, a), a))
		loss = Add(loss, MulScalar(identity, cfg.Lambda*cfg.Identity))
	}
	optAB.UpdateGraph(gab, g, loss)
	optBA.UpdateGraph(gba, g, loss)
	return []*Node{gan, cycle, identity}
}
