// Command bench measures how fast gankit trains on each of its backends (the pure-Go one
// and XLA on the CPU, when its plugin is installed) and, when a PyTorch CPU reference is
// installed (Debian's python3-torch works with the system Python), runs the same models in
// PyTorch in the same command, with 1 and 2 threads, and prints them side by side with the
// ratio of each backend to the faster reference. Workloads (-workloads):
//
//   - ring: G z2->128->128->2 ReLU, D 2->128->128->1 LeakyReLU 0.2, batch 256, Adam 1e-4
//     (0.5, 0.999), non-saturating loss, one D and one G step per iteration.
//   - dcgan: a small DCGAN on 28x28x1 images, batch 64 (see dcgan.go).
//   - layers: one forward + backward of each of the DCGAN's layer types at its sizes, so a
//     slow step can be traced to a layer.
//
// -cpuprofile writes a pprof profile of the run (run one workload on one backend with
// -no-reference to profile it alone).
package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
)

//go:embed reference.py
var referencePy []byte

var (
	flagWorkloads = flag.String("workloads", "ring,dcgan,layers", "comma-separated workloads to run: ring, dcgan, layers")
	flagBackends  = flag.String("backends", "go,xla", "comma-separated backends to measure: go (pure Go), xla (XLA on the CPU, skipped with a note when its plugin is missing), or any GOMLX_BACKEND value")
	flagIters     = flag.Int("iters", 2000, "timed iterations of the ring GAN")
	flagDCGAN     = flag.Int("dcgan-iters", 30, "timed iterations of the DCGAN")
	flagLayer     = flag.Int("layer-iters", 20, "timed iterations of each layer in the layer table")
	flagOnly      = flag.String("layer", "", "time only the layers whose name contains this")
	flagRounds    = flag.Int("rounds", 3, "rounds of the ring and DCGAN workloads, each timing every backend then PyTorch; the best of each is compared (this machine's speed drifts between runs)")
	flagWarmup    = flag.Int("warmup", 50, "warm-up iterations of the ring GAN, not timed (the DCGAN and the layers get a tenth)")
	flagPython    = flag.String("python", "", "Python interpreter with torch for the reference (default: the first of /usr/bin/python3, python3 that imports torch)")
	flagNoRef     = flag.Bool("no-reference", false, "skip the PyTorch reference")
	flagProfile   = flag.String("cpuprofile", "", "write a CPU profile of the whole run (gankit and the reference's wait) to this file")
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// side is one backend under measurement.
type side struct {
	name string // column heading: "pure Go", "XLA CPU", or the configuration
	b    compute.Backend
}

// sides creates the backends -backends names. "xla" is skipped, with the reason, when its
// plugin cannot be used; a backend named otherwise must work.
func sides() ([]side, error) {
	var out []side
	for _, name := range strings.Split(*flagBackends, ",") {
		name = strings.TrimSpace(name)
		config, heading := name, name
		switch name {
		case "go":
			config, heading = backend.GoConfig, "pure Go"
		case "xla":
			config, heading = "xla:cpu", "XLA CPU"
		}
		b, err := backend.NewWithConfig(config)
		if err != nil {
			if name == "xla" {
				fmt.Printf("XLA CPU: skipped: %v\n", err)
				continue
			}
			return nil, err
		}
		fmt.Printf("%s: %s\n", heading, backend.Describe(b))
		out = append(out, side{heading, b})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no backend to measure (-backends %q)", *flagBackends)
	}
	return out, nil
}

func run() error {
	ss, err := sides()
	if err != nil {
		return err
	}
	fmt.Printf("built with GOEXPERIMENT=%q, GOMAXPROCS=%d\n", buildExperiment(), runtimeProcs())
	python := ""
	if !*flagNoRef {
		if python = findTorchPython(*flagPython); python == "" {
			fmt.Println("PyTorch reference: skipped (no Python with torch; on Debian: apt-get install python3-torch)")
		}
	}
	if *flagProfile != "" {
		f, err := os.Create(*flagProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for _, w := range strings.Split(*flagWorkloads, ",") {
		var err error
		switch strings.TrimSpace(w) {
		case "ring":
			err = benchRing(ss, python)
		case "dcgan":
			err = benchDCGAN(ss, python)
		case "layers":
			err = benchLayers(ss, python)
		default:
			err = fmt.Errorf("unknown workload %q (want ring, dcgan or layers)", w)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// timed is one side's workload, warmed up: each call times iterations and returns it/s.
type timed func() (float64, error)

func benchRing(ss []side, python string) error {
	fmt.Println("\n== ring GAN: G z2->128->128->2, D 2->128->128->1, batch 256, one D + one G Adam step")
	runs := make([]timed, len(ss))
	for i, s := range ss {
		t, err := pointgan.New(s.b, pointgan.Config{
			Target:        target.Ring(8, 2, 0.02),
			Generator:     nets.Generator(2, []int{128, 128}, 2),
			Discriminator: nets.Discriminator(2, []int{128, 128}),
			GeneratorLoss: losses.NonSaturating,
			BatchSize:     256,
			DSteps:        1,
			GOptimizer:    train.Adam(1e-4, 0.5, 0.999),
			DOptimizer:    train.Adam(1e-4, 0.5, 0.999),
			Seed:          1,
		})
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		start := time.Now()
		if err := t.Run(*flagWarmup); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		fmt.Printf("%s warm-up (%d iterations, includes compilation): %.2fs\n", s.name, *flagWarmup, time.Since(start).Seconds())
		runs[i] = func() (float64, error) {
			start := time.Now()
			if err := t.Run(*flagIters); err != nil {
				return 0, err
			}
			return float64(*flagIters) / time.Since(start).Seconds(), nil
		}
	}
	return rounds(ss, runs, python, "ring", "ring GAN", *flagIters, *flagWarmup)
}

// rounds times each side's workload and then PyTorch's, -rounds times, and compares the best
// rate of each: the speed of a shared machine drifts by tens of percent between runs, and
// the best of a few runs is the least disturbed one. The reference tries 1 and 2 threads in
// the first round and keeps the faster.
func rounds(ss []side, runs []timed, python, workload, name string, iters, warmup int) error {
	best := make([]float64, len(ss))
	ratios := make([][]float64, len(ss))
	var refBest float64
	threads := []int{1, 2}
	for r := 1; r <= max(*flagRounds, 1); r++ {
		rates := make([]float64, len(ss))
		var parts []string
		for i, run := range runs {
			rate, err := run()
			if err != nil {
				return fmt.Errorf("%s: %w", ss[i].name, err)
			}
			rates[i], best[i] = rate, max(best[i], rate)
			parts = append(parts, fmt.Sprintf("%s %.2f it/s", ss[i].name, rate))
		}
		if python != "" {
			_, n, refRate, err := bestReference(python, workload, iters, warmup, threads, parseRate)
			if err != nil {
				return fmt.Errorf("PyTorch reference: %w", err)
			}
			threads = []int{n}
			refBest = max(refBest, refRate)
			parts = append(parts, fmt.Sprintf("PyTorch %.2f it/s (%d thread(s))", refRate, n))
			for i := range ss {
				ratios[i] = append(ratios[i], rates[i]/refRate)
				parts = append(parts, fmt.Sprintf("%s/PyTorch %.2fx", ss[i].name, rates[i]/refRate))
			}
		}
		fmt.Printf("round %d: %s\n", r, strings.Join(parts, ", "))
	}
	fmt.Printf("%s, best of %d rounds of %d iterations:\n", name, max(*flagRounds, 1), iters)
	fmt.Printf("  %-12s %10s  %s\n", "", "it/s", "vs PyTorch CPU: best against best (per-round range, median)")
	for i, s := range ss {
		line := fmt.Sprintf("  %-12s %10.2f", s.name, best[i])
		if python != "" {
			rs := slices.Sorted(slices.Values(ratios[i]))
			line += fmt.Sprintf("  %.2fx (%.2f-%.2f, median %.2f)", best[i]/refBest, rs[0], rs[len(rs)-1], rs[len(rs)/2])
		}
		fmt.Println(line)
	}
	if python != "" {
		fmt.Printf("  %-12s %10.2f  (%d thread(s))\n", "PyTorch CPU", refBest, threads[0])
	}
	return nil
}

func benchDCGAN(ss []side, python string) error {
	fmt.Println("\n== DCGAN 28x28x1, batch 64: G z64->dense 7x7x64->(x2, conv3x3 32)->(x2, conv3x3 1), D conv4x4/2 32->conv4x4/2 64->dense 1, batch norm")
	warmup := max(*flagWarmup/10, 1)
	runs := make([]timed, len(ss))
	for i, s := range ss {
		m, err := newDCGAN(s.b, 1)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		start := time.Now()
		for range warmup {
			if _, _, err := m.step(); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
		}
		fmt.Printf("%s warm-up (%d iterations, includes compilation): %.2fs\n", s.name, warmup, time.Since(start).Seconds())
		runs[i] = func() (float64, error) {
			start := time.Now()
			for range *flagDCGAN {
				if _, _, err := m.step(); err != nil {
					return 0, err
				}
			}
			return float64(*flagDCGAN) / time.Since(start).Seconds(), nil
		}
	}
	return rounds(ss, runs, python, "dcgan", "DCGAN", *flagDCGAN, warmup)
}

func benchLayers(ss []side, python string) error {
	fmt.Println("\n== layers: one forward + backward (input and parameter gradients), batch 64, milliseconds; ratio = PyTorch time / gankit time")
	warmup := max(*flagLayer/10, 2)
	var torchMs map[string]float64
	if python != "" {
		out, threads, _, err := bestReference(python, "layers", *flagLayer, warmup, []int{1, 2}, func(out []byte) (float64, error) {
			// Fewer total milliseconds is faster; return the inverse as the "rate".
			total := 0.0
			for _, ms := range parseLayers(out) {
				total += ms
			}
			if total == 0 {
				return 0, fmt.Errorf("no layer lines in the reference's output: %q", out)
			}
			return 1 / total, nil
		})
		if err != nil {
			return fmt.Errorf("PyTorch reference: %w", err)
		}
		torchMs = parseLayers(out)
		fmt.Printf("(PyTorch with %d thread(s), the faster total)\n", threads)
	}
	head := fmt.Sprintf("%-34s", "layer")
	for _, s := range ss {
		head += fmt.Sprintf(" %10s", s.name)
	}
	head += fmt.Sprintf(" %10s", "PyTorch")
	for _, s := range ss {
		head += fmt.Sprintf(" %14s", s.name+" ratio")
	}
	fmt.Println(head)
	for _, c := range layerCases() {
		if !strings.Contains(c.name, *flagOnly) {
			continue
		}
		line := fmt.Sprintf("%-34s", c.name)
		ms := make([]float64, len(ss))
		for i, s := range ss {
			var err error
			if ms[i], err = timeLayer(s.b, c, *flagLayer, warmup); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			line += fmt.Sprintf(" %10.2f", ms[i])
		}
		t, ok := torchMs[c.name]
		if !ok {
			fmt.Println(line + fmt.Sprintf(" %10s", "-"))
			continue
		}
		line += fmt.Sprintf(" %10.2f", t)
		for i := range ss {
			line += fmt.Sprintf(" %13.2fx", t/ms[i])
		}
		fmt.Println(line)
	}
	return nil
}

func findTorchPython(explicit string) string {
	candidates := []string{"/usr/bin/python3", "python3"}
	if explicit != "" {
		candidates = []string{explicit}
	}
	for _, c := range candidates {
		if err := exec.Command(c, "-c", "import torch").Run(); err == nil {
			return c
		}
	}
	return ""
}

// bestReference runs reference.py's workload with each of threadCounts threads and returns
// the output, thread count and rate (as rate computes it) of the faster run.
func bestReference(python, workload string, iters, warmup int, threadCounts []int, rate func([]byte) (float64, error)) (best []byte, threads int, bestRate float64, err error) {
	dir, err := os.MkdirTemp("", "gankit-bench")
	if err != nil {
		return nil, 0, 0, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "reference.py")
	if err := os.WriteFile(script, referencePy, 0o644); err != nil {
		return nil, 0, 0, err
	}
	for _, n := range threadCounts {
		cmd := exec.Command(python, script, "--workload", workload, "--iters", strconv.Itoa(iters), "--warmup", strconv.Itoa(warmup), "--threads", strconv.Itoa(n))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, 0, 0, fmt.Errorf("%v: %s", err, stderr.String())
		}
		r, err := rate(out)
		if err != nil {
			return nil, 0, 0, err
		}
		if !blasReported {
			blasReported = true
			blas := parseField(out, "blas ")
			fmt.Printf("  PyTorch %s, BLAS: %s\n", parseField(out, "torch "), blas)
			if !strings.Contains(strings.ToLower(blas), "openblas") && !strings.Contains(strings.ToLower(blas), "mkl") {
				fmt.Println("  warning: PyTorch is not using an optimised BLAS; on Debian install libopenblas0 for a fair reference")
			}
		}
		if workload != "layers" && len(threadCounts) > 1 {
			fmt.Printf("  PyTorch with %d thread(s): %.2f it/s\n", n, r)
		}
		if r > bestRate {
			bestRate, best, threads = r, out, n
		}
	}
	return best, threads, bestRate, nil
}

// blasReported: the BLAS line is printed once per command.
var blasReported bool

// parseLayers reads reference.py's "layer <name>|<ms>" lines.
func parseLayers(out []byte) map[string]float64 {
	ms := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "layer "); ok {
			name, val, ok := strings.Cut(v, "|")
			if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); ok && err == nil {
				ms[name] = f
			}
		}
	}
	return ms
}

func parseRate(out []byte) (float64, error) {
	v := parseField(out, "it/s ")
	if v == "" {
		return 0, fmt.Errorf("no \"it/s\" line in the reference's output: %q", out)
	}
	return strconv.ParseFloat(v, 64)
}

// parseField returns the rest of the first output line that starts with prefix.
func parseField(out []byte, prefix string) string {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), prefix); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
