package plots

import (
	"bytes"
	"cmp"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"math"
	"os"
	"slices"
	"time"

	"gonum.org/v1/plot/vg/vgimg"
)

// maxGIFDelay is the longest frame delay a GIF can hold: 65535 hundredths of a second.
const maxGIFDelay = 65535 * 10 * time.Millisecond

// GIF renders the frames (all of the same PixelSize) and encodes them as an animated
// GIF that shows each for delay (rounded to the GIF's hundredths of a second; browsers
// show delays under 20ms as 100ms) and loops forever.
//
// All frames share one palette of at most 256 colours: the frames' most frequent
// colours, exact (for the kit's figures: the background, the heat map's 64 shades, the
// samples' colours), and a median cut of the others (anti-aliased edges, translucent
// lines). Each pixel takes the nearest palette colour, without dithering, so flat areas
// stay flat.
func GIF(frames []*Figure, delay time.Duration) ([]byte, error) {
	if len(frames) == 0 {
		return nil, fmt.Errorf("plots: GIF: no frames")
	}
	if delay < 0 || delay > maxGIFDelay {
		return nil, fmt.Errorf("plots: GIF: delay %v is outside [0, %v]", delay, maxGIFDelay)
	}
	imgs := make([]*image.RGBA, len(frames))
	var w, h int
	for i, f := range frames {
		if f == nil {
			return nil, fmt.Errorf("plots: GIF: frame %d is nil", i)
		}
		fw, fh := f.PixelSize()
		if i == 0 {
			w, h = fw, fh
		} else if fw != w || fh != h {
			return nil, fmt.Errorf("plots: GIF: frame %d is %dx%d pixels, frame 0 is %dx%d: all frames must have the same size", i, fw, fh, w, h)
		}
		img, err := f.rgba()
		if err != nil {
			return nil, fmt.Errorf("plots: GIF: frame %d: %w", i, err)
		}
		if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
			return nil, fmt.Errorf("plots: GIF: frame %d rendered %dx%d pixels, want %dx%d", i, b.Dx(), b.Dy(), w, h)
		}
		imgs[i] = img
	}
	pal := commonPalette(imgs, 256)
	cs := int(math.Round(float64(delay) / float64(10*time.Millisecond)))
	anim := &gif.GIF{
		Image:     make([]*image.Paletted, len(imgs)),
		Delay:     make([]int, len(imgs)),
		LoopCount: 0, // Forever.
		Config:    image.Config{ColorModel: pal, Width: w, Height: h},
	}
	index := map[color.RGBA]uint8{}
	for i, img := range imgs {
		anim.Image[i] = toPaletted(img, pal, index)
		anim.Delay[i] = cs
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, anim); err != nil {
		return nil, fmt.Errorf("plots: GIF: encoding: %w", err)
	}
	return buf.Bytes(), nil
}

// SaveGIF writes GIF(frames, delay) to path. The directory must exist.
func SaveGIF(path string, frames []*Figure, delay time.Duration) error {
	data, err := GIF(frames, delay)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("plots: saving GIF: %w", err)
	}
	return nil
}

// rgba renders the figure as an image of PixelSize pixels.
func (f *Figure) rgba() (*image.RGBA, error) {
	if err := f.checkSize(); err != nil {
		return nil, err
	}
	c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(f.dpi()))
	if err := f.draw(c); err != nil {
		return nil, err
	}
	img, ok := c.Image().(*image.RGBA)
	if !ok {
		return nil, fmt.Errorf("plots: the canvas is a %T, want *image.RGBA", c.Image())
	}
	return img, nil
}

// exactColors is how many of the palette's 256 entries GIF gives to the most frequent
// colours, kept exact; the rest summarise the other colours by median cut.
const exactColors = 160

