package nets_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/target"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// newBackend is shared by the tests: one backend for the package.
var newBackend = sync.OnceValues(testkit.NewBackend)

func testBackend(t *testing.T) compute.Backend {
	t.Helper()
	b, err := newBackend()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// values returns the flat float32 contents of the variable name in layer i of scope.
func values(t *testing.T, scope *model.Scope, layer int, name string) ([]float32, []int) {
	t.Helper()
	v := scope.At("layer_%d", layer).GetVariable(name)
	if v == nil {
		t.Fatalf("no variable layer_%d/%s in scope %q", layer, name, scope.Scope())
	}
	tensor, err := v.Value()
	if err != nil {
		t.Fatal(err)
	}
	if tensor.DType() != dtypes.Float32 {
		t.Fatalf("layer_%d/%s has dtype %s, want float32", layer, name, tensor.DType())
	}
	return tensors.MustCopyFlatData[float32](tensor), tensor.Shape().Dimensions
}

func initMLP(t *testing.T, m nets.MLP, seed uint64) *model.Scope {
	t.Helper()
	scope := model.NewStore().RootScope().At("net")
	if err := m.Init(scope, target.NewRand(seed)); err != nil {
		t.Fatal(err)
	}
	return scope
}

func TestInitShapesAndRange(t *testing.T) {
	m := nets.MLP{In: 3, Hidden: []int{16, 8}, Out: 2, Act: nets.ReLU}
	scope := initMLP(t, m, 1)
	sizes := []int{3, 16, 8, 2}
	for i := 0; i+1 < len(sizes); i++ {
		bound := float32(1 / math.Sqrt(float64(sizes[i])))
		w, wDims := values(t, scope, i, "weights")
		b, bDims := values(t, scope, i, "biases")
		if !slices.Equal(wDims, []int{sizes[i], sizes[i+1]}) || !slices.Equal(bDims, []int{sizes[i+1]}) {
			t.Errorf("layer %d: weights %v and biases %v, want [%d %d] and [%d]", i, wDims, bDims, sizes[i], sizes[i+1], sizes[i+1])
		}
		for _, v := range append(w, b...) {
			if v < -bound || v > bound {
				t.Errorf("layer %d: value %g outside ±1/sqrt(%d) = ±%g", i, v, sizes[i], bound)
				break
			}
		}
		if allZero(b) {
			t.Errorf("layer %d: biases are all zero, want uniform like the weights", i)
		}
	}
	if v := scope.At("layer_3").GetVariable("weights"); v != nil {
		t.Errorf("Init made a fourth layer for a network with 3")
	}
	if n := scope.NumVariables(); n != 6 {
		t.Errorf("Init made %d variables, want 6 (weights and biases of 3 layers)", n)
	}
}

func allZero(xs []float32) bool {
	for _, x := range xs {
		if x != 0 {
			return false
		}
	}
	return true
}

// The values are spread over the whole interval as a uniform distribution would be:
// mean 0, std bound/sqrt(3), extremes near ±bound.
func TestInitIsUniform(t *testing.T) {
	m := nets.MLP{In: 64, Hidden: []int{128}, Out: 1}
	scope := initMLP(t, m, 2)
	w, _ := values(t, scope, 0, "weights") // 8192 values, bound 1/8
	bound := 1.0 / 8
	var mean, sq float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range w {
		mean += float64(v)
		sq += float64(v) * float64(v)
		lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
	}
	n := float64(len(w))
	mean /= n
	std := math.Sqrt(sq/n - mean*mean)
	want := bound / math.Sqrt(3)
	// Standard errors: bound/sqrt(3n) ≈ 0.0008 for the mean, about 0.5% of std for the std.
	if math.Abs(mean) > 0.004 {
		t.Errorf("mean weight %g, want about 0", mean)
	}
	if math.Abs(std-want) > 0.03*want {
		t.Errorf("weight std %g, want bound/sqrt(3) = %g ± 3%%", std, want)
	}
	if lo > -0.99*bound || hi < 0.99*bound {
		t.Errorf("weights span [%g, %g], want nearly all of ±%g", lo, hi, bound)
	}
}

func TestInitSeeds(t *testing.T) {
	m := nets.Discriminator(2, []int{8})
	a := initMLP(t, m, 7)
	b := initMLP(t, m, 7)
	c := initMLP(t, m, 8)
	for layer := 0; layer < 2; layer++ {
		for _, name := range []string{"weights", "biases"} {
			va, _ := values(t, a, layer, name)
			vb, _ := values(t, b, layer, name)
			vc, _ := values(t, c, layer, name)
			if !slices.Equal(va, vb) {
				t.Errorf("layer %d %s differ for the same seed", layer, name)
			}
			if slices.Equal(va, vc) {
				t.Errorf("layer %d %s are identical for seeds 7 and 8", layer, name)
			}
		}
	}
}

func TestInitTwiceKeepsValues(t *testing.T) {
	m := nets.Generator(2, []int{4}, 1)
	scope := initMLP(t, m, 1)
	before, _ := values(t, scope, 0, "weights")
	if err := m.Init(scope, target.NewRand(99)); err != nil {
		t.Fatalf("second Init: %v", err)
	}
	after, _ := values(t, scope, 0, "weights")
	if !slices.Equal(before, after) {
		t.Errorf("second Init with another seed overwrote the weights")
	}
	if n := scope.NumVariables(); n != 4 {
		t.Errorf("%d variables after two Inits, want 4", n)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		m    nets.MLP
		want string // "" for valid
	}{
		{nets.MLP{In: 1, Out: 1}, ""},
		{nets.MLP{In: 2, Hidden: []int{3, 1}, Out: 4}, ""},
		{nets.MLP{In: 0, Out: 1}, "0 -> 1"},
		{nets.MLP{In: 1, Out: 0}, "1 -> 0"},
		{nets.MLP{In: -3, Hidden: []int{4}, Out: 1}, "-3 -> 1"},
		{nets.MLP{In: 1, Hidden: []int{4, 0}, Out: 1}, "hidden layer 1 has size 0"},
		{nets.MLP{In: 1, Hidden: []int{-2}, Out: 1}, "hidden layer 0 has size -2"},
	} {
		err := tc.m.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: Validate() = %v, want nil", tc.m, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: Validate() = %v, want an error containing %q", tc.m, err, tc.want)
		}
		if tc.want != "" {
			// Init refuses too, before creating anything.
			scope := model.NewStore().RootScope()
			if err := tc.m.Init(scope, target.NewRand(1)); err == nil {
				t.Errorf("%+v: Init succeeded on an invalid MLP", tc.m)
			}
			if n := scope.NumVariables(); n != 0 {
				t.Errorf("%+v: Init on an invalid MLP created %d variables", tc.m, n)
			}
		}
	}
}

