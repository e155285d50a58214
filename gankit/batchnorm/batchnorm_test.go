package batchnorm_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/gankit/kit/gankit/batchnorm"
	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// The tests run on gankit's default backend (GOMLX_BACKEND chooses; the pure-Go one under
// -short, see testkit.NewBackend): every backend runs this layer, the pure-Go one because
// it lacks GoMLX's own batch-norm ops.
var newBackend = sync.OnceValues(testkit.NewBackend)

func testBackend(tb testing.TB) compute.Backend {
	tb.Helper()
	b, err := newBackend()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

const scopeName = "bn"

// newLayer returns a store with the layer's variables in /bn: gamma and beta drawn at
// random (around 1 and 0) when random is set, else Init's.
func newLayer(t testing.TB, l batchnorm.Layer, rng *rand.Rand, random bool) *model.Store {
	t.Helper()
	store := model.NewStore()
	scope := store.RootScope().At(scopeName)
	if random {
		gamma, beta := make([]float32, l.Channels), make([]float32, l.Channels)
		for i := range gamma {
			gamma[i] = float32(0.5 + rng.Float64())
			beta[i] = float32(rng.NormFloat64())
		}
		// Init leaves variables that exist alone.
		if _, err := scope.CreateVariable("gamma", tensors.FromFlatDataAndDimensions(gamma, l.Channels)); err != nil {
			t.Fatal(err)
		}
		if _, err := scope.CreateVariable("beta", tensors.FromFlatDataAndDimensions(beta, l.Channels)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Init(scope); err != nil {
		t.Fatal(err)
	}
	return store
}

// variable returns the float64 values of the layer's variable name.
func variable(t testing.TB, store *model.Store, name string) []float64 {
	t.Helper()
	v := store.RootScope().At(scopeName).GetVariable(name)
	if v == nil {
		t.Fatalf("no variable %s/%s", scopeName, name)
	}
	value, err := v.Value()
	if err != nil {
		t.Fatal(err)
	}
	return toFloat64(tensors.MustCopyFlatData[float32](value))
}

func toFloat64[T float32 | float64](v []T) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// randomInput draws x of the given dimensions (channels last) with a different mean and
// scale per channel, so normalising over the wrong axes cannot pass. The values are
// rounded to float32 so that float32 and float64 runs see the same numbers.
func randomInput(rng *rand.Rand, dims ...int) []float64 {
	c := dims[len(dims)-1]
	size := 1
	for _, d := range dims {
		size *= d
	}
	x := make([]float64, size)
	for i := range x {
		ch := i % c
		x[i] = float64(float32(float64(ch) - 1.5 + (0.5+float64(ch%3))*rng.NormFloat64()))
	}
	return x
}

// tensorOf builds a tensor of dtype from float64 values.
func tensorOf(dtype dtypes.DType, v []float64, dims ...int) *tensors.Tensor {
	if dtype == dtypes.Float64 {
		return tensors.FromFlatDataAndDimensions(slices.Clone(v), dims...)
	}
	f := make([]float32, len(v))
	for i, x := range v {
		f[i] = float32(x)
	}
	return tensors.FromFlatDataAndDimensions(f, dims...)
}

func flat(t testing.TB, tensor *tensors.Tensor) []float64 {
	t.Helper()
	switch tensor.DType() {
	case dtypes.Float32:
		return toFloat64(tensors.MustCopyFlatData[float32](tensor))
	case dtypes.Float64:
		return tensors.MustCopyFlatData[float64](tensor)
	}
	t.Fatalf("unexpected dtype %s", tensor.DType())
	return nil
}

// reference is batch norm in training mode in float64: the output, the batch mean and the
// biased batch variance per channel, for x flattened to [n, c].
func reference(x []float64, c int, gamma, beta []float64, eps float64) (y, mean, variance []float64) {
	n := len(x) / c
	mean, variance = make([]float64, c), make([]float64, c)
	for i, v := range x {
		mean[i%c] += v / float64(n)
	}
	for i, v := range x {
		d := v - mean[i%c]
		variance[i%c] += d * d / float64(n)
	}
	y = make([]float64, len(x))
	for i, v := range x {
		ch := i % c
		y[i] = (v-mean[ch])/math.Sqrt(variance[ch]+eps)*gamma[ch] + beta[ch]
	}
	return
}

// referenceGrad is the closed-form gradient of sum(y*dy) through the batch statistics:
// dx = gamma/sqrt(var+eps) * (dy - mean(dy) - xhat*mean(dy*xhat)), dgamma = sum(dy*xhat),
// dbeta = sum(dy), per channel.
func referenceGrad(x, dy []float64, c int, gamma []float64, eps float64) (dx, dgamma, dbeta []float64) {
	n := len(x) / c
	zeros := make([]float64, c)
	ones := make([]float64, c)
	for i := range ones {
		ones[i] = 1
	}
	xhat, _, variance := reference(x, c, ones, zeros, eps)
	dgamma, dbeta = make([]float64, c), make([]float64, c)
	for i := range x {
		dgamma[i%c] += dy[i] * xhat[i]
		dbeta[i%c] += dy[i]
	}
	dx = make([]float64, len(x))
	for i := range x {
		ch := i % c
		dx[i] = gamma[ch] / math.Sqrt(variance[ch]+eps) * (dy[i] - dbeta[ch]/float64(n) - xhat[i]*dgamma[ch]/float64(n))
	}
	return
}

// checkClose fails if got and want differ by more than tol*(1+|want|) anywhere.
func checkClose(t testing.TB, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values, want %d", what, len(got), len(want))
	}
	worst, at := 0.0, -1
	for i := range want {
		if e := math.Abs(got[i]-want[i]) / (1 + math.Abs(want[i])); e > worst || math.IsNaN(e) {
			worst, at = e, i
		}
	}
	if worst > tol || at >= 0 && math.IsNaN(worst) {
		t.Errorf("%s: value %d = %.9g, want %.9g (relative error %.3g > %.3g)", what, at, got[at], want[at], worst, tol)
	}
}

// tolerance per dtype for values of order 1.
func tolerance(dtype dtypes.DType) float64 {
	if dtype == dtypes.Float64 {
		return 1e-6 // the variables are float32 even when x is float64
	}
	return 1e-4 // float32 sums of O(n) terms that partly cancel
}

// trainStep returns an exec that runs the layer in training mode on x and returns y and
// the gradients of sum(y*dy) with respect to x, gamma and beta.
func trainStep(t testing.TB, l batchnorm.Layer, store *model.Store) *model.Exec {
	t.Helper()
	exec, err := model.NewExec(testBackend(t), store, func(scope *model.Scope, x, dy *Node) []*Node {
		g := x.Graph()
		scope.Store().SetTraining(g, true)
		bn := scope.At(scopeName)
		y := l.Apply(bn, x)
		loss := ReduceAllSum(Mul(y, dy))
		grads := Gradient(loss, x, bn.GetVariable("gamma").NodeValue(g), bn.GetVariable("beta").NodeValue(g))
		return append([]*Node{y}, grads...)
	})
	if err != nil {
		t.Fatal(err)
	}
	return exec
}

var shapesToTest = [][]int{{4, 5, 3, 6}, {16, 7}, {2, 3}}

func TestTrainingForwardAndGradient(t *testing.T) {
	for _, dtype := range []dtypes.DType{dtypes.Float32, dtypes.Float64} {
		for si, dims := range shapesToTest {
			t.Run(fmt.Sprintf("%s%v", dtype, dims), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(si), 7))
				c := dims[len(dims)-1]
				l := batchnorm.Layer{Channels: c}
				store := newLayer(t, l, rng, true)
				gamma, beta := variable(t, store, "gamma"), variable(t, store, "beta")
				x, dy := randomInput(rng, dims...), randomInput(rng, dims...)
				exec := trainStep(t, l, store)
				defer exec.Finalize()
				out, err := exec.Exec(tensorOf(dtype, x, dims...), tensorOf(dtype, dy, dims...))
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(out[0].Shape().Dimensions, dims) || out[0].DType() != dtype {
					t.Fatalf("output shape %s, want %s%v", out[0].Shape(), dtype, dims)
				}
				tol := tolerance(dtype)
				wantY, _, _ := reference(x, c, gamma, beta, batchnorm.DefaultEpsilon)
				checkClose(t, "y", flat(t, out[0]), wantY, tol)
				wantDx, wantDgamma, wantDbeta := referenceGrad(x, dy, c, gamma, batchnorm.DefaultEpsilon)
				checkClose(t, "dx", flat(t, out[1]), wantDx, tol)
				checkClose(t, "dgamma", flat(t, out[2]), wantDgamma, tol)
				checkClose(t, "dbeta", flat(t, out[3]), wantDbeta, tol)
			})
		}
	}
}

