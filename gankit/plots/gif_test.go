package plots

import (
	"bytes"
	"fmt"
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func ganLabFrames(t *testing.T, n int) []*Figure {
	t.Helper()
	var frames []*Figure
	for _, v := range views2D(n) {
		f, err := GANLab(v)
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, f)
	}
	return frames
}

func TestGIF(t *testing.T) {
	frames := ganLabFrames(t, 4)
	data, err := GIF(frames, 250*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decoding the GIF: %v", err)
	}
	if len(g.Image) != 4 {
		t.Fatalf("%d frames, want 4", len(g.Image))
	}
	w, h := frames[0].PixelSize()
	if g.Config.Width != w || g.Config.Height != h {
		t.Errorf("GIF is %dx%d, want %dx%d", g.Config.Width, g.Config.Height, w, h)
	}
	for i, img := range g.Image {
		if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
			t.Errorf("frame %d is %dx%d, want %dx%d", i, b.Dx(), b.Dy(), w, h)
		}
		if g.Delay[i] != 25 {
			t.Errorf("frame %d delay %d/100 s, want 25", i, g.Delay[i])
		}
	}
	if g.LoopCount != 0 {
		t.Errorf("LoopCount %d, want 0 (forever)", g.LoopCount)
	}
	// The frames differ: the generator moves. The first and the last are golden.
	if bytes.Equal(g.Image[0].Pix, g.Image[3].Pix) {
		t.Error("first and last frames are identical")
	}
	for _, i := range []int{0, 3} {
		var buf bytes.Buffer
		if err := png.Encode(&buf, g.Image[i]); err != nil {
			t.Fatal(err)
		}
		comparePNG(t, fmt.Sprintf("gif_frame%d", i), buf.Bytes())
	}
	// The palette keeps the figure's colours: most pixels of the first frame have the
	// PNG's exact colour (the heat map, the background, the samples), and the others
	// (anti-aliased edges) are close.
	img, err := frames[0].rgba()
	if err != nil {
		t.Fatal(err)
	}
	same, total, sumErr := 0, 0, 0.0
	for y := range h {
		for x := range w {
			c1, c2 := img.RGBAAt(x, y), g.Image[0].At(x, y)
			r2, g2, b2, _ := c2.RGBA()
			d := absDiff(c1.R, uint8(r2>>8)) + absDiff(c1.G, uint8(g2>>8)) + absDiff(c1.B, uint8(b2>>8))
			if d == 0 {
				same++
			}
			sumErr += float64(d) / 3
			total++
		}
	}
	exact, meanErr := float64(same)/float64(total), sumErr/float64(total)
	t.Logf("GIF of 4 frames %dx%d: %d bytes; %.1f%% exact pixels, mean error %.2f/255", w, h, len(data), 100*exact, meanErr)
	if exact < 0.9 || meanErr > 1 {
		t.Errorf("%.1f%% of the pixels exact, mean error %.2f/255 per channel; want >= 90%% and <= 1", 100*exact, meanErr)
	}
}

func TestGIFErrors(t *testing.T) {
	frames := ganLabFrames(t, 2)
	seq, err := GANLabSequence(views2D(2))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		frames []*Figure
		delay  time.Duration
		want   string
	}{
		"no frames":      {nil, time.Second, "no frames"},
		"nil frame":      {[]*Figure{frames[0], nil}, time.Second, "frame 1 is nil"},
		"sizes differ":   {[]*Figure{frames[0], seq}, time.Second, "same size"},
		"negative delay": {frames, -time.Second, "delay"},
		"long delay":     {frames, 11 * time.Minute, "delay"},
		"empty figure":   {[]*Figure{{Width: 10, Height: 10}}, time.Second, "at least one tile"},
	}
	for name, tc := range cases {
		if _, err := GIF(tc.frames, tc.delay); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", name, err, tc.want)
		}
	}
}

func TestSaveGIF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "anim.gif")
	if err := SaveGIF(path, ganLabFrames(t, 2), 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := gif.DecodeAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Image) != 2 || g.Delay[0] != 10 {
		t.Errorf("%d frames with delay %d, want 2 frames of 10/100 s", len(g.Image), g.Delay[0])
	}
	if err := SaveGIF(filepath.Join(t.TempDir(), "missing", "x.gif"), ganLabFrames(t, 1), time.Second); err == nil {
		t.Error("SaveGIF into a missing directory: want an error")
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}