func TestApplyWithoutInitPanics(t *testing.T) {
	b := testBackend(t)
	g := NewGraph(b, "no_init")
	defer g.Finalize()
	x := Parameter(g, "x", shapes.Make(dtypes.Float32, 4, 2))
	scope := model.NewStore().RootScope().At("d")
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("Apply without Init did not panic")
		}
		if msg := fmt.Sprint(r); !strings.Contains(msg, "Init") || !strings.Contains(msg, "/d") {
			t.Errorf("panic %q should name the scope and tell to call Init", msg)
		}
	}()
	nets.Discriminator(2, []int{8}).Apply(scope, x)
}

// apply runs m.Apply on x ([batch, m.In], row-major) with the variables in scope and
// returns the output and its dimensions.
func apply(t *testing.T, m nets.MLP, scope *model.Scope, x []float32) ([]float32, []int) {
	t.Helper()
	exec, err := model.NewExec(testBackend(t), scope.Store(), func(root *model.Scope, x *Node) *Node {
		return m.Apply(root.At("%s", strings.TrimPrefix(scope.Scope(), "/")), x) // scope is one level deep
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	out, err := exec.Call(tensors.FromFlatDataAndDimensions(x, len(x)/m.In, m.In))
	if err != nil {
		t.Fatal(err)
	}
	return tensors.MustCopyFlatData[float32](out[0]), out[0].Shape().Dimensions
}

func TestApplyShape(t *testing.T) {
	for _, m := range []nets.MLP{
		nets.Generator(3, []int{16, 16}, 2),
		nets.Discriminator(2, []int{8}),
		{In: 1, Out: 5, OutAct: nets.Tanh},
	} {
		scope := initMLP(t, m, 3)
		x := make([]float32, 7*m.In)
		for i := range x {
			x[i] = float32(i%5) - 2
		}
		out, dims := apply(t, m, scope, x)
		if !slices.Equal(dims, []int{7, m.Out}) {
			t.Errorf("%+v: output shape %v, want [7 %d]", m, dims, m.Out)
		}
		for _, v := range out {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Errorf("%+v: non-finite output %v", m, out)
				break
			}
		}
		if m.OutAct == nets.Tanh {
			for _, v := range out {
				if v <= -1 || v >= 1 {
					t.Errorf("tanh output %g outside (-1, 1)", v)
				}
			}
		}
	}
}

// setLayer creates the variables of layer i by hand.
func setLayer(t *testing.T, scope *model.Scope, i int, w []float32, in, out int, b []float32) {
	t.Helper()
	ls := scope.At("layer_%d", i)
	if _, err := ls.CreateVariable("weights", tensors.FromFlatDataAndDimensions(w, in, out)); err != nil {
		t.Fatal(err)
	}
	if _, err := ls.CreateVariable("biases", tensors.FromFlatDataAndDimensions(b, out)); err != nil {
		t.Fatal(err)
	}
}

// A single Identity layer is the affine map x·W + b; the values are exact in float32.
func TestApplyIsAffine(t *testing.T) {
	m := nets.MLP{In: 2, Out: 3}
	scope := model.NewStore().RootScope().At("lin")
	w := []float32{ // [2, 3], row-major: W[i][j] maps input i to output j
		0.5, -1, 2,
		0.25, 3, -0.75,
	}
	bias := []float32{1, 0, -0.5}
	setLayer(t, scope, 0, w, 2, 3, bias)
	x := []float32{
		1, 2,
		-1, 0.5,
		0, 0,
		4, -2,
	}
	got, dims := apply(t, m, scope, x)
	if !slices.Equal(dims, []int{4, 3}) {
		t.Fatalf("output shape %v, want [4 3]", dims)
	}
	for r := 0; r < 4; r++ {
		for j := 0; j < 3; j++ {
			want := bias[j]
			for i := 0; i < 2; i++ {
				want += x[r*2+i] * w[i*3+j]
			}
			if got[r*3+j] != want {
				t.Errorf("row %d output %d = %g, want x·W+b = %g", r, j, got[r*3+j], want)
			}
		}
	}
	// Init on a scope that already has the variables leaves them alone.
	if err := m.Init(scope, target.NewRand(1)); err != nil {
		t.Fatal(err)
	}
	again, _ := apply(t, m, scope, x)
	if !slices.Equal(again, got) {
		t.Errorf("Init replaced hand-set variables: %v became %v", got, again)
	}
}

// A 1 -> 1 -> 1 network with unit weights and zero biases computes Act(x) (OutAct
// Identity), so each activation can be read off directly.
func TestActivations(t *testing.T) {
	xs := []float32{-3, -1, -0.5, 0, 0.5, 2}
	for _, tc := range []struct {
		act  nets.Activation
		want func(x float64) float64
	}{
		{nets.Identity, func(x float64) float64 { return x }},
		{nets.ReLU, func(x float64) float64 { return math.Max(x, 0) }},
		{nets.LeakyReLU, func(x float64) float64 {
			if x < 0 {
				return 0.2 * x
			}
			return x
		}},
		{nets.Tanh, math.Tanh},
		{nets.Sigmoid, func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }},
	} {
		m := nets.MLP{In: 1, Hidden: []int{1}, Out: 1, Act: tc.act, OutAct: nets.Identity}
		scope := model.NewStore().RootScope().At("act")
		setLayer(t, scope, 0, []float32{1}, 1, 1, []float32{0})
		setLayer(t, scope, 1, []float32{1}, 1, 1, []float32{0})
		got, _ := apply(t, m, scope, xs)
		for i, x := range xs {
			if want := tc.want(float64(x)); math.Abs(float64(got[i])-want) > 1e-6 {
				t.Errorf("%s(%g) = %g, want %g", tc.act, x, got[i], want)
			}
		}
	}
}