// commonPalette returns a palette of at most n colours for the images (counted on
// every other pixel of every other row): their exact most frequent colours (up to
// exactColors, most frequent first, ties broken by value so that the palette is
// deterministic), then the weighted means of a median cut of the remaining colours
// into the entries left: anti-aliased edges and translucent lines over the heat map.
func commonPalette(imgs []*image.RGBA, n int) color.Palette {
	counts := map[color.RGBA]int{}
	for _, img := range imgs {
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y += 2 {
			for x := b.Min.X; x < b.Max.X; x += 2 {
				counts[img.RGBAAt(x, y)]++
			}
		}
	}
	all := make([]colorCount, 0, len(counts))
	for c, k := range counts {
		all = append(all, colorCount{c, k})
	}
	slices.SortFunc(all, func(a, b colorCount) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return cmp.Compare(a.key(), b.key())
	})
	if len(all) <= n {
		pal := make(color.Palette, len(all))
		for i, e := range all {
			pal[i] = e.c
		}
		return pal
	}
	exact := min(exactColors, n)
	pal := make(color.Palette, 0, n)
	for _, e := range all[:exact] {
		pal = append(pal, e.c)
	}
	return append(pal, medianCut(all[exact:], n-exact)...)
}

// colorCount is a colour and how many pixels have it.
type colorCount struct {
	c color.RGBA
	n int
}

func (e colorCount) key() uint32 {
	return uint32(e.c.R)<<24 | uint32(e.c.G)<<16 | uint32(e.c.B)<<8 | uint32(e.c.A)
}

func (e colorCount) channel(i int) uint8 { return [4]uint8{e.c.R, e.c.G, e.c.B, e.c.A}[i] }

// medianCut splits the colours into at most k boxes, each time halving (at the
// weighted median of its widest channel) the box whose widest channel's range times
// pixel count is largest, and returns each box's weighted mean colour.
func medianCut(colors []colorCount, k int) []color.Color {
	if k <= 0 || len(colors) == 0 {
		return nil
	}
	boxes := [][]colorCount{colors}
	widest := func(box []colorCount) (ch int, span int) {
		for c := range 4 {
			lo, hi := 255, 0
			for _, e := range box {
				v := int(e.channel(c))
				lo, hi = min(lo, v), max(hi, v)
			}
			if hi-lo > span {
				ch, span = c, hi-lo
			}
		}
		return ch, span
	}
	for len(boxes) < k {
		best, bestScore, bestCh := -1, 0, 0
		for i, box := range boxes {
			if len(box) < 2 {
				continue
			}
			ch, span := widest(box)
			weight := 0
			for _, e := range box {
				weight += e.n
			}
			if score := span * weight; score > bestScore {
				best, bestScore, bestCh = i, score, ch
			}
		}
		if best < 0 {
			break // Every box is a single colour.
		}
		box := boxes[best]
		slices.SortFunc(box, func(a, b colorCount) int {
			if d := cmp.Compare(a.channel(bestCh), b.channel(bestCh)); d != 0 {
				return d
			}
			return cmp.Compare(a.key(), b.key())
		})
		total, acc, cut := 0, 0, 1
		for _, e := range box {
			total += e.n
		}
		for i, e := range box[:len(box)-1] {
			acc += e.n
			cut = i + 1
			if 2*acc >= total {
				break
			}
		}
		boxes[best] = box[:cut]
		boxes = append(boxes, box[cut:])
	}
	out := make([]color.Color, len(boxes))
	for i, box := range boxes {
		var r, g, b, a, w int
		for _, e := range box {
			r += int(e.c.R) * e.n
			g += int(e.c.G) * e.n
			b += int(e.c.B) * e.n
			a += int(e.c.A) * e.n
			w += e.n
		}
		out[i] = color.RGBA{R: uint8((r + w/2) / w), G: uint8((g + w/2) / w), B: uint8((b + w/2) / w), A: uint8((a + w/2) / w)}
	}
	return out
}

// toPaletted maps img to the nearest colours of pal, caching each colour's index.
func toPaletted(img *image.RGBA, pal color.Palette, index map[color.RGBA]uint8) *image.Paletted {
	b := img.Bounds()
	out := image.NewPaletted(image.Rect(0, 0, b.Dx(), b.Dy()), pal)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.RGBAAt(x, y)
			k, ok := index[c]
			if !ok {
				k = uint8(pal.Index(c))
				index[c] = k
			}
			out.Pix[(y-b.Min.Y)*out.Stride+(x-b.Min.X)] = k
		}
	}
	return out
}
