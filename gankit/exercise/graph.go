package exercise

import (
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Inputs is one set of inputs of a Graph check, in the order the graph functions take
// them: each a *tensors.Tensor or a value tensors.FromAnyValue accepts (a float32, a
// []float32, a [][]float32, ...). Weights are inputs like the data, so that a check runs
// on fixed weights.
type Inputs []any

// GraphFunc is graph code checked by Graph: it builds one node from its input nodes.
type GraphFunc func(x []*graph.Node) *graph.Node

// Graph checks the learner's graph code (a loss, a layer, a network, a penalty, a
// training step) against reference on every set of inputs: the output's shape, its
// values, and the gradient with respect to every floating-point input of a fixed
// weighting of the output (its sum weighted by 1 + sin(k+1)/2 for element k: the output
// itself when it is a scalar), each within tol as in Func. So a graph with the right
// values that blocks or distorts the gradient (a StopGradient in the wrong place, a
// constant where a node belongs) fails too.
//
// The graphs run on the kit's backend (gankit/backend.New), once per set of inputs.
func Graph(id, hint string, learner, reference GraphFunc, inputs []Inputs, tol float64) Result {
	var layout graphLayout // of the reference's last answer, for messages
	msg := graphMessages(&layout)
	return run(id, hint,
		func(in Inputs) []float64 { v, _ := evalGraph(learner, in); return v },
		func(in Inputs) []float64 {
			v, l := evalGraph(reference, in)
			layout = l
			return v
		},
		inputs, tol, msg)
}

// graphLayout says what the values of a graph check's answer are: [rank, dims...,
// output values..., gradient of input 1..., gradient of input 2..., ...].
type graphLayout struct {
	rank, size int
	dims       []int
	grads      []int // element count of each input's gradient (0 for a non-float input)
}

// describe names position j of an answer with this layout.
func (l graphLayout) describe(j int) string {
	switch {
	case j == 0:
		return "the rank of the output"
	case j <= l.rank:
		return fmt.Sprintf("dimension %d of the output's shape", j-1)
	}
	j -= 1 + l.rank
	if j < l.size {
		if l.size == 1 {
			return "the output"
		}
		return fmt.Sprintf("element %d of the output (flattened)", j)
	}
	j -= l.size
	for i, n := range l.grads {
		if j < n {
			if n == 1 {
				return fmt.Sprintf("the gradient with respect to input %d", i+1)
			}
			return fmt.Sprintf("element %d of the gradient with respect to input %d", j, i+1)
		}
		j -= n
	}
	return "a value past the end"
}

func graphMessages(layout *graphLayout) messages {
	return messages{
		errorAt: func(_ any, err error) string { return err.Error() },
		differs: func(_ any, j, _ int, got, want, _ float64) string {
			return fmt.Sprintf("%s is %.6g; the expected value is %.6g", layout.describe(j), got, want)
		},
		lengths: func(_ any, got, want int) string {
			return fmt.Sprintf("your graph's output has another shape or rank than expected (%d values with the gradients; the expected number is %d)", got, want)
		},
		passed: func(n int, tol, _ float64) string {
			return fmt.Sprintf("output and gradients agree with the reference on %d input sets within %g.", n, tol)
		},
	}
}

var (
	graphBackendOnce sync.Once
	graphBackend     compute.Backend
	graphBackendErr  error
)

// evalGraph runs f on the inputs and returns its answer: the output's rank and
// dimensions, its values, and the gradients of its weighted sum (see Graph). A failure
// panics, which run reports as a failed check.
func evalGraph(f GraphFunc, in Inputs) ([]float64, graphLayout) {
	graphBackendOnce.Do(func() { graphBackend, graphBackendErr = backend.New() })
	if graphBackendErr != nil {
		panic(fmt.Sprintf("the check cannot run: %v", graphBackendErr))
	}
	args := make([]any, len(in))
	for i, v := range in {
		t, ok := v.(*tensors.Tensor)
		if !ok {
			var err error
			if t, err = tensors.FromAnyValue(v); err != nil {
				panic(fmt.Sprintf("the check's input %d is not a tensor (a mistake in the lesson): %v", i+1, err))
			}
		}
		args[i] = t
	}
	var layout graphLayout
	// A panic while building the graph (the stub's "not implemented", a shape error in
	// the learner's code) is caught here and raised again after Exec returns: one that
	// crossed GoMLX's Exec would leave it unusable for the next check.
	var failure any
	exec, err := graph.NewExec(graphBackend, func(g *graph.Graph, xs []*graph.Node) (results []*graph.Node) {
		defer func() {
			if p := recover(); p != nil {
				failure = p
				results = []*graph.Node{graph.Const(g, []float64{0})}
			}
		}()
		return answerGraph(f, xs, &layout)
	})
	if err != nil {
		panic(fmt.Sprintf("building your graph failed: %v", err))
	}
	defer exec.Finalize()
	outs, err := exec.Exec(args...)
	if failure != nil {
		panic(failure)
	}
	if err != nil {
		panic(fmt.Sprintf("your graph failed: %s", firstLine(err.Error())))
	}
	vals := []float64{float64(layout.rank)}
	for _, d := range layout.dims {
		vals = append(vals, float64(d))
	}
	for _, o := range outs {
		vals = append(vals, tensors.MustCopyFlatData[float64](o)...)
	}
	return vals, layout
}

// firstLine is the first line of s: GoMLX's errors carry a stack trace after it.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// answerGraph builds f's answer: its output, flattened, and the gradients of the output's
// weighted sum with respect to every floating-point input; it records their layout.
func answerGraph(f GraphFunc, xs []*graph.Node, layout *graphLayout) []*graph.Node {
	out := f(xs)
	if out == nil {
		panic("your graph function returned nil")
	}
	if !out.DType().IsFloat() {
		panic(fmt.Sprintf("your graph's output has dtype %s; a floating-point one is expected", out.DType()))
	}
	layout.rank, layout.size, layout.dims = out.Rank(), out.Shape().Size(), out.Shape().Dimensions
	weighted := graph.ReduceAllSum(out)
	if out.Shape().Size() > 1 {
		w := make([]float64, out.Shape().Size())
		for k := range w {
			w[k] = 1 + math.Sin(float64(k+1))/2
		}
		weights := graph.Reshape(graph.ConvertDType(graph.Const(out.Graph(), w), out.DType()), out.Shape().Dimensions...)
		weighted = graph.ReduceAllSum(graph.Mul(out, weights))
	}
	var wrt []*graph.Node
	for _, x := range xs {
		if x.DType().IsFloat() {
			wrt = append(wrt, x)
			layout.grads = append(layout.grads, x.Shape().Size())
		} else {
			layout.grads = append(layout.grads, 0)
		}
	}
	results := []*graph.Node{graph.Reshape(graph.ConvertDType(out, dtypes.Float64), -1)}
	for _, g := range graph.Gradient(weighted, wrt...) {
		results = append(results, graph.Reshape(graph.ConvertDType(g, dtypes.Float64), -1))
	}
	return results
}