// Act applies to the hidden layers only and OutAct to the output: with a final weight of
// -1, a ReLU hidden layer gives -max(x, 0), which a ReLU on the output would have zeroed.
func TestActivationPlacement(t *testing.T) {
	xs := []float32{-2, 3}
	for _, tc := range []struct {
		act, outAct nets.Activation
		want        []float32
	}{
		{nets.ReLU, nets.Identity, []float32{0, -3}},
		{nets.Identity, nets.ReLU, []float32{2, 0}},
		{nets.LeakyReLU, nets.Identity, []float32{0.4, -3}},
		{nets.Identity, nets.LeakyReLU, []float32{2, -0.6}},
	} {
		m := nets.MLP{In: 1, Hidden: []int{1}, Out: 1, Act: tc.act, OutAct: tc.outAct}
		scope := model.NewStore().RootScope().At("place")
		setLayer(t, scope, 0, []float32{1}, 1, 1, []float32{0})
		setLayer(t, scope, 1, []float32{-1}, 1, 1, []float32{0})
		got, _ := apply(t, m, scope, xs)
		for i := range xs {
			if math.Abs(float64(got[i]-tc.want[i])) > 1e-6 {
				t.Errorf("Act %s, OutAct %s: f(%g) = %g, want %g", tc.act, tc.outAct, xs[i], got[i], tc.want[i])
			}
		}
	}
}

