package plots

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
)

// views2D builds n hand-made views: a generator that spreads from a blob towards the
// ring, a radial D, arrows pointing outwards and a manifold that is a scaled noise grid.
func views2D(n int) []pointgan.View {
	rng := target.NewRand(5)
	real := target.Ring(8, 2, 0.05).Sample(rng, 400)
	gx, gy := pointgan.Linspace(-3, 3, 40), pointgan.Linspace(-3, 3, 40)
	var views []pointgan.View
	for k := range n {
		spread := 0.4 * float64(k+1)
		samples := make([]float32, 600)
		grads := make([]float32, 600)
		for i := 0; i < len(samples); i += 2 {
			x, y := spread*rng.NormFloat64(), spread*rng.NormFloat64()
			samples[i], samples[i+1] = float32(x), float32(y)
			r := math.Max(math.Hypot(x, y), 1e-3)
			push := 2 - r // Towards the ring of radius 2.
			grads[i], grads[i+1] = float32(push*x/r), float32(push*y/r)
		}
		d := make([]float64, 0, len(gx)*len(gy))
		for _, y := range gy {
			for _, x := range gx {
				d = append(d, math.Exp(-math.Pow(math.Hypot(x, y)-2, 2)))
			}
		}
		const size = 9
		u := pointgan.Linspace(-2, 2, size)
		var manifold []float32
		for _, z2 := range u {
			for _, z1 := range u {
				manifold = append(manifold, float32(spread*z1+0.1*z2*z2), float32(spread*z2))
			}
		}
		views = append(views, pointgan.View{Iteration: 100 * k, Dim: 2, Real: real, Samples: samples, Gradients: grads,
			GridX: gx, GridY: gy, D: d, Manifold: manifold, ManifoldSize: size})
	}
	return views
}

func TestGANLab(t *testing.T) {
	v := views2D(1)[0]
	f, err := GANLab(v)
	if err != nil {
		t.Fatal(err)
	}
	if f.Rows() != 1 || f.Cols() != 1 {
		t.Errorf("GANLab: %dx%d tiles, want 1x1", f.Rows(), f.Cols())
	}
	// 4 inches at 100 DPI, as tall plus 30 points for the title and labels.
	if w, h := f.PixelSize(); w != 400 || h != 442 {
		t.Errorf("GANLab is %dx%d pixels, want 400x442", w, h)
	}
	data := checkPNG(t, f)
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// The arrows and the manifold lines are drawn: their dark and light greens appear.
	var arrowPx, manifoldPx int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			if r == 0x0b && g == 0x4d && bl == 0x0b {
				arrowPx++
			}
			if g > r+30 && g > bl+30 && g > 0x90 { // Light, translucent green over the heat map.
				manifoldPx++
			}
		}
	}
	if arrowPx < 200 {
		t.Errorf("%d pixels of the arrows' colour, want the arrows drawn", arrowPx)
	}
	if manifoldPx < 200 {
		t.Errorf("%d light green pixels, want the manifold grid drawn", manifoldPx)
	}

	// Without a manifold and without gradients it still draws.
	v.Manifold, v.ManifoldSize, v.Gradients = nil, 0, nil
	f, err = GANLab(v)
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, f)
	if _, err := f.SVG(); err != nil {
		t.Errorf("SVG: %v", err)
	}
}

func TestGANLabSequence(t *testing.T) {
	f, err := GANLabSequence(views2D(3))
	if err != nil {
		t.Fatal(err)
	}
	if f.Rows() != 1 || f.Cols() != 3 {
		t.Errorf("GANLabSequence: %dx%d tiles, want 1x3", f.Rows(), f.Cols())
	}
	if w, h := f.PixelSize(); w != 1200 || h != 442 {
		t.Errorf("GANLabSequence is %dx%d pixels, want 1200x442", w, h)
	}
	checkPNG(t, f)
	for i, p := range f.Plots[0] {
		if want := []string{"iteration 0", "iteration 100", "iteration 200"}[i]; p.Title.Text != want {
			t.Errorf("panel %d title %q, want %q", i, p.Title.Text, want)
		}
	}
}

