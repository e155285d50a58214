package plots

import (
	"strings"
	"testing"
	"time"
)

func TestGridImage(t *testing.T) {
	// Two 2×3 images in a 2×2 grid: values -1 (black), 1 (white), 0 (mid grey), clipped.
	imgs := []float32{
		-1, 1, 0, 5, -5, 0.5,
		1, 1, 1, -1, -1, -1,
	}
	g, err := GridImage(imgs, 2, 3, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if b := g.Bounds(); b.Dx() != 2*3+3*gridGap || b.Dy() != 2*2+3*gridGap {
		t.Fatalf("grid is %v, want %dx%d", b, 2*3+3*gridGap, 2*2+3*gridGap)
	}
	at := func(x, y int) uint8 { return g.GrayAt(x, y).Y }
	o := gridGap
	want := [][]uint8{{0, 255, 128}, {255, 0, 191}}
	for y, row := range want {
		for x, v := range row {
			if got := at(o+x, o+y); got != v {
				t.Errorf("image 0 pixel (%d,%d) = %d, want %d", x, y, got, v)
			}
		}
	}
	// The second image is in the first row, second column.
	if got := at(o+3+gridGap, o); got != 255 {
		t.Errorf("image 1 top-left = %d, want 255", got)
	}
	if got := at(o+3+gridGap, o+1); got != 0 {
		t.Errorf("image 1 bottom-left = %d, want 0", got)
	}
	// Gaps and empty cells are grey.
	if got := at(0, 0); got != gridGapGrey {
		t.Errorf("gap = %d, want %d", got, gridGapGrey)
	}
	if got := at(o, o+2+gridGap); got != gridGapGrey {
		t.Errorf("empty cell = %d, want %d", got, gridGapGrey)
	}
	for _, c := range []struct {
		imgs             []float32
		h, w, rows, cols int
		want             string
	}{
		{imgs, 2, 3, 1, 1, "do not fit"},
		{imgs[:5], 2, 3, 2, 2, "whole number"},
		{imgs, 0, 3, 2, 2, "must be positive"},
	} {
		if _, err := GridImage(c.imgs, c.h, c.w, c.rows, c.cols); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("GridImage(%d values, %d×%d, %d×%d): got %v, want %q", len(c.imgs), c.h, c.w, c.rows, c.cols, err, c.want)
		}
	}
}

func TestImageGridFigureAndGIF(t *testing.T) {
	imgs := make([]float32, 12*28*28)
	for i := range imgs {
		imgs[i] = float32(i%97)/48 - 1
	}
	var frames []*Figure
	for _, title := range []string{"iteration 0", "iteration 500"} {
		f, err := ImageGrid(title, imgs, 28, 28, 3, 4)
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, f)
	}
	checkGolden(t, "imagegrid", frames[0])
	w, h := frames[0].PixelSize()
	if !(w > 150 && h > 100 && w > h) {
		t.Errorf("a 3×4 grid of 28×28 images renders %dx%d pixels", w, h)
	}
	if _, err := GIF(frames, 500*time.Millisecond); err != nil {
		t.Errorf("GIF of two grids: %v", err)
	}
}
