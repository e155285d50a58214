package plots

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
)

// checkPNG renders f and checks the PNG decodes to PixelSize and is not blank.
func checkPNG(t *testing.T, f *Figure) []byte {
	t.Helper()
	data, err := f.PNG()
	if err != nil {
		t.Fatalf("PNG: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decoding PNG: %v", err)
	}
	w, h := f.PixelSize()
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("PNG is %dx%d, want %dx%d", b.Dx(), b.Dy(), w, h)
	}
	if n := colours(img); n < 5 {
		t.Errorf("PNG has %d distinct colours, want a drawn figure", n)
	}
	if len(data) > 300_000 {
		t.Errorf("PNG is %d bytes, want it smaller", len(data))
	}
	t.Logf("PNG %dx%d, %d bytes", w, h, len(data))
	if dir := os.Getenv("GANKIT_TEST_FIGURES"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".png"), data, 0o644)
	}
	return data
}

func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}

// snapshots1D builds snapshots of a generator moving from N(0, 1) towards N(2, 0.5).
func snapshots1D(n int) []pointgan.Snapshot {
	rng := target.NewRand(1)
	grid := pointgan.Linspace(-2, 4, 200)
	var snaps []pointgan.Snapshot
	for k := range n {
		frac := float64(k) / float64(max(n-1, 1))
		mean, std := 2*frac, 1-0.5*frac
		samples := make([]float32, 500)
		for i := range samples {
			samples[i] = float32(mean + std*rng.NormFloat64())
		}
		d := make([]float64, len(grid))
		for i, x := range grid {
			d[i] = 0.5 + 0.4*(1-frac)*math.Tanh(x-1)
		}
		snaps = append(snaps, pointgan.Snapshot{Iteration: 100 * k, Samples: samples, Dim: 1, GridX: grid, D: d})
	}
	return snaps
}

func snapshots2D(n int) ([]float32, []pointgan.Snapshot) {
	rng := target.NewRand(2)
	ring := target.Ring(8, 2, 0.05)
	real := ring.Sample(rng, 500)
	gx, gy := pointgan.Linspace(-3, 3, 60), pointgan.Linspace(-3, 3, 60)
	var snaps []pointgan.Snapshot
	for k := range n {
		samples := make([]float32, 1000)
		for i := range samples {
			samples[i] = float32(0.3*float64(k+1)*rng.NormFloat64() + 0.5)
		}
		d := make([]float64, 0, len(gx)*len(gy))
		for _, y := range gy {
			for _, x := range gx {
				r := math.Hypot(x, y)
				d = append(d, 1/(1+math.Exp(-3*(r-1)+float64(k))))
			}
		}
		snaps = append(snaps, pointgan.Snapshot{Iteration: 500 * k, Samples: samples, Dim: 2, GridX: gx, GridY: gy, D: d})
	}
	return real, snaps
}

func TestKDE(t *testing.T) {
	rng := target.NewRand(3)
	samples := make([]float32, 2000)
	for i := range samples {
		samples[i] = float32(2 + 0.5*rng.NormFloat64())
	}
	xs := pointgan.Linspace(-1, 5, 601)
	ys := KDE(samples, xs)
	var integral float64
	best := 0
	for i, y := range ys {
		integral += y * (xs[1] - xs[0])
		if y > ys[best] {
			best = i
		}
	}
	if math.Abs(integral-1) > 0.02 {
		t.Errorf("KDE integrates to %.4f, want ~1", integral)
	}
	if math.Abs(xs[best]-2) > 0.15 {
		t.Errorf("KDE peaks at %.3f, want ~2", xs[best])
	}
	// Peak of N(2, 0.5) is 0.798; the KDE smooths it a little.
	if ys[best] < 0.65 || ys[best] > 0.9 {
		t.Errorf("KDE peak value %.3f, want ~0.8", ys[best])
	}
	// Collapsed samples still make a spike that integrates to ~1 on the grid.
	spike := KDE([]float32{1, 1, 1, 1}, xs)
	integral = 0
	for _, y := range spike {
		integral += y * (xs[1] - xs[0])
	}
	if math.Abs(integral-1) > 0.02 {
		t.Errorf("collapsed KDE integrates to %.4f, want ~1", integral)
	}
	for _, y := range KDE(nil, xs) {
		if y != 0 {
			t.Fatalf("KDE of no samples is not zero")
		}
	}
}