func TestGANLabErrors(t *testing.T) {
	good := views2D(1)[0]
	cases := map[string]struct {
		edit func(v *pointgan.View)
		want string
	}{
		"1-D":              {func(v *pointgan.View) { v.Dim = 1; v.GridY = nil }, "Dim is 1, want 2"},
		"odd real":         {func(v *pointgan.View) { v.Real = v.Real[:3] }, "real values"},
		"odd samples":      {func(v *pointgan.View) { v.Samples = v.Samples[:5]; v.Gradients = v.Gradients[:5] }, "sample values"},
		"gradients":        {func(v *pointgan.View) { v.Gradients = v.Gradients[:10] }, "10 gradient values for 600"},
		"D size":           {func(v *pointgan.View) { v.D = v.D[:100] }, "100 values of D"},
		"manifold size":    {func(v *pointgan.View) { v.ManifoldSize = 8 }, "162 manifold values for a 8 x 8"},
		"manifold size 1":  {func(v *pointgan.View) { v.ManifoldSize = 1 }, "ManifoldSize is 1"},
		"manifold no size": {func(v *pointgan.View) { v.ManifoldSize = 0 }, "ManifoldSize 0"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			v := good
			tc.edit(&v)
			_, err := GANLab(v)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("GANLab error = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
	if _, err := GANLabSequence(nil); err == nil {
		t.Error("GANLabSequence(nil): want an error")
	}
	bad := good
	bad.Dim = 3
	if _, err := GANLabSequence([]pointgan.View{good, bad}); err == nil || !strings.Contains(err.Error(), "view 1") {
		t.Errorf("GANLabSequence with a bad second view: error %v, want one naming view 1", err)
	}
}

func TestArrowSegments(t *testing.T) {
	// 500 samples with gradients of length 1..500 along x: 200 arrows, the longest 0.6.
	samples := make([]float32, 1000)
	grads := make([]float32, 1000)
	for i := range 500 {
		samples[2*i], samples[2*i+1] = float32(i), 1
		grads[2*i] = float32(i + 1)
	}
	grads[4] = float32(math.NaN()) // Sample 2, one of the 200 picked (0, 2, 5, 7, 10, ...).
	segs := arrowSegments(samples, grads, 0.6)
	if len(segs) != MaxArrows-1 {
		t.Fatalf("%d arrows, want %d: MaxArrows picked, less the one with a NaN gradient", len(segs), MaxArrows-1)
	}
	var longest float64
	for _, s := range segs {
		if s[1].Y != s[0].Y {
			t.Fatalf("arrow %v leaves the x axis", s)
		}
		longest = max(longest, s[1].X-s[0].X)
	}
	if math.Abs(longest-0.6) > 1e-9 {
		t.Errorf("longest arrow %g, want 0.6", longest)
	}
	if got := arrowSegments(samples[:4], []float32{0, 0, 0, 0}, 1); got != nil {
		t.Errorf("zero gradients: %d arrows, want none", len(got))
	}
}

func TestManifoldLines(t *testing.T) {
	// A 3 x 3 grid: 3 rows and 3 columns of 3 points. A NaN in the centre breaks the
	// middle row and the middle column into single points, which are dropped.
	flat := make([]float32, 18)
	for i := range flat {
		flat[i] = float32(i)
	}
	if got := len(manifoldLines(flat, 3)); got != 6 {
		t.Errorf("3 x 3 grid: %d lines, want 6", got)
	}
	flat[8] = float32(math.NaN()) // Point (1, 1).
	if got := len(manifoldLines(flat, 3)); got != 4 {
		t.Errorf("3 x 3 grid with a NaN centre: %d lines, want 4", got)
	}
}
