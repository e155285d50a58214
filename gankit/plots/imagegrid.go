package plots

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Layout of ImageGrid: each cell (one image) takes GridCell on the page, cells are
// separated by gridGap pixels of gridGapGrey, and images are enlarged gridZoom times by
// pixel repetition before rendering so that the PNG's resampling keeps their pixels
// square and sharp.
const (
	GridCell    = 0.42 * vg.Inch
	gridGap     = 2
	gridGapGrey = 128
	gridZoom    = 4
)

// GridImage tiles grey images into one image of rows×cols cells, row by row, separated by
// 2 grey pixels. images holds n images of h×w pixels, flat and row-major ([n, h, w] or
// channels-last [n, h, w, 1]), with values in [-1, 1] (a tanh generator's range; the data
// of gankit/mnist's Batch): -1 is black, 1 white, values outside are clipped. n may be
// less than rows·cols (the last cells stay grey), not more.
func GridImage(images []float32, h, w, rows, cols int) (*image.Gray, error) {
	if h < 1 || w < 1 || rows < 1 || cols < 1 {
		return nil, fmt.Errorf("plots: image grid: image size %d×%d and grid %d×%d must be positive", h, w, rows, cols)
	}
	if len(images)%(h*w) != 0 {
		return nil, fmt.Errorf("plots: image grid: %d values is not a whole number of %d×%d images", len(images), h, w)
	}
	n := len(images) / (h * w)
	if n > rows*cols {
		return nil, fmt.Errorf("plots: image grid: %d images do not fit %d rows × %d columns", n, rows, cols)
	}
	W, H := cols*w+(cols+1)*gridGap, rows*h+(rows+1)*gridGap
	img := image.NewGray(image.Rect(0, 0, W, H))
	for i := range img.Pix {
		img.Pix[i] = gridGapGrey
	}
	for k := range n {
		r, c := k/cols, k%cols
		x0, y0 := gridGap+c*(w+gridGap), gridGap+r*(h+gridGap)
		for y := range h {
			for x := range w {
				v := float64(images[(k*h+y)*w+x])
				if math.IsNaN(v) {
					v = -1
				}
				g := math.Round((min(max(v, -1), 1) + 1) / 2 * 255)
				img.SetGray(x0+x, y0+y, color.Gray{Y: uint8(g)})
			}
		}
	}
	return img, nil
}

// zoom enlarges img k times by pixel repetition.
func zoom(img *image.Gray, k int) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx()*k, b.Dy()*k))
	for y := range b.Dy() * k {
		for x := range b.Dx() * k {
			out.Pix[y*out.Stride+x] = img.Pix[(y/k)*img.Stride+x/k]
		}
	}
	return out
}

// ImageGrid draws images (see GridImage for the layout and the value range) as a rows×cols
// grid in a one-tile Figure with the given title (empty for none) and no axes, sized
// GridCell per cell: a sample grid at one training snapshot. Figures of one grid shape
// have the same PixelSize, so a sequence of snapshots makes a GIF (see GIF).
func ImageGrid(title string, images []float32, h, w, rows, cols int) (*Figure, error) {
	img, err := GridImage(images, h, w, rows, cols)
	if err != nil {
		return nil, err
	}
	p := plot.New()
	p.Title.Text = title
	p.HideAxes()
	b := img.Bounds()
	p.X.Min, p.X.Max = 0, float64(b.Dx())
	p.Y.Min, p.Y.Max = 0, float64(b.Dy())
	p.Add(&rasterPlotter{img: zoom(img, gridZoom)})
	// The tile's data area keeps the grid's aspect ratio: width and height in proportion
	// to its pixels, plus the Figure's padding (see Figure.draw) and room for the title.
	cell := float64(GridCell) / float64(max(h, w))
	width := vg.Length(float64(b.Dx())*cell) + vg.Points(4+8)
	height := vg.Length(float64(b.Dy())*cell) + vg.Points(4+4)
	if title != "" {
		height += p.Title.TextStyle.Height(title) + p.Title.Padding
	}
	return &Figure{Plots: [][]*plot.Plot{{p}}, Width: width, Height: height, DPI: DefaultDPI}, nil
}

// rasterPlotter draws an image over the whole data area.
type rasterPlotter struct{ img image.Image }

func (r *rasterPlotter) Plot(c draw.Canvas, _ *plot.Plot) { c.DrawImage(c.Rectangle, r.img) }
