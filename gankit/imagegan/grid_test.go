package imagegan

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/gankit/kit/gankit/mnist"
)

// The demo writes its grids with the standard library: imagegan, tests included, does not
// import gankit/plots, so that training never depends on the figures.

// gridImage tiles Side×Side images with values in [-1, 1] (black to white) in rows of
// 10, with a grey pixel around each.
func gridImage(imgs []float32) *image.Gray {
	const cols, gap = 10, 1
	n := len(imgs) / mnist.Pixels
	rows := (n + cols - 1) / cols
	g := image.NewGray(image.Rect(0, 0, cols*(Side+gap)+gap, rows*(Side+gap)+gap))
	for i := range g.Pix {
		g.Pix[i] = 128
	}
	for k := range n {
		x0, y0 := gap+(k%cols)*(Side+gap), gap+(k/cols)*(Side+gap)
		for y := range Side {
			for x := range Side {
				v := min(max(float64(imgs[k*mnist.Pixels+y*Side+x]), -1), 1)
				g.SetGray(x0+x, y0+y, color.Gray{Y: uint8(math.Round((v + 1) / 2 * 255))})
			}
		}
	}
	return g
}

// writeGrid saves images as a 10-column grid PNG at path.
func writeGrid(t *testing.T, path string, imgs []float32) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, gridImage(imgs)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}

// writeGIF saves the grids of several snapshots as an animated GIF at path, 700ms a frame.
func writeGIF(t *testing.T, path string, snaps []Snapshot) {
	t.Helper()
	grey := make(color.Palette, 256)
	for i := range grey {
		grey[i] = color.Gray{Y: uint8(i)}
	}
	anim := &gif.GIF{}
	for _, s := range snaps {
		g := gridImage(s.Images)
		frame := image.NewPaletted(g.Bounds(), grey)
		copy(frame.Pix, g.Pix)
		anim.Image, anim.Delay = append(anim.Image, frame), append(anim.Delay, 70)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, anim); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
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
		for _, s := range tr.Snapshots() {
			writeGrid(t, filepath.Join(dir, fmt.Sprintf("mode%d-it%05d.png", int(mode), s.Iteration)), s.Images)
		}
		writeGIF(t, filepath.Join(dir, fmt.Sprintf("mode%d.gif", int(mode))), tr.Snapshots())
	}
}