// The gradient with respect to x also matches central finite differences of the graph's
// own loss in float64, independently of the closed form.
func TestGradientFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	dims := []int{5, 2, 3}
	c := dims[len(dims)-1]
	l := batchnorm.Layer{Channels: c, Epsilon: 1e-3}
	store := newLayer(t, l, rng, true)
	x, w := randomInput(rng, dims...), randomInput(rng, dims...)
	// A non-linear loss, so dy is not constant: sum(w*y + y^3/3).
	exec, err := model.NewExec(testBackend(t), store, func(scope *model.Scope, x, w *Node) []*Node {
		scope.Store().SetTraining(x.Graph(), true)
		y := l.Apply(scope.At(scopeName), x)
		loss := ReduceAllSum(Add(Mul(w, y), MulScalar(Mul(y, Mul(y, y)), 1.0/3)))
		return []*Node{loss, Gradient(loss, x)[0]}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	loss := func(x []float64) (float64, []float64) {
		out, err := exec.Exec(tensorOf(dtypes.Float64, x, dims...), tensorOf(dtypes.Float64, w, dims...))
		if err != nil {
			t.Fatal(err)
		}
		return flat(t, out[0])[0], flat(t, out[1])
	}
	_, grad := loss(x)
	const h = 1e-5
	numeric := make([]float64, len(x))
	for i := range x {
		xp, xm := slices.Clone(x), slices.Clone(x)
		xp[i] += h
		xm[i] -= h
		lp, _ := loss(xp)
		lm, _ := loss(xm)
		numeric[i] = (lp - lm) / (2 * h)
	}
	checkClose(t, "dx vs finite differences", grad, numeric, 1e-6)
}

// Second-order gradients through the batch statistics (as a gradient penalty needs) are
// exact: the gradient of <dL/dx, v> with respect to x, a Hessian-vector product, matches
// central differences of the graph's first-order gradient along v.
func TestSecondOrderGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 1))
	dims := []int{6, 2, 2}
	c := dims[len(dims)-1]
	l := batchnorm.Layer{Channels: c, Epsilon: 1e-3}
	store := newLayer(t, l, rng, true)
	x, w, v := randomInput(rng, dims...), randomInput(rng, dims...), randomInput(rng, dims...)
	exec, err := model.NewExec(testBackend(t), store, func(scope *model.Scope, x, w, v *Node) []*Node {
		scope.Store().SetTraining(x.Graph(), true)
		y := l.Apply(scope.At(scopeName), x)
		loss := ReduceAllSum(Add(Mul(w, y), MulScalar(Mul(y, Mul(y, y)), 1.0/3)))
		grad := Gradient(loss, x)[0]
		hv := Gradient(ReduceAllSum(Mul(grad, v)), x)[0]
		return []*Node{grad, hv}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	run := func(x []float64) (grad, hv []float64) {
		out, err := exec.Exec(tensorOf(dtypes.Float64, x, dims...), tensorOf(dtypes.Float64, w, dims...), tensorOf(dtypes.Float64, v, dims...))
		if err != nil {
			t.Fatal(err)
		}
		return flat(t, out[0]), flat(t, out[1])
	}
	_, hv := run(x)
	const h = 1e-5
	xp, xm := slices.Clone(x), slices.Clone(x)
	for i := range x {
		xp[i] += h * v[i]
		xm[i] -= h * v[i]
	}
	gp, _ := run(xp)
	gm, _ := run(xm)
	numeric := make([]float64, len(x))
	for i := range numeric {
		numeric[i] = (gp[i] - gm[i]) / (2 * h)
	}
	checkClose(t, "Hessian-vector product vs finite differences", hv, numeric, 1e-5)
}

// In inference mode the gradient is that of the affine map with the running statistics.
func TestInferenceGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	dims := []int{3, 4, 5}
	c := dims[len(dims)-1]
	l := batchnorm.Layer{Channels: c}
	store := newLayer(t, l, rng, true)
	bn := store.RootScope().At(scopeName)
	rm, rv := make([]float32, c), make([]float32, c)
	for i := range rm {
		rm[i], rv[i] = float32(rng.NormFloat64()), float32(0.5+rng.Float64())
	}
	if err := bn.GetVariable("mean").SetValue(tensors.FromFlatDataAndDimensions(rm, c)); err != nil {
		t.Fatal(err)
	}
	if err := bn.GetVariable("var").SetValue(tensors.FromFlatDataAndDimensions(rv, c)); err != nil {
		t.Fatal(err)
	}
	gamma, beta := variable(t, store, "gamma"), variable(t, store, "beta")
	x, dy := randomInput(rng, dims...), randomInput(rng, dims...)
	exec, err := model.NewExec(testBackend(t), store, func(scope *model.Scope, x, dy *Node) []*Node {
		g := x.Graph()
		s := scope.At(scopeName)
		y := l.Apply(s, x)
		grads := Gradient(ReduceAllSum(Mul(y, dy)), x, s.GetVariable("gamma").NodeValue(g), s.GetVariable("beta").NodeValue(g))
		return append([]*Node{y}, grads...)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	out, err := exec.Exec(tensorOf(dtypes.Float64, x, dims...), tensorOf(dtypes.Float64, dy, dims...))
	if err != nil {
		t.Fatal(err)
	}
	wantY, wantDx := make([]float64, len(x)), make([]float64, len(x))
	wantDgamma, wantDbeta := make([]float64, c), make([]float64, c)
	for i := range x {
		ch := i % c
		inv := 1 / math.Sqrt(float64(rv[ch])+batchnorm.DefaultEpsilon)
		xhat := (x[i] - float64(rm[ch])) * inv
		wantY[i] = xhat*gamma[ch] + beta[ch]
		wantDx[i] = dy[i] * gamma[ch] * inv
		wantDgamma[ch] += dy[i] * xhat
		wantDbeta[ch] += dy[i]
	}
	checkClose(t, "y", flat(t, out[0]), wantY, 1e-6)
	checkClose(t, "dx", flat(t, out[1]), wantDx, 1e-6)
	checkClose(t, "dgamma", flat(t, out[2]), wantDgamma, 1e-6)
	checkClose(t, "dbeta", flat(t, out[3]), wantDbeta, 1e-6)
	for name, before := range map[string][]float32{"mean": rm, "var": rv} {
		if got := variable(t, store, name); !slices.Equal(got, toFloat64(before)) {
			t.Errorf("inference changed the running %s: %v -> %v", name, before, got)
		}
	}
}

// runningReference applies PyTorch's update for one forward call on x.
func runningReference(mean, variance, x []float64, c int, momentum float64) {
	n := float64(len(x) / c)
	ones, zeros := make([]float64, c), make([]float64, c)
	_, bm, bv := reference(x, c, ones, zeros, 0)
	for ch := range c {
		mean[ch] = (1-momentum)*mean[ch] + momentum*bm[ch]
		variance[ch] = (1-momentum)*variance[ch] + momentum*bv[ch]*n/(n-1)
	}
}

// inference runs the layer in inference mode and returns y.
func inference(t testing.TB, l batchnorm.Layer, store *model.Store, x []float64, dims []int) []float64 {
	t.Helper()
	exec, err := model.NewExec(testBackend(t), store, func(scope *model.Scope, x *Node) *Node {
		return l.Apply(scope.At(scopeName), x) // training is off unless set
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	out, err := exec.Exec(tensorOf(dtypes.Float32, x, dims...))
	if err != nil {
		t.Fatal(err)
	}
	return flat(t, out[0])
}

// Running statistics follow PyTorch's recurrence with the unbiased variance, once per
// Apply call, also when Apply is called twice in one graph; inference uses them and
// changes nothing.
func TestRunningStatistics(t *testing.T) {
	for _, tc := range []struct {
		name     string
		momentum float64 // as given to Layer
		calls    int     // Apply calls per graph
	}{
		{"default momentum, one call", 0, 1},
		{"momentum 0.3, two calls", 0.3, 2},
		{"momentum 1, one call", 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, uint64(tc.calls)))
			dims := []int{6, 3, 2, 4}
			c := dims[len(dims)-1]
			l := batchnorm.Layer{Channels: c, Momentum: tc.momentum}
			momentum := tc.momentum
			if momentum == 0 {
				momentum = 0.1
			}
			store := newLayer(t, l, rng, true)
			if got := variable(t, store, "mean"); !slices.Equal(got, make([]float64, c)) {
				t.Fatalf("initial running mean %v, want zeros", got)
			}
			wantMean, wantVar := make([]float64, c), make([]float64, c)
			for i := range wantVar {
				wantVar[i] = 1
			}
			checkClose(t, "initial running var", variable(t, store, "var"), wantVar, 0)

			exec, err := model.NewExec(testBackend(t), store, func(scope *model.Scope, xs []*Node) []*Node {
				scope.Store().SetTraining(xs[0].Graph(), true)
				var ys []*Node
				for _, x := range xs {
					ys = append(ys, l.Apply(scope.At(scopeName), x))
				}
				return ys
			})
			if err != nil {
				t.Fatal(err)
			}
			defer exec.Finalize()
			for step := range 3 {
				var args []any
				for range tc.calls {
					x := randomInput(rng, dims...)
					args = append(args, tensorOf(dtypes.Float32, x, dims...))
					runningReference(wantMean, wantVar, x, c, momentum)
				}
				if _, err := exec.Exec(args...); err != nil {
					t.Fatal(err)
				}
				checkClose(t, fmt.Sprintf("running mean after step %d", step+1), variable(t, store, "mean"), wantMean, 2e-6)
				checkClose(t, fmt.Sprintf("running var after step %d", step+1), variable(t, store, "var"), wantVar, 2e-6)
			}

			// Inference normalises with the running statistics ...
			x := randomInput(rng, dims...)
			gamma, beta := variable(t, store, "gamma"), variable(t, store, "beta")
			meanBefore, varBefore := variable(t, store, "mean"), variable(t, store, "var")
			want := make([]float64, len(x))
			for i, v := range x {
				ch := i % c
				want[i] = (v-meanBefore[ch])/math.Sqrt(varBefore[ch]+batchnorm.DefaultEpsilon)*gamma[ch] + beta[ch]
			}
			checkClose(t, "inference y", inference(t, l, store, x, dims), want, 2e-6)
			// ... and leaves them alone.
			if got := variable(t, store, "mean"); !slices.Equal(got, meanBefore) {
				t.Errorf("inference changed the running mean: %v -> %v", meanBefore, got)
			}
			if got := variable(t, store, "var"); !slices.Equal(got, varBefore) {
				t.Errorf("inference changed the running var: %v -> %v", varBefore, got)
			}
		})
	}
}

// In a discriminator step as a GAN builds it (D applied to a real and a generated batch in
// one graph, Adam on D's trainable variables), the optimizer skips the running statistics
// and each batch is normalised with its own statistics.
func TestWithOptimizer(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	dims := []int{8, 3}
	c := dims[1]
	l := batchnorm.Layer{Channels: c}
	store := newLayer(t, l, rng, false)
	bn := store.RootScope().At(scopeName)
	for name, want := range map[string]bool{"gamma": true, "beta": true, "mean": false, "var": false} {
		if got := bn.GetVariable(name).Trainable; got != want {
			t.Errorf("%s trainable = %v, want %v", name, got, want)
		}
	}
	opt := optimizer.Adam().LearningRate(0.1).Done()
	exec, err := model.NewExec(testBackend(t), store, func(scope *model.Scope, real, fake *Node) []*Node {
		scope.Store().SetTraining(real.Graph(), true)
		d := scope.At(scopeName)
		yReal, yFake := l.Apply(d, real), l.Apply(d, fake)
		loss := Add(ReduceAllSum(Mul(yReal, yReal)), ReduceAllSum(yFake))
		opt.UpdateGraph(d, real.Graph(), loss)
		return []*Node{yReal, yFake}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	real, fake := randomInput(rng, dims...), randomInput(rng, dims...)
	wantMean, wantVar := make([]float64, c), []float64{1, 1, 1}
	runningReference(wantMean, wantVar, real, c, 0.1)
	runningReference(wantMean, wantVar, fake, c, 0.1)
	out, err := exec.Exec(tensorOf(dtypes.Float32, real, dims...), tensorOf(dtypes.Float32, fake, dims...))
	if err != nil {
		t.Fatal(err)
	}
	ones, zeros := []float64{1, 1, 1}, make([]float64, c)
	wantReal, _, _ := reference(real, c, ones, zeros, batchnorm.DefaultEpsilon)
	wantFake, _, _ := reference(fake, c, ones, zeros, batchnorm.DefaultEpsilon)
	checkClose(t, "y on real", flat(t, out[0]), wantReal, 2e-5)
	checkClose(t, "y on fake", flat(t, out[1]), wantFake, 2e-5)
	checkClose(t, "running mean", variable(t, store, "mean"), wantMean, 2e-6)
	checkClose(t, "running var", variable(t, store, "var"), wantVar, 2e-6)
	if beta := variable(t, store, "beta"); slices.Equal(beta, zeros) {
		t.Errorf("Adam did not update beta: %v", beta)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		layer batchnorm.Layer
		err   string // "" if valid
	}{
		{batchnorm.Layer{Channels: 1}, ""},
		{batchnorm.Layer{Channels: 64, Momentum: 1, Epsilon: 1e-3}, ""},
		{batchnorm.Layer{Channels: 0}, "Channels"},
		{batchnorm.Layer{Channels: -3}, "Channels"},
		{batchnorm.Layer{Channels: 2, Momentum: -0.1}, "Momentum"},
		{batchnorm.Layer{Channels: 2, Momentum: 1.5}, "Momentum"},
		{batchnorm.Layer{Channels: 2, Momentum: math.NaN()}, "Momentum"},
		{batchnorm.Layer{Channels: 2, Epsilon: -1e-5}, "Epsilon"},
		{batchnorm.Layer{Channels: 2, Epsilon: math.Inf(1)}, "Epsilon"},
		{batchnorm.Layer{Channels: 2, Epsilon: math.NaN()}, "Epsilon"},
	} {
		err := tc.layer.Validate()
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%+v: unexpected error %v", tc.layer, err)
		case tc.err != "" && err == nil:
			t.Errorf("%+v: no error, want one about %s", tc.layer, tc.err)
		case tc.err != "" && !strings.Contains(err.Error(), tc.err):
			t.Errorf("%+v: error %q does not mention %s", tc.layer, err, tc.err)
		}
		if initErr := tc.layer.Init(model.NewStore().RootScope().At("x")); (initErr == nil) != (tc.err == "") {
			t.Errorf("%+v: Init error %v, want as Validate's (%v)", tc.layer, initErr, err)
		}
	}
}

func TestInitErrors(t *testing.T) {
	scope := model.NewStore().RootScope().At(scopeName)
	if _, err := scope.CreateVariable("var", tensors.FromFlatDataAndDimensions([]float32{1, 1}, 2)); err != nil {
		t.Fatal(err)
	}
	err := batchnorm.Layer{Channels: 3}.Init(scope)
	if err == nil || !strings.Contains(err.Error(), "/bn/var") {
		t.Errorf("Init over a [2] variable for 3 channels: error %v, want one naming /bn/var", err)
	}
}

// expectPanic runs build in a fresh graph and checks that it panics with a message
// containing every one of want.
func expectPanic(t *testing.T, name string, build func(g *Graph), want ...string) {
	t.Helper()
	g := NewGraph(testBackend(t), name)
	defer g.Finalize()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("%s: no panic", name)
			return
		}
		for _, w := range want {
			if msg := fmt.Sprint(r); !strings.Contains(msg, w) {
				t.Errorf("%s: panic %q does not mention %q", name, msg, w)
			}
		}
	}()
	build(g)
}

