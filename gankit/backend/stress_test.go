package backend_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Sizes of the stress test. The pure-Go backend's matmul only asks the worker pool for
// workers (Pool.Saturate) from 4 Mi multiply-adds up (batch·m·n·k >=
// SmallMatMulSizeThreshold in compute v0.1.14); smaller ones run inline in the op's
// goroutine and cannot deadlock. Hidden layers of 128 at batch 256 make every 128×128
// layer (forward, gradient with respect to the input, gradient with respect to the
// weights) exactly 256·128·128 = 4 Mi, so many pool-using matmuls are ready at once in
// each step. Smaller networks (64-64 MLPs at batch 64) never reach the pool, and a test
// made of them could not catch the deadlock.
const (
	stressRuns      = 200 // fresh GANs, each with its step compiled anew; stressShortRuns under -short
	stressShortRuns = 40
	stressIters     = 20 // training iterations per GAN
	stressHidden    = 128
	stressBatch     = 256
	stressConvEvery = 4 // every stressConvEvery-th run also runs the conv+matmul graph
	stressConvCalls = 5
	// stressStall is how long the test waits without any progress (an iteration or a
	// conv+matmul call) before it declares a deadlock. One iteration takes milliseconds.
	stressStall = 30 * time.Second
)

// TestNoDeadlockUnderStress trains many short ring GANs (stressGAN), and runs a small
// conv+matmul graph, on the pure-Go backend (GoConfig, or the pure-Go configuration
// GOMLX_BACKEND names), under a watchdog: if nothing progresses for stressStall it fails
// with every goroutine's stack.
//
// The GANs are built here from GoMLX's graph package alone, so that the backend's test
// depends on no package above it; their graphs have the shapes that matter to the pool
// (the sizes above), not the kit's trainers' features.
//
// It guards against the worker-pool deadlock of the pure-Go backend with a bounded pool
// (see GoConfig), so it runs there whatever the default backend is. Run it on another
// pure-Go configuration with, for example,
//
//	GOMLX_BACKEND=go:parallelism=2 GOEXPERIMENT=simd go test -run Stress ./gankit/backend/
//
// which, where its bounded pool deadlocks, fails within stressStall with every
// goroutine's stack.
func TestNoDeadlockUnderStress(t *testing.T) {
	runs := stressRuns
	if testing.Short() {
		runs = stressShortRuns
	}
	config := backend.GoConfig
	if c := os.Getenv(backend.EnvVar); c == "go" || strings.HasPrefix(c, "go:") {
		config = c
	}
	b, err := backend.NewWithConfig(config)
	if err != nil {
		t.Fatal(err)
	}

	var progress atomic.Int64 // iterations and conv+matmul calls done so far
	var current atomic.Int64  // the run in progress
	var phase atomic.Value    // what that run is doing, for the failure message
	phase.Store("compiling the first GAN's step")
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		done <- stress(b, runs, &progress, &current, &phase)
	}()

	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	last, lastChange := progress.Load(), time.Now()
	for {
		select {
		case err := <-done:
			b.Finalize()
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d runs (%d iterations of a %d-%d ring GAN at batch %d each; conv+matmul graph in every %dth) on %q in %.1fs",
				runs, stressIters, stressHidden, stressHidden, stressBatch, stressConvEvery, config, time.Since(start).Seconds())
			return
		case <-tick.C:
			if p := progress.Load(); p != last {
				last, lastChange = p, time.Now()
				continue
			}
			if time.Since(lastChange) < stressStall {
				continue
			}
			// Stuck. The backend is left alone (not finalized): its goroutines are blocked.
			var stacks bytes.Buffer
			if err := pprof.Lookup("goroutine").WriteTo(&stacks, 2); err != nil {
				fmt.Fprintf(&stacks, "(cannot dump the goroutines: %v)", err)
			}
			t.Fatalf("no progress for %v in run %d of %d (%s; %d steps done in all) on backend %q: "+
				"deadlock, most likely in the pure-Go backend's worker pool (see backend.GoConfig). Goroutines:\n%s",
				stressStall, current.Load(), runs, phase.Load(), last, config, stacks.String())
		}
	}
}

