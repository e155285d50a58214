package imagegan

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/plots"
)

// writeGrid saves images as a 10-column grid PNG at path.
func writeGrid(t *testing.T, path, title string, imgs []float32) {
	t.Helper()
	n := len(imgs) / mnist.Pixels
	f, err := plots.ImageGrid(title, imgs, mnist.Side, mnist.Side, (n+9)/10, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestDemo trains each mode for $IMAGEGAN_DEMO_ITERS iterations (default 300) and writes
// the snapshot grids (and a GIF) into the directory $IMAGEGAN_DEMO; it is skipped when
// that variable is unset. It reports the measured iterations per second of each mode.
// $IMAGEGAN_DEMO_MODES picks modes by number (default "012").
func TestDemo(t *testing.T) {
	dir := os.Getenv("IMAGEGAN_DEMO")
	if dir == "" {
		t.Skip("set IMAGEGAN_DEMO to a directory to train the three modes and write sample grids")
	}
	iters := 300
	if s := os.Getenv("IMAGEGAN_DEMO_ITERS"); s != "" {
		var err error
		if iters, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	modes := os.Getenv("IMAGEGAN_DEMO_MODES")
	if modes == "" {
		modes = "012"
	}
	for _, ch := range modes {
		mode := Mode(ch - '0')
		tr := newTrainer(t, DefaultConfig(digits(t), mode))
		at := []int{0, iters / 4, iters / 2, iters}
		start, cpu0 := time.Now(), cpuTime()
		if err := tr.Run(iters, at...); err != nil {
			t.Fatal(err)
		}
		cpu := cpuTime() - cpu0
		h := tr.History()
		r := h[len(h)-1]
		t.Logf("%v: %d iterations in %v (%.0f ms of CPU each), %.2f it/s; last: D loss %.3f, G loss %.3f, D(x) %.3f, D(G(z)) %.3f, L_I %.3f",
			mode, iters, time.Since(start).Round(time.Second), 1000*cpu.Seconds()/float64(iters), tr.ItersPerSecond(), r.DLoss, r.GLoss, r.DReal, r.DFake, r.Info)
		var frames []*plots.Figure
		for _, s := range tr.Snapshots() {
			title := fmt.Sprintf("%v, iteration %d", mode, s.Iteration)
			writeGrid(t, filepath.Join(dir, fmt.Sprintf("mode%d-it%05d.png", int(mode), s.Iteration)), title, s.Images)
			f, err := plots.ImageGrid(title, s.Images, mnist.Side, mnist.Side, 10, 10)
			if err != nil {
				t.Fatal(err)
			}
			frames = append(frames, f)
		}
		if err := plots.SaveGIF(filepath.Join(dir, fmt.Sprintf("mode%d.gif", int(mode))), frames, 700*time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
}