func TestEvolution1D(t *testing.T) {
	f, err := Evolution1D(target.Gaussian(2, 0.5), snapshots1D(4))
	if err != nil {
		t.Fatal(err)
	}
	if f.Rows() != 1 || f.Cols() != 4 {
		t.Errorf("figure is %dx%d tiles, want 1x4", f.Rows(), f.Cols())
	}
	checkPNG(t, f)
	svg, err := f.SVG()
	if err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Errorf("SVG: err=%v, %d bytes", err, len(svg))
	}
}

func TestEvolution1DErrors(t *testing.T) {
	data := target.Gaussian(2, 0.5)
	if _, err := Evolution1D(data, nil); err == nil {
		t.Error("no snapshots: want an error")
	}
	bad := snapshots1D(2)
	bad[1].Dim = 2
	if _, err := Evolution1D(data, bad); err == nil {
		t.Error("Dim 2: want an error")
	}
	bad = snapshots1D(2)
	bad[0].D = bad[0].D[:10]
	if _, err := Evolution1D(data, bad); err == nil {
		t.Error("grid/D mismatch: want an error")
	}
	if _, err := Evolution1D(target.Ring(8, 2, 0.02), snapshots1D(1)); err == nil {
		t.Error("2-D data: want an error")
	}
}

func TestSamples2D(t *testing.T) {
	real, snaps := snapshots2D(3)
	f, err := Samples2D(real, snaps)
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, f)
	if _, err := f.SVG(); err != nil {
		t.Error(err)
	}

	if _, err := Samples2D(real, nil); err == nil {
		t.Error("no snapshots: want an error")
	}
	if _, err := Samples2D(real[:3], snaps); err == nil {
		t.Error("odd real values: want an error")
	}
	bad := append([]pointgan.Snapshot(nil), snaps...)
	bad[0].Dim = 1
	if _, err := Samples2D(real, bad); err == nil {
		t.Error("Dim 1: want an error")
	}
	bad = append([]pointgan.Snapshot(nil), snaps...)
	bad[1].D = bad[1].D[1:]
	if _, err := Samples2D(real, bad); err == nil {
		t.Error("D size mismatch: want an error")
	}
	bad = append([]pointgan.Snapshot(nil), snaps...)
	bad[2].Samples = bad[2].Samples[1:]
	if _, err := Samples2D(real, bad); err == nil {
		t.Error("odd sample values: want an error")
	}
}

func history(n int) []pointgan.Record {
	h := make([]pointgan.Record, n)
	for i := range h {
		x := float64(i) / float64(n)
		h[i] = pointgan.Record{
			Iteration: i + 1,
			DLoss:     1.386 - 0.3*math.Exp(-5*x) + 0.05*math.Sin(float64(i)),
			GLoss:     0.693 + 0.5*math.Exp(-5*x) + 0.05*math.Cos(float64(i)),
			DReal:     0.5 + 0.3*math.Exp(-5*x),
			DFake:     0.5 - 0.3*math.Exp(-5*x),
		}
	}
	return h
}

func TestCurves(t *testing.T) {
	for _, n := range []int{1, 300, 10_000} {
		f, err := Curves(history(n))
		if err != nil {
			t.Fatalf("%d records: %v", n, err)
		}
		if f.Cols() != 2 {
			t.Errorf("Curves has %d panels, want 2", f.Cols())
		}
		checkPNG(t, f)
	}
	h := history(5000)
	h[10].DLoss = math.NaN()
	if _, err := Curves(h); err != nil {
		t.Errorf("a NaN loss: %v", err)
	}
	if _, err := Curves(nil); err == nil {
		t.Error("empty history: want an error")
	}
}