// stress does the work of TestNoDeadlockUnderStress, counting each step in progress.
func stress(b compute.Backend, runs int, progress, current *atomic.Int64, phase *atomic.Value) error {
	for run := range runs {
		current.Store(int64(run))
		phase.Store("compiling the GAN's step")
		if err := stressGAN(b, run, progress, phase); err != nil {
			return fmt.Errorf("run %d, GAN: %w", run, err)
		}
		if run%stressConvEvery == stressConvEvery-1 {
			if err := convMatMul(b, run, progress, phase); err != nil {
				return fmt.Errorf("run %d, conv+matmul graph: %w", run, err)
			}
		}
	}
	return nil
}

// stressGAN trains a fresh GAN on a ring of 8 Gaussians for stressIters iterations, each one
// compiled step: G and D are MLPs 2-128-128-2 and 2-128-128-1 (ReLU in G, LeakyReLU 0.2 in
// D), D takes a gradient step on the BCE of real and generated points, then G on the
// non-saturating loss against the updated D, both by plain gradient descent. The
// parameters go in and come back out of the step, so every iteration runs the same
// compiled graph on new values.
func stressGAN(b compute.Backend, run int, progress *atomic.Int64, phase *atomic.Value) error {
	const (
		h    = stressHidden
		n    = stressBatch
		lr   = 1e-3
		nG   = 6 // G's parameters: 3 weights, 3 biases
		nD   = 6
		leak = 0.2 // LeakyReLU slope
	)
	// Parameter shapes: weight [in, out], then bias [1, out], per layer.
	dims := [][2]int{{2, h}, {h, h}, {h, 2}, {2, h}, {h, h}, {h, 1}} // G's 3 layers, then D's
	mlp := func(x *graph.Node, p []*graph.Node, act func(*graph.Node) *graph.Node) *graph.Node {
		for l := range 3 {
			x = graph.Add(graph.MatMul(x, p[2*l]), p[2*l+1])
			if l < 2 {
				x = act(x)
			}
		}
		return x
	}
	relu := func(x *graph.Node) *graph.Node { return graph.MaxScalar(x, 0) }
	leaky := func(x *graph.Node) *graph.Node { return graph.Max(x, graph.MulScalar(x, leak)) }
	descend := func(p []*graph.Node, loss *graph.Node) []*graph.Node {
		grads := graph.Gradient(loss, p...)
		next := make([]*graph.Node, len(p))
		for i := range p {
			next[i] = graph.Sub(p[i], graph.MulScalar(grads[i], lr))
		}
		return next
	}
	exec, err := graph.NewExec(b, func(in []*graph.Node) []*graph.Node {
		g, d, real, z := in[:nG], in[nG:nG+nD], in[nG+nD], in[nG+nD+1]
		fake := graph.StopGradient(mlp(z, g, relu))
		// D: -log D(real) - log(1 - D(fake)) on logits, softplus(-l) and softplus(l).
		dLoss := graph.Add(graph.ReduceAllMean(graph.Softplus(graph.Neg(mlp(real, d, leaky)))),
			graph.ReduceAllMean(graph.Softplus(mlp(fake, d, leaky))))
		d = descend(d, dLoss)
		// G: the non-saturating -log D(G(z)), against D's new parameters.
		gLoss := graph.ReduceAllMean(graph.Softplus(graph.Neg(mlp(mlp(z, g, relu), d, leaky))))
		g = descend(g, gLoss)
		return append(append(append([]*graph.Node{}, g...), d...), dLoss, gLoss)
	})
	if err != nil {
		return err
	}
	defer exec.Finalize()

	rng := rand.New(rand.NewPCG(uint64(run)+1, 2))
	params := make([]any, 0, nG+nD+2)
	for _, dim := range dims {
		bound := 1 / math.Sqrt(float64(dim[0])) // PyTorch's nn.Linear default
		for _, shape := range [][2]int{dim, {1, dim[1]}} {
			v := make([]float32, shape[0]*shape[1])
			for k := range v {
				v[k] = float32((rng.Float64()*2 - 1) * bound)
			}
			params = append(params, tensors.FromFlatDataAndDimensions(v, shape[0], shape[1]))
		}
	}
	ring := func() []float32 { // n points of a ring of 8 Gaussians, radius 2, sd 0.02
		v := make([]float32, 2*n)
		for i := range n {
			a := 2 * math.Pi * float64(rng.IntN(8)) / 8
			v[2*i] = float32(2*math.Cos(a) + 0.02*rng.NormFloat64())
			v[2*i+1] = float32(2*math.Sin(a) + 0.02*rng.NormFloat64())
		}
		return v
	}
	noise := func() []float32 {
		v := make([]float32, 2*n)
		for i := range v {
			v[i] = float32(rng.NormFloat64())
		}
		return v
	}
	for i := range stressIters {
		phase.Store(fmt.Sprintf("training iteration %d", i))
		args := append(params[:nG+nD:nG+nD],
			tensors.FromFlatDataAndDimensions(ring(), n, 2),
			tensors.FromFlatDataAndDimensions(noise(), n, 2))
		out, err := exec.Call(args...)
		if err != nil {
			return fmt.Errorf("iteration %d: %w", i, err)
		}
		for j, l := range out[nG+nD:] {
			if v := float64(tensors.MustCopyFlatData[float32](l)[0]); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("iteration %d: %s loss %v, want a finite number", i, []string{"D's", "G's"}[j], v)
			}
		}
		for j, p := range out[:nG+nD] {
			params[j] = p
		}
		progress.Add(1)
	}
	return nil
}