func TestApplyPanics(t *testing.T) {
	l := batchnorm.Layer{Channels: 3}
	param := func(g *Graph, dims ...int) *Node { return Parameter(g, "x", shapes.Make(dtypes.Float32, dims...)) }
	expectPanic(t, "no Init", func(g *Graph) {
		store := model.NewStore()
		model.SetStore(g, store)
		l.Apply(store.RootScope().At("d"), param(g, 4, 3))
	}, "Init", "/d")

	withStore := func(training bool, dims ...int) func(g *Graph) {
		return func(g *Graph) {
			store := newLayer(t, l, nil, false)
			model.SetStore(g, store)
			store.SetTraining(g, training)
			l.Apply(store.RootScope().At(scopeName), param(g, dims...))
		}
	}
	expectPanic(t, "wrong channels", withStore(false, 4, 2), "[batch, ..., 3]")
	expectPanic(t, "rank 1", withStore(false, 3), "[batch, ..., 3]")
	expectPanic(t, "one value per channel", withStore(true, 1, 3), "more than 1 value per channel")
}

// Example normalises a batch of 4 samples with 2 channels in training mode, which also
// updates the running statistics, and then evaluates a sample with them.
func Example() {
	backend, err := compute.NewWithConfig("go") // the pure-Go backend
	if err != nil {
		panic(err)
	}
	store := model.NewStore()
	bn := batchnorm.Layer{Channels: 2} // PyTorch's defaults: momentum 0.1, epsilon 1e-5
	if err := bn.Init(store.RootScope().At("bn")); err != nil {
		panic(err)
	}
	apply := func(scope *model.Scope, x *Node) *Node { return bn.Apply(scope.At("bn"), x) }
	train := model.MustNewExec(backend, store, func(scope *model.Scope, x *Node) *Node {
		scope.Store().SetTraining(x.Graph(), true)
		return apply(scope, x)
	})
	eval := model.MustNewExec(backend, store, apply)

	batch := [][]float32{{1, 10}, {2, 20}, {3, 30}, {4, 40}}
	fmt.Printf("training: %.3f\n", train.MustExec(batch)[0].Value())
	mean, _ := store.RootScope().At("bn").GetVariable("mean").Value()
	variance, _ := store.RootScope().At("bn").GetVariable("var").Value()
	fmt.Printf("running mean %.3f, running var %.3f\n", mean.Value(), variance.Value())
	fmt.Printf("inference: %.3f\n", eval.MustExec([][]float32{{2.5, 25}})[0].Value())
	// Output:
	// training: [[-1.342 -1.342] [-0.447 -0.447] [0.447 0.447] [1.342 1.342]]
	// running mean [0.250 2.500], running var [1.067 17.567]
	// inference: [[2.179 5.368]]
}

