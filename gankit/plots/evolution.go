package plots

import (
	"fmt"
	"image"
	"image/color"
	imgdraw "image/draw"
	"math"
	"sort"

	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Evolution1D draws the panel of Figure 1 of Goodfellow et al. (2014): one column per
// snapshot, titled "iteration N", each with the data density p_data (black, dotted;
// exact, from data), the generator's density p_g (green, solid; KDE of the snapshot's
// samples) and the discriminator's D(x) (blue, dashed), all on the snapshot's grid.
// All panels share the y range, so they compare; a generator that collapses to a spike
// is clipped at a few times the peak of p_data. The legend is on the first panel.
func Evolution1D(data target.Density, snaps []pointgan.Snapshot) (*Figure, error) {
	if data == nil {
		return nil, fmt.Errorf("plots: Evolution1D: nil data distribution")
	}
	if data.Dim() != 1 {
		return nil, fmt.Errorf("plots: Evolution1D: data %q is %d-dimensional, want 1", data.Name(), data.Dim())
	}
	if len(snaps) == 0 {
		return nil, fmt.Errorf("plots: Evolution1D: no snapshots")
	}
	type curves struct{ pData, pG []float64 }
	all := make([]curves, len(snaps))
	var peakData, peakG float64
	for i, s := range snaps {
		if err := check1D(s); err != nil {
			return nil, fmt.Errorf("plots: Evolution1D: snapshot %d (iteration %d): %w", i, s.Iteration, err)
		}
		c := curves{pData: make([]float64, len(s.GridX)), pG: KDE(s.Samples, s.GridX)}
		x := make([]float64, 1)
		for j, gx := range s.GridX {
			x[0] = gx
			c.pData[j] = data.Density(x)
			if finite(c.pData[j]) {
				peakData = max(peakData, c.pData[j])
			}
		}
		for _, v := range c.pG {
			peakG = max(peakG, v)
		}
		all[i] = c
	}
	yMax := 1.3 // D(x) is in [0, 1]; the rest is room for the legend.
	yMax = max(yMax, 1.1*peakData)
	if peakData > 0 {
		yMax = max(yMax, 1.1*min(peakG, 3*peakData))
	} else {
		yMax = max(yMax, 1.1*peakG)
	}

	row := make([]*plot.Plot, len(snaps))
	for i, s := range snaps {
		p := newPlot(fmt.Sprintf("iteration %d", s.Iteration), "x", "")
		if i == 0 {
			p.Y.Label.Text = "density, D(x)"
		}
		lData, err := newLine(s.GridX, all[i].pData, colorData, Dotted, false)
		if err != nil {
			return nil, err
		}
		lData.LineStyle.Width = vg.Points(2)
		lG, err := newLine(s.GridX, all[i].pG, colorGen, Solid, false)
		if err != nil {
			return nil, err
		}
		lD, err := newLine(s.GridX, s.D, colorD, Dashed, false)
		if err != nil {
			return nil, err
		}
		p.Add(lData, lG, lD)
		if i == 0 {
			addLegend(p, legendEntry{"p_data", lData}, legendEntry{"p_g", lG}, legendEntry{"D(x)", lD})
		}
		p.X.Min, p.X.Max = s.GridX[0], s.GridX[len(s.GridX)-1]
		p.Y.Min, p.Y.Max = 0, yMax
		row[i] = p
	}
	return NewFigure([][]*plot.Plot{row})
}

func check1D(s pointgan.Snapshot) error {
	if s.Dim != 1 {
		return fmt.Errorf("Dim is %d, want 1", s.Dim)
	}
	if len(s.GridX) < 2 {
		return fmt.Errorf("grid has %d points, want at least 2", len(s.GridX))
	}
	if len(s.D) != len(s.GridX) {
		return fmt.Errorf("%d values of D for a grid of %d points", len(s.D), len(s.GridX))
	}
	if len(s.Samples) == 0 {
		return fmt.Errorf("no samples")
	}
	return nil
}

// Samples2D draws, for a 2-D target, one column per snapshot: the discriminator's D(x)
// as a heat map (blue for 0, white for 1/2, red for 1: the same fixed range in every
// panel), the real samples (flat x, y pairs; black) and the snapshot's generated
// samples (green) on top. The axes span the snapshot's grid; points outside it are not
// drawn. The legend is on the first panel.
func Samples2D(real []float32, snaps []pointgan.Snapshot) (*Figure, error) {
	if len(real)%2 != 0 {
		return nil, fmt.Errorf("plots: Samples2D: %d real values is not a whole number of 2-D points", len(real))
	}
	if len(snaps) == 0 {
		return nil, fmt.Errorf("plots: Samples2D: no snapshots")
	}
	realXYs := pairs(real)
	pal := heatPalette(64)
	row := make([]*plot.Plot, len(snaps))
	for i, s := range snaps {
		if err := check2D(s); err != nil {
			return nil, fmt.Errorf("plots: Samples2D: snapshot %d (iteration %d): %w", i, s.Iteration, err)
		}
		p := newPlot(fmt.Sprintf("iteration %d", s.Iteration), "x₁", "")
		if i == 0 {
			p.Y.Label.Text = "x₂"
		}
		hm := &heatMap{s: s, pal: pal}
		p.Add(hm)
		xmin, xmax, ymin, ymax := hm.DataRange()

		sReal, err := plotter.NewScatter(realXYs)
		if err != nil {
			return nil, fmt.Errorf("plots: Samples2D: real samples: %w", err)
		}
		sReal.GlyphStyle = draw.GlyphStyle{Color: color.NRGBA{A: 150}, Radius: vg.Points(1), Shape: draw.CircleGlyph{}}
		sGen, err := plotter.NewScatter(pairs(s.Samples))
		if err != nil {
			return nil, fmt.Errorf("plots: Samples2D: snapshot %d samples: %w", i, err)
		}
		sGen.GlyphStyle = draw.GlyphStyle{Color: colorGen, Radius: vg.Points(1.3), Shape: draw.CircleGlyph{}}
		p.Add(sReal, sGen)
		if i == 0 {
			big := func(c color.Color, shape draw.GlyphDrawer) draw.GlyphStyle {
				return draw.GlyphStyle{Color: c, Radius: vg.Points(3), Shape: shape}
			}
			p.Legend.ThumbnailWidth = vg.Points(8)
			addLegend(p,
				legendEntry{"real", legendGlyph(big(color.Black, draw.CircleGlyph{}))},
				legendEntry{"generated", legendGlyph(big(colorGen, draw.CircleGlyph{}))},
				legendEntry{"D(x) = 0", legendGlyph(big(pal[0], draw.BoxGlyph{}))},
				legendEntry{"D(x) = 1", legendGlyph(big(pal[len(pal)-1], draw.BoxGlyph{}))})
		}
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xmin, xmax, ymin, ymax
		row[i] = p
	}
	return squareRow(row)
}

// squareRow lays out one row of square-ish panels: as tall as a column is wide, plus
// room for the title and labels.
func squareRow(row []*plot.Plot) (*Figure, error) {
	f, err := NewFigure([][]*plot.Plot{row})
	if err != nil {
		return nil, err
	}
	f.Height = min(f.Width/vg.Length(len(row))+vg.Points(30), MaxHeight)
	return f, nil
}

func check2D(s pointgan.Snapshot) error {
	if s.Dim != 2 {
		return fmt.Errorf("Dim is %d, want 2", s.Dim)
	}
	if len(s.GridX) < 2 || len(s.GridY) < 2 {
		return fmt.Errorf("grid is %d x %d points, want at least 2 x 2", len(s.GridX), len(s.GridY))
	}
	if len(s.D) != len(s.GridX)*len(s.GridY) {
		return fmt.Errorf("%d values of D for a grid of %d x %d points", len(s.D), len(s.GridX), len(s.GridY))
	}
	if len(s.Samples)%2 != 0 {
		return fmt.Errorf("%d sample values is not a whole number of 2-D points", len(s.Samples))
	}
	return nil
}

// pairs turns flat x, y values into XYs, dropping non-finite points.
func pairs(flat []float32) plotter.XYs {
	xys := make(plotter.XYs, 0, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		x, y := float64(flat[i]), float64(flat[i+1])
		if finite(x) && finite(y) {
			xys = append(xys, plotter.XY{X: x, Y: y})
		}
	}
	return xys
}

// heatMap is a plot.Plotter drawing a snapshot's D(x), clamped to [0, 1], as an image
// at the canvas' resolution: D is interpolated bilinearly between grid points and
// coloured with pal. This gives smooth maps with few distinct colours (small PNGs),
// where plotter.HeatMap either rescales a grid-sized image (many colours) or draws
// one polygon per cell (seams, large SVGs).
type heatMap struct {
	s   pointgan.Snapshot
	pal []color.Color
}

// DataRange implements plot.DataRanger: the grid's extent.
func (h *heatMap) DataRange() (xmin, xmax, ymin, ymax float64) {
	gx, gy := h.s.GridX, h.s.GridY
	return min(gx[0], gx[len(gx)-1]), max(gx[0], gx[len(gx)-1]), min(gy[0], gy[len(gy)-1]), max(gy[0], gy[len(gy)-1])
}

// Plot implements plot.Plotter.
func (h *heatMap) Plot(c draw.Canvas, p *plot.Plot) {
	xmin, xmax, ymin, ymax := h.DataRange()
	trX, trY := p.Transforms(&c)
	rect := vg.Rectangle{Min: vg.Point{X: trX(xmin), Y: trY(ymin)}, Max: vg.Point{X: trX(xmax), Y: trY(ymax)}}
	dpi := 144.0 // Vector formats: the image is scaled by the viewer.
	raster, isRaster := unwrap(c.Canvas).(*vgimg.Canvas)
	if isRaster {
		dpi = raster.DPI()
	}
	size := rect.Size()
	w := min(max(int(math.Round(size.X.Dots(dpi))), 1), 4096)
	ht := min(max(int(math.Round(size.Y.Dots(dpi))), 1), 4096)
	img := image.NewRGBA(image.Rect(0, 0, w, ht))
	cols := make([]float64, w) // Data x of each pixel column.
	for i := range cols {
		cols[i] = xmin + (xmax-xmin)*(float64(i)+0.5)/float64(w)
	}
	n := len(h.pal)
	for j := range ht {
		y := ymax - (ymax-ymin)*(float64(j)+0.5)/float64(ht) // Row 0 is the top.
		for i, x := range cols {
			v := h.at(x, y)
			if math.IsNaN(v) {
				continue
			}
			img.Set(i, j, h.pal[int(min(max(v, 0), 1)*float64(n-1)+0.5)])
		}
	}
	if isRaster {
		// Copy the pixels: vg's DrawImage would resample the image, blending its
		// colours into many more (and a larger PNG).
		dst := raster.Image()
		x0 := int(math.Round(rect.Min.X.Dots(dpi)))
		y0 := dst.Bounds().Dy() - int(math.Round(rect.Max.Y.Dots(dpi)))
		imgdraw.Draw(dst, image.Rect(x0, y0, x0+w, y0+ht), img, image.Point{}, imgdraw.Over)
		return
	}
	c.DrawImage(rect, img)
}

// unwrap returns the canvas under nested draw.Canvas values.
func unwrap(c vg.Canvas) vg.Canvas {
	for {
		switch dc := c.(type) {
		case draw.Canvas:
			c = dc.Canvas
		case *draw.Canvas:
			c = dc.Canvas
		default:
			return c
		}
	}
}

// at interpolates D bilinearly at (x, y).
func (h *heatMap) at(x, y float64) float64 {
	ix, fx := cell(h.s.GridX, x)
	iy, fy := cell(h.s.GridY, y)
	nx := len(h.s.GridX)
	d := h.s.D
	v00, v10 := d[iy*nx+ix], d[iy*nx+ix+1]
	v01, v11 := d[(iy+1)*nx+ix], d[(iy+1)*nx+ix+1]
	return (1-fy)*((1-fx)*v00+fx*v10) + fy*((1-fx)*v01+fx*v11)
}

// cell returns i and f such that v is at fraction f of the way from grid[i] to
// grid[i+1], for an increasing or decreasing grid of at least two points.
func cell(grid []float64, v float64) (int, float64) {
	n := len(grid)
	desc := grid[n-1] < grid[0]
	i := sort.Search(n, func(k int) bool {
		if desc {
			return grid[k] <= v
		}
		return grid[k] >= v
	}) - 1
	i = min(max(i, 0), n-2)
	span := grid[i+1] - grid[i]
	if span == 0 {
		return i, 0
	}
	return i, min(max((v-grid[i])/span, 0), 1)
}

// heatPalette is Moreland's smooth blue-red diverging map, lightened towards white so
// that the samples drawn on top stay visible.
func heatPalette(n int) []color.Color {
	cm := moreland.SmoothBlueRed()
	cm.SetMin(0)
	cm.SetMax(1)
	src := cm.Palette(n).Colors()
	cols := make([]color.Color, len(src))
	for i, c := range src {
		r, g, b, _ := c.RGBA()
		light := func(v uint32) uint8 { return uint8(0.55*float64(v>>8) + 0.45*255) }
		cols[i] = color.RGBA{R: light(r), G: light(g), B: light(b), A: 255}
	}
	return cols
}

// legendGlyph is a legend thumbnail drawing one glyph.
type legendGlyph draw.GlyphStyle

func (g legendGlyph) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(draw.GlyphStyle(g), c.Center())
}