// convMatMul runs, forward only, a graph of two independent 3×3 convolutions, each followed
// by a matmul: both convolutions (16 Ki outputs, split into chunks with Pool.WaitToStart)
// and both matmuls (4 Mi multiply-adds, Pool.Saturate) can run at the same time, each
// asking the pool for workers while it runs inside it.
func convMatMul(b compute.Backend, run int, progress *atomic.Int64, phase *atomic.Value) error {
	const (
		batch, side, in, out = 4, 16, 8, 16
		features             = side * side * out // 4096
		units                = 256
	)
	phase.Store("compiling the conv+matmul graph")
	exec, err := graph.NewExec(b, func(p []*graph.Node) *graph.Node {
		x, k1, k2, w1, w2 := p[0], p[1], p[2], p[3], p[4]
		branch := func(k, w *graph.Node) *graph.Node {
			c := graph.Convolve(x, k).PadSame().Done() // [batch, side, side, out]
			return graph.MatMul(graph.Reshape(c, batch, features), w)
		}
		return graph.ReduceAllSum(graph.Add(branch(k1, w1), branch(k2, w2)))
	})
	if err != nil {
		return err
	}
	defer exec.Finalize()
	rng := rand.New(rand.NewPCG(uint64(run), 1))
	uniform := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = rng.Float32()*2 - 1
		}
		return v
	}
	for call := range stressConvCalls {
		phase.Store(fmt.Sprintf("conv+matmul call %d", call))
		res, err := exec.Call(
			tensors.FromFlatDataAndDimensions(uniform(batch*side*side*in), batch, side, side, in),
			tensors.FromFlatDataAndDimensions(uniform(3*3*in*out), 3, 3, in, out),
			tensors.FromFlatDataAndDimensions(uniform(3*3*in*out), 3, 3, in, out),
			tensors.FromFlatDataAndDimensions(uniform(features*units), features, units),
			tensors.FromFlatDataAndDimensions(uniform(features*units), features, units),
		)
		if err != nil {
			return err
		}
		sum := tensors.MustCopyFlatData[float32](res[0])[0]
		if math.IsNaN(float64(sum)) || math.IsInf(float64(sum), 0) {
			return fmt.Errorf("call %d: sum %v, want a finite number", call, sum)
		}
		progress.Add(1)
	}
	return nil
}
