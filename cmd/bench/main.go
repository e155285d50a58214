// Command bench measures how fast gankit trains the 2-D ring-of-8 GAN on the configured
// backend and, when a PyTorch CPU reference is installed (Debian's python3-torch works with
// the system Python), runs the same model in PyTorch in the same command and prints the
// ratio.
//
// The model (issue "Foundation"): G z2->128->128->2 ReLU, D 2->128->128->1 LeakyReLU 0.2,
// batch 256, Adam 1e-4 (0.5, 0.999), non-saturating loss, one D and one G step per
// iteration, 2,000 timed iterations after 50 warm-up ones.
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
	"strconv"
	"strings"
	"time"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/trainer"
)

//go:embed reference.py
var referencePy []byte

var (
	flagIters  = flag.Int("iters", 2000, "timed iterations")
	flagWarmup = flag.Int("warmup", 50, "warm-up iterations, not timed")
	flagPython = flag.String("python", "", "Python interpreter with torch for the reference (default: the first of /usr/bin/python3, python3 that imports torch)")
	flagNoRef  = flag.Bool("no-reference", false, "skip the PyTorch reference")
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	b, err := backend.New()
	if err != nil {
		return err
	}
	fmt.Printf("backend: %s\n", backend.Describe(b))
	fmt.Printf("GOEXPERIMENT=%q, GOMAXPROCS=%d\n", os.Getenv("GOEXPERIMENT"), runtimeProcs())
	t, err := trainer.New(b, trainer.Config{
		Target:        target.Ring(8, 2, 0.02),
		Generator:     nets.Generator(2, []int{128, 128}, 2),
		Discriminator: nets.Discriminator(2, []int{128, 128}),
		GeneratorLoss: losses.NonSaturating,
		BatchSize:     256,
		DSteps:        1,
		GOptimizer:    trainer.Adam(1e-4, 0.5, 0.999),
		DOptimizer:    trainer.Adam(1e-4, 0.5, 0.999),
		Seed:          1,
	})
	if err != nil {
		return err
	}
	start := time.Now()
	if err := t.Run(*flagWarmup); err != nil {
		return err
	}
	fmt.Printf("gankit warm-up (%d iterations, includes compilation): %.2fs\n", *flagWarmup, time.Since(start).Seconds())
	start = time.Now()
	if err := t.Run(*flagIters); err != nil {
		return err
	}
	goRate := float64(*flagIters) / time.Since(start).Seconds()
	fmt.Printf("gankit ring GAN: %.1f it/s (%d iterations)\n", goRate, *flagIters)
	if *flagNoRef {
		return nil
	}
	python := findTorchPython(*flagPython)
	if python == "" {
		fmt.Println("PyTorch reference: skipped (no Python with torch; on Debian: apt-get install python3-torch)")
		return nil
	}
	torchRate, threads, err := runReference(python)
	if err != nil {
		return fmt.Errorf("PyTorch reference: %w", err)
	}
	fmt.Printf("PyTorch CPU reference (%s, %d thread(s)): %.1f it/s\n", python, threads, torchRate)
	fmt.Printf("ratio gankit/PyTorch: %.2fx\n", goRate/torchRate)
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

// runReference runs reference.py with 1 and 2 threads and returns the faster rate.
func runReference(python string) (rate float64, threads int, err error) {
	dir, err := os.MkdirTemp("", "gankit-bench")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "reference.py")
	if err := os.WriteFile(script, referencePy, 0o644); err != nil {
		return 0, 0, err
	}
	for _, n := range []int{1, 2} {
		cmd := exec.Command(python, script, "--iters", strconv.Itoa(*flagIters), "--warmup", strconv.Itoa(*flagWarmup), "--threads", strconv.Itoa(n))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return 0, 0, fmt.Errorf("%v: %s", err, stderr.String())
		}
		r, err := parseRate(out)
		if err != nil {
			return 0, 0, err
		}
		if n == 1 {
			blas := parseField(out, "blas ")
			fmt.Printf("  PyTorch %s, BLAS: %s\n", parseField(out, "torch "), blas)
			if !strings.Contains(strings.ToLower(blas), "openblas") && !strings.Contains(strings.ToLower(blas), "mkl") {
				fmt.Println("  warning: PyTorch is not using an optimised BLAS; on Debian install libopenblas0 for a fair reference")
			}
		}
		fmt.Printf("  PyTorch with %d thread(s): %.1f it/s\n", n, r)
		if r > rate {
			rate, threads = r, n
		}
	}
	return rate, threads, nil
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