// Apply can be called twice in one graph (D on real and on fake samples): both calls read
// the same variables.
func TestApplyTwiceSharesVariables(t *testing.T) {
	m := nets.Discriminator(2, []int{8, 8})
	scope := initMLP(t, m, 4)
	exec, err := model.NewExec(testBackend(t), scope.Store(), func(root *model.Scope, x *Node) *Node {
		s := root.At("net")
		return Sub(m.Apply(s, x), m.Apply(s, x))
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	out, err := exec.Call(tensors.FromFlatDataAndDimensions([]float32{1, 2, -3, 0.5}, 2, 2))
	if err != nil {
		t.Fatal(err)
	}
	if diff := tensors.MustCopyFlatData[float32](out[0]); !allZero(diff) {
		t.Errorf("two Applies on the same input differ by %v", diff)
	}
	if n := scope.NumVariables(); n != 6 {
		t.Errorf("Apply changed the number of variables to %d, want 6", n)
	}
}

func TestConstructors(t *testing.T) {
	g := nets.Generator(4, []int{32, 16}, 2)
	if g.InDim() != 4 || g.OutDim() != 2 || g.Act != nets.ReLU || g.OutAct != nets.Identity || !slices.Equal(g.Hidden, []int{32, 16}) {
		t.Errorf("Generator(4, [32 16], 2) = %+v, want 4 -> ReLU [32 16] -> linear 2", g)
	}
	d := nets.Discriminator(2, []int{64})
	if d.InDim() != 2 || d.OutDim() != 1 || d.Act != nets.LeakyReLU || d.OutAct != nets.Identity {
		t.Errorf("Discriminator(2, [64]) = %+v, want 2 -> LeakyReLU [64] -> one logit", d)
	}
	if nets.LeakySlope != 0.2 {
		t.Errorf("LeakySlope = %g, want DCGAN's 0.2", nets.LeakySlope)
	}
	var _ nets.Network = g
	names := map[string]bool{}
	for a := nets.Identity; a <= nets.Sigmoid; a++ {
		names[a.String()] = true
	}
	if len(names) != 5 {
		t.Errorf("the five activations have only %d distinct names: %v", len(names), names)
	}
	if s := nets.Activation(42).String(); s != "Activation(42)" {
		t.Errorf("Activation(42).String() = %q", s)
	}
}

// ApplyHidden with no hook is Apply; zeroing the last hidden layer leaves only the output
// layer's biases.
func TestApplyHidden(t *testing.T) {
	m := nets.Discriminator(2, []int{4, 3})
	scope := initMLP(t, m, 4)
	x := []float32{0.5, -1, 2, 0.25}
	want, _ := apply(t, m, scope, x)
	run := func(hook func(int, *Node) *Node) []float32 {
		exec, err := model.NewExec(testBackend(t), scope.Store(), func(root *model.Scope, x *Node) *Node {
			return m.ApplyHidden(m.Params(root.At("net"), x.Graph()), x, hook)
		})
		if err != nil {
			t.Fatal(err)
		}
		defer exec.Finalize()
		out, err := exec.Call(tensors.FromFlatDataAndDimensions(x, 2, 2))
		if err != nil {
			t.Fatal(err)
		}
		return tensors.MustCopyFlatData[float32](out[0])
	}
	var layers []int
	zeroed := run(func(i int, h *Node) *Node {
		layers = append(layers, i)
		if i == 1 {
			return ZerosLike(h)
		}
		return h
	})
	bias, _ := values(t, scope, 2, "biases")
	for i, v := range run(nil) {
		if math.Abs(float64(v-want[i])) > 1e-6 {
			t.Errorf("row %d: ApplyHidden(nil) = %g, Apply = %g", i, v, want[i])
		}
		if zeroed[i] != bias[0] {
			t.Errorf("row %d: with the last hidden layer zeroed, output %g, want the bias %g", i, zeroed[i], bias[0])
		}
	}
	if !slices.Equal(layers, []int{0, 1}) {
		t.Errorf("hook called on layers %v, want [0 1]", layers)
	}
	var _ nets.Hidden = m
}
