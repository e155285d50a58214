package exercise

import (
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
)

// bce is D's binary cross-entropy from its logits on real (x[0]) and generated (x[1])
// samples: the reference of the graph checks below.
func bce(x []*graph.Node) *graph.Node {
	return graph.Add(graph.ReduceAllMean(graph.Softplus(graph.Neg(x[0]))), graph.ReduceAllMean(graph.Softplus(x[1])))
}

var bceInputs = []Inputs{
	{[]float32{0.5, -1, 2}, []float32{-2, 0.25}},
	{[]float32{3}, []float32{1, -1, 0}},
}

func TestGraphPasses(t *testing.T) {
	// The same loss written another way: -log σ(ℓ) and -log(1-σ(ℓ)).
	other := func(x []*graph.Node) *graph.Node {
		return graph.Sub(graph.Neg(graph.ReduceAllMean(graph.Log(graph.Sigmoid(x[0])))), graph.ReduceAllMean(graph.Log(graph.OneMinus(graph.Sigmoid(x[1])))))
	}
	r := Graph("bce", "hint", other, bce, bceInputs, 1e-5)
	if !r.Passed || r.Message != "output and gradients agree with the reference on 2 input sets within 1e-05." {
		t.Errorf("%+v", r)
	}
}

func TestGraphFailures(t *testing.T) {
	for _, c := range []struct {
		name    string
		learner GraphFunc
		want    string
	}{
		{"wrong value", func(x []*graph.Node) *graph.Node { return graph.MulScalar(bce(x), 2) }, "the output is "},
		// The right value, but no gradient reaches the generated samples' logits.
		{"stopped gradient", func(x []*graph.Node) *graph.Node { return bce([]*graph.Node{x[0], graph.StopGradient(x[1])}) },
			"element 0 of the gradient with respect to input 2 is 0; the expected value is 0.0596"},
		{"sum, not mean", func(x []*graph.Node) *graph.Node {
			return graph.Add(graph.ReduceAllMean(graph.Softplus(graph.Neg(x[0]))), graph.ReduceAllSum(graph.Softplus(x[1])))
		}, "the output is "},
		{"per-sample losses", func(x []*graph.Node) *graph.Node { return graph.Softplus(graph.Neg(x[0])) }, "another shape or rank"},
		{"stub", func(x []*graph.Node) *graph.Node { panic("not implemented") }, `not implemented yet`},
		{"nil", func(x []*graph.Node) *graph.Node { return nil }, "returned nil"},
		{"shape error", func(x []*graph.Node) *graph.Node { return graph.Add(x[0], x[1]) }, "your code panicked: dimension of axis #0"},
	} {
		r := Graph("bce", "Hint: softplus.", c.learner, bce, bceInputs, 1e-5)
		if r.Passed || !strings.Contains(r.Message, c.want) || r.Hint != "Hint: softplus." {
			t.Errorf("%s: %+v, want a failure saying %q", c.name, r, c.want)
		}
	}
}

func TestGraphLayoutNamesEveryPosition(t *testing.T) {
	l := graphLayout{rank: 2, size: 6, dims: []int{2, 3}, grads: []int{4, 0, 1}}
	for j, want := range map[int]string{
		0: "the rank of the output", 2: "dimension 1 of the output's shape", 3: "element 0 of the output (flattened)",
		9: "element 0 of the gradient with respect to input 1", 13: "the gradient with respect to input 3", 14: "a value past the end",
	} {
		if got := l.describe(j); got != want {
			t.Errorf("describe(%d) = %q, want %q", j, got, want)
		}
	}
}
