package conv

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// defaultBackend is gankit's default backend (XLA on the CPU where its plugin is installed,
// else pure Go; GOMLX_BACKEND chooses; pure Go under -short, see testkit.NewBackend),
// shared by the tests and benchmarks of the package;
// goBackend is the pure-Go backend, for the tests of what Conv2D does there.
var (
	defaultBackend = sync.OnceValues(testkit.NewBackend)
	goBackend      = sync.OnceValues(func() (compute.Backend, error) { return backend.NewWithConfig(backend.GoConfig) })
)

func testBackend(tb testing.TB) compute.Backend {
	tb.Helper()
	b, err := defaultBackend()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func testGoBackend(tb testing.TB) compute.Backend {
	tb.Helper()
	b, err := goBackend()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// workload is one benchmarked layer: square images of size h.
type workload struct {
	name                         string
	batch, h, in, out, k, s, pad int
}

// workloads are the convolutions of gankit's DCGAN at batch 64.
var workloads = []workload{
	{"3x3s1p1_64to32_14x14", 64, 14, 64, 32, 3, 1, 1},
	{"3x3s1p1_32to1_28x28", 64, 28, 32, 1, 3, 1, 1},
	{"4x4s2p1_1to32_28x28", 64, 28, 1, 32, 4, 2, 1},
	{"4x4s2p1_32to64_14x14", 64, 14, 32, 64, 4, 2, 1},
}

func (wl workload) ho() int { return (wl.h+2*wl.pad-wl.k)/wl.s + 1 }

// flops of one forward pass plus the gradients w.r.t. input and kernel (3 matmuls' worth).
func (wl workload) flops() float64 {
	return 6 * float64(wl.batch*wl.ho()*wl.ho()) * float64(wl.k*wl.k*wl.in) * float64(wl.out)
}

func randTensor(rng *rand.Rand, dims ...int) *tensors.Tensor {
	n := 1
	for _, d := range dims {
		n *= d
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(2*rng.Float64() - 1)
	}
	return tensors.FromFlatDataAndDimensions(v, dims...)
}

type convFn func(x, kernel *graph.Node, stride, pad int) *graph.Node

// methodFn is Patches2D forced to use method m.
func methodFn(m method) convFn {
	return func(x, kernel *graph.Node, stride, pad int) *graph.Node {
		return patches(x, kernel, check("test", x, kernel, stride, pad), m)
	}
}

// autodiffIm2col is im2col with the gradients derived by autodiff from the forward ops:
// what Patches2D would be without its custom gradients, kept to measure them against.
func autodiffIm2col(x, kernel *graph.Node, stride, pad int) *graph.Node {
	g := check("autodiffIm2col", x, kernel, stride, pad)
	xp := padded(x, g)
	taps := make([]*graph.Node, 0, g.k*g.k)
	for i := 0; i < g.k; i++ {
		for j := 0; j < g.k; j++ {
			taps = append(taps, tap(xp, g, i, j, 1))
		}
	}
	p := graph.Reshape(graph.Concatenate(taps, 3), g.batch*g.ho*g.wo, g.k*g.k*g.in)
	y := graph.Dot(p, graph.Reshape(kernel, g.k*g.k*g.in, g.out)).Product()
	return graph.Reshape(y, g.batch, g.ho, g.wo, g.out)
}

// gradExec compiles: output, and gradients w.r.t. x and kernel of sum(conv(x, kernel)·w).
func gradExec(b compute.Backend, fn convFn, w *tensors.Tensor, stride, pad int) *graph.Exec {
	return graph.MustNewExec(b, func(x, kernel *graph.Node) []*graph.Node {
		out := fn(x, kernel, stride, pad)
		loss := graph.ReduceAllSum(graph.Mul(out, graph.Const(x.Graph(), w)))
		grads := graph.Gradient(loss, x, kernel)
		return []*graph.Node{out, grads[0], grads[1]}
	})
}

// workloadExec returns a compiled forward+backward of wl and a function running it once.
func workloadExec(tb testing.TB, wl workload, fn convFn) (run func(), done func()) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := randTensor(rng, wl.batch, wl.h, wl.h, wl.in)
	kern := randTensor(rng, wl.k, wl.k, wl.in, wl.out)
	w := randTensor(rng, wl.batch, wl.ho(), wl.ho(), wl.out)
	exec := gradExec(testBackend(tb), fn, w, wl.s, wl.pad)
	run = func() {
		for _, o := range exec.MustCall(x, kern) {
			o.FinalizeAll()
		}
	}
	run() // Compiles.
	return run, exec.Finalize
}

var benchFns = []struct {
	name string
	fn   convFn
}{
	{"Conv2D", Conv2D},
	{"Patches2D", Patches2D},
	{"Native2D", Native2D},
	{"im2col", methodFn(methodIm2col)},
	{"col2im", methodFn(methodCol2im)},
	{"autodiffIm2col", autodiffIm2col},
}

// BenchmarkConv times one forward pass plus the gradients w.r.t. input and kernel of each
// DCGAN layer, for Patches2D (and each of its arrangements) and Native2D.
func BenchmarkConv(b *testing.B) {
	for _, wl := range workloads {
		for _, f := range benchFns {
			b.Run(fmt.Sprintf("%s/%s", wl.name, f.name), func(b *testing.B) {
				run, done := workloadExec(b, wl, f.fn)
				defer done()
				b.ResetTimer()
				for range b.N {
					run()
				}
				b.ReportMetric(wl.flops()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// TestCompareTimes times the implementations interleaved, round by round, which is fairer
// than BenchmarkConv on a machine shared with other jobs. Run with
// CONV_COMPARE=Patches2D,Native2D (names from benchFns) and optionally CONV_WL=<workload substring>.
func TestCompareTimes(t *testing.T) {
	sel := os.Getenv("CONV_COMPARE")
	if sel == "" {
		t.Skip("set CONV_COMPARE to a comma-separated list of implementations to time")
	}
	const rounds = 7
	for _, wl := range workloads {
		if w := os.Getenv("CONV_WL"); w != "" && !strings.Contains(wl.name, w) {
			continue
		}
		names := strings.Split(sel, ",")
		runs := make([]func(), len(names))
		for i, name := range names {
			idx := slices.IndexFunc(benchFns, func(f struct {
				name string
				fn   convFn
			}) bool {
				return f.name == name
			})
			if idx < 0 {
				t.Fatalf("unknown implementation %q", name)
			}
			run, done := workloadExec(t, wl, benchFns[idx].fn)
			defer done()
			runs[i] = run
		}
		times := make([][]float64, len(names))
		for range rounds {
			for i, run := range runs {
				start := time.Now()
				run()
				times[i] = append(times[i], time.Since(start).Seconds()*1000)
			}
		}
		for i, name := range names {
			slices.Sort(times[i])
			t.Logf("%-22s %-15s min %7.1f ms  median %7.1f ms  %6.2f GFLOP/s at min",
				wl.name, name, times[i][0], times[i][rounds/2], wl.flops()/times[i][0]/1e6)
		}
	}
}