// reportCPU reports the process's CPU time per iteration (user and system) when the
// returned function runs: on a shared machine it varies less than wall time.
func reportCPU(b *testing.B) func() {
	var start syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &start); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	return func() {
		var end syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &end); err != nil {
			b.Fatal(err)
		}
		ns := end.Utime.Nano() + end.Stime.Nano() - start.Utime.Nano() - start.Stime.Nano()
		b.ReportMetric(float64(ns)/1e6/float64(b.N), "cpu-ms/op")
	}
}

func benchmarkTrain(b *testing.B, dims ...int) {
	c := dims[len(dims)-1]
	l := batchnorm.Layer{Channels: c}
	rng := rand.New(rand.NewPCG(1, 1))
	store := newLayer(b, l, rng, true)
	exec := trainStep(b, l, store)
	defer exec.Finalize()
	x, dy := tensorOf(dtypes.Float32, randomInput(rng, dims...), dims...), tensorOf(dtypes.Float32, randomInput(rng, dims...), dims...)
	if _, err := exec.Exec(x, dy); err != nil { // compiles
		b.Fatal(err)
	}
	defer reportCPU(b)()
	for b.Loop() {
		out, err := exec.Exec(x, dy)
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range out {
			o.FinalizeAll()
		}
	}
}

