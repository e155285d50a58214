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
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Sizes of the stress test. The pure-Go backend's matmul only asks the worker pool for
// workers (Pool.Saturate) from 4 Mi multiply-adds up (batch·m·n·k >=
// SmallMatMulSizeThreshold in compute v0.1.14, noSIMDSmallMatMulSizeThreshold in v0.1.6);
// smaller ones run inline in the op's goroutine and cannot deadlock. Hidden layers of 128
// at batch 256 make every 128×128 layer (forward, gradient with respect to the input,
// gradient with respect to the weights) exactly 256·128·128 = 4 Mi, so many pool-using
// matmuls are ready at once in each step. (64-64 MLPs at batch 64 never reach the pool:
// 200 such runs passed on "go:parallelism=2", which deadlocks at the first step with the
// sizes below.)
const (
	stressRuns      = 200 // fresh trainers; stressShortRuns under -short
	stressShortRuns = 40
	stressIters     = 20 // training iterations per trainer
	stressHidden    = 128
	stressBatch     = 256
	stressConvEvery = 4 // every stressConvEvery-th run also runs the conv+matmul graph
	stressConvCalls = 5
	// stressStall is how long the test waits without any progress (an iteration or a
	// conv+matmul call) before it declares a deadlock. One iteration takes milliseconds.
	stressStall = 30 * time.Second
)

// TestNoDeadlockUnderStress trains many short ring GANs, and runs a small conv+matmul graph,
// on the pure-Go backend (GoConfig, or the pure-Go configuration GOMLX_BACKEND names), under
// a watchdog: if nothing progresses for stressStall it fails with every goroutine's stack.
//
// It guards against the worker-pool deadlock of the pure-Go backend with a bounded pool
// (see GoConfig), so it runs there whatever the default backend is. Run it on another
// pure-Go configuration with, for example,
//
//	GOMLX_BACKEND=go:parallelism=2 GOEXPERIMENT=simd go test -run Stress ./gankit/backend/
//
// which deadlocks and fails within stressStall.
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
	phase.Store("creating the first trainer")
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
		phase.Store("creating the trainer")
		tr, err := pointgan.New(b, pointgan.Config{
			Target:        target.Ring(8, 2, 0.02),
			Generator:     nets.Generator(2, []int{stressHidden, stressHidden}, 2),
			Discriminator: nets.Discriminator(2, []int{stressHidden, stressHidden}),
			GeneratorLoss: losses.NonSaturating,
			BatchSize:     stressBatch,
			DSteps:        1,
			GOptimizer:    train.Adam(1e-4, 0.5, 0.999),
			DOptimizer:    train.Adam(1e-4, 0.5, 0.999),
			Seed:          uint64(run + 1),
		})
		if err != nil {
			return fmt.Errorf("run %d: %w", run, err)
		}
		for i := range stressIters {
			phase.Store(fmt.Sprintf("training iteration %d", i))
			if err := tr.Iterate(); err != nil {
				return fmt.Errorf("run %d, iteration %d: %w", run, i, err)
			}
			progress.Add(1)
		}
		if run%stressConvEvery == stressConvEvery-1 {
			if err := convMatMul(b, run, progress, phase); err != nil {
				return fmt.Errorf("run %d, conv+matmul graph: %w", run, err)
			}
		}
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