func TestLines(t *testing.T) {
	xs := pointgan.Linspace(0, 1, 50)
	a, b := make([]float64, len(xs)), make([]float64, len(xs))
	for i, x := range xs {
		a[i], b[i] = x*x, math.Sqrt(x)
	}
	f, err := Lines("curves", "x", "y", Series{Name: "x²", X: xs, Y: a}, Series{Name: "√x", X: xs, Y: b, Style: Dashed})
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, f)

	if _, err := Lines("none", "x", "y"); err == nil {
		t.Error("no series: want an error")
	}
	if _, err := Lines("bad", "x", "y", Series{X: xs, Y: a[:3]}); err == nil {
		t.Error("length mismatch: want an error")
	}
	if _, err := Lines("bad", "x", "y", Series{X: xs, Y: a, Style: LineStyle(7)}); err == nil {
		t.Error("unknown style: want an error")
	}
}

func TestLinesLogY(t *testing.T) {
	// The generator's gradient norm against D(G(z)): from 1 down to 1e-4.
	dgz := pointgan.Linspace(1e-4, 1, 100)
	sat, nonSat := make([]float64, len(dgz)), make([]float64, len(dgz))
	for i, d := range dgz {
		sat[i] = d
		nonSat[i] = 1 - d
	}
	f, err := LinesLogY("gradient", "D(G(z))", "|∇G|", Series{Name: "minimax", X: dgz, Y: sat}, Series{Name: "non-saturating", X: dgz, Y: nonSat, Style: Dotted})
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, f)
	if _, err := LinesLogY("zeros", "x", "y", Series{X: []float64{1, 2}, Y: []float64{0, -1}}); err == nil {
		t.Error("no positive value: want an error")
	}
}

func TestRowAndSave(t *testing.T) {
	f1, err := Curves(history(100))
	if err != nil {
		t.Fatal(err)
	}
	f2, err := Evolution1D(target.Gaussian(2, 0.5), snapshots1D(1))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Row(f1, f2)
	if err != nil {
		t.Fatal(err)
	}
	if r.Cols() != 3 {
		t.Errorf("Row has %d columns, want 3", r.Cols())
	}
	checkPNG(t, r)
	if _, err := Row(); err == nil {
		t.Error("empty Row: want an error")
	}

	dir := t.TempDir()
	for _, name := range []string{"a.png", "a.svg"} {
		if err := r.Save(filepath.Join(dir, name)); err != nil {
			t.Errorf("Save(%s): %v", name, err)
		}
	}
	if err := r.Save(filepath.Join(dir, "a.gif")); err == nil {
		t.Error("Save .gif: want an error")
	}
	if _, err := (&Figure{}).PNG(); err == nil {
		t.Error("empty figure: want an error")
	}
}

func TestDecadeTicksStayReadable(t *testing.T) {
	ticks := decadeTicks{}.Ticks(1e-20, 1e5)
	labels := 0
	for _, tk := range ticks {
		if tk.Label != "" {
			labels++
			if len(tk.Label) > 6 {
				t.Errorf("label %q is too long", tk.Label)
			}
		}
	}
	if len(ticks) != 26 || labels < 4 || labels > 9 {
		t.Errorf("1e-20..1e5: %d ticks, %d labelled; want 26 ticks and 4-9 labels", len(ticks), labels)
	}
	got := decadeTicks{}.Ticks(1e-4, 1)
	var ls []string
	for _, tk := range got {
		ls = append(ls, tk.Label)
	}
	if want := "1e-4 0.001 0.01 0.1 1"; strings.Join(ls, " ") != want {
		t.Errorf("1e-4..1 labels %q, want %q", strings.Join(ls, " "), want)
	}
}