// BenchmarkTrainForwardBackward: training-mode forward, running-statistics update and the
// gradients with respect to x, gamma and beta on a DCGAN-sized activation.
func BenchmarkTrainForwardBackward(b *testing.B) { benchmarkTrain(b, 64, 14, 14, 64) }

// BenchmarkInferenceForward: inference-mode forward on the same activation.
func BenchmarkInferenceForward(b *testing.B) {
	dims := []int{64, 14, 14, 64}
	l := batchnorm.Layer{Channels: dims[3]}
	rng := rand.New(rand.NewPCG(1, 1))
	store := newLayer(b, l, rng, true)
	exec, err := model.NewExec(testBackend(b), store, func(scope *model.Scope, x *Node) *Node {
		return l.Apply(scope.At(scopeName), x)
	})
	if err != nil {
		b.Fatal(err)
	}
	defer exec.Finalize()
	x := tensorOf(dtypes.Float32, randomInput(rng, dims...), dims...)
	if _, err := exec.Exec(x); err != nil {
		b.Fatal(err)
	}
	defer reportCPU(b)()
	for b.Loop() {
		out, err := exec.Exec(x)
		if err != nil {
			b.Fatal(err)
		}
		out[0].FinalizeAll()
	}
}

// BenchmarkConvForComparison: forward and backward (gradients with respect to the input and
// the kernel) of GoMLX's own 3x3, 64 -> 64 convolution on the same activation, the layer
// batch norm usually follows. It takes seconds per iteration: run it with -benchtime=1x.
func BenchmarkConvForComparison(b *testing.B) {
	dims := []int{64, 14, 14, 64}
	rng := rand.New(rand.NewPCG(1, 1))
	exec, err := NewExec(testBackend(b), func(x, kernel, dy *Node) []*Node {
		y := Convolve(x, kernel).PadSame().Done()
		return Gradient(ReduceAllSum(Mul(y, dy)), x, kernel)
	})
	if err != nil {
		b.Fatal(err)
	}
	defer exec.Finalize()
	x := tensorOf(dtypes.Float32, randomInput(rng, dims...), dims...)
	kernel := tensorOf(dtypes.Float32, randomInput(rng, 3, 3, 64, 64), 3, 3, 64, 64)
	dy := tensorOf(dtypes.Float32, randomInput(rng, dims...), dims...)
	if _, err := exec.Exec(x, kernel, dy); err != nil {
		b.Fatal(err)
	}
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := exec.Exec(x, kernel, dy); err != nil {
			b.Fatal(err)
		}
	}
}
