package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LineStyle is the dash pattern of a line.
type LineStyle int

const (
	// Solid is an unbroken line (the zero value).
	Solid LineStyle = iota
	// Dashed is a line of long dashes.
	Dashed
	// Dotted is a line of dots.
	Dotted
)

// String implements fmt.Stringer.
func (s LineStyle) String() string {
	switch s {
	case Solid:
		return "solid"
	case Dashed:
		return "dashed"
	case Dotted:
		return "dotted"
	}
	return fmt.Sprintf("LineStyle(%d)", int(s))
}

func (s LineStyle) dashes() ([]vg.Length, error) {
	switch s {
	case Solid:
		return nil, nil
	case Dashed:
		return []vg.Length{vg.Points(6), vg.Points(3)}, nil
	case Dotted:
		return []vg.Length{vg.Points(1.5), vg.Points(2.5)}, nil
	}
	return nil, fmt.Errorf("plots: unknown line style %d", int(s))
}

// Colours of the figures.
var (
	colorData = color.RGBA{A: 255}                            // p_data, real samples
	colorGen  = color.RGBA{R: 0x1a, G: 0x9e, B: 0x1a, A: 255} // p_g, generated samples
	colorD    = color.RGBA{R: 0x1f, G: 0x4e, B: 0xd8, A: 255} // D(x)
	colorRef  = color.RGBA{R: 0x60, G: 0x60, B: 0x60, A: 255} // reference lines
)

// palette10 gives distinct colours to the series of Lines (Tableau 10).
var palette10 = []color.RGBA{
	{R: 31, G: 119, B: 180, A: 255},
	{R: 255, G: 127, B: 14, A: 255},
	{R: 44, G: 160, B: 44, A: 255},
	{R: 214, G: 39, B: 40, A: 255},
	{R: 148, G: 103, B: 189, A: 255},
	{R: 140, G: 86, B: 75, A: 255},
	{R: 227, G: 119, B: 194, A: 255},
	{R: 127, G: 127, B: 127, A: 255},
	{R: 188, G: 189, B: 34, A: 255},
	{R: 23, G: 190, B: 207, A: 255},
}

// seriesColor returns the colour of the i-th series.
func seriesColor(i int) color.Color { return palette10[i%len(palette10)] }

// newLine returns a line through the finite points (xs[i], ys[i]); with logY, points
// with ys[i] <= 0 are skipped too.
func newLine(xs, ys []float64, c color.Color, style LineStyle, logY bool) (*plotter.Line, error) {
	if len(xs) != len(ys) {
		return nil, fmt.Errorf("plots: %d x values for %d y values", len(xs), len(ys))
	}
	pts := make(plotter.XYs, 0, len(xs))
	for i, x := range xs {
		y := ys[i]
		if !finite(x) || !finite(y) || (logY && y <= 0) {
			continue
		}
		pts = append(pts, plotter.XY{X: x, Y: y})
	}
	dashes, err := style.dashes()
	if err != nil {
		return nil, err
	}
	l := &plotter.Line{XYs: pts}
	l.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(1.6), Dashes: dashes}
	return l, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// newPlot returns a plot with the kit's defaults: light grid, small legend.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	p.Legend.ThumbnailWidth = vg.Points(22)
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 225}
	g.Horizontal.Color = color.Gray{Y: 225}
	p.Add(g)
	return p
}

// hline returns a dotted horizontal line at y from x0 to x1.
func hline(y, x0, x1 float64) (*plotter.Line, error) {
	return newLine([]float64{x0, x1}, []float64{y, y}, colorRef, Dotted, false)
}

// legendEntry is one line of a legend.
type legendEntry struct {
	name  string
	thumb plot.Thumbnailer
}

// addLegend adds the entries to p's legend (top right, inset from the frame) and puts
// a translucent white box behind it so it stays legible over the data. Call it after
// all the other plotters have been added: the box is drawn after them.
func addLegend(p *plot.Plot, entries ...legendEntry) {
	p.Legend.Padding = vg.Points(1.5)
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(5), -vg.Points(5)
	names := make([]string, len(entries))
	for i, e := range entries {
		p.Legend.Add(e.name, e.thumb)
		names[i] = e.name
	}
	p.Add(legendBox{legend: &p.Legend, names: names})
}

// legendBox is a plot.Plotter filling the area of a top-right legend.
type legendBox struct {
	legend *plot.Legend
	names  []string
}

// Plot implements plot.Plotter.
func (b legendBox) Plot(c draw.Canvas, _ *plot.Plot) {
	if len(b.names) == 0 {
		return
	}
	sty := b.legend.TextStyle
	var textW, entryH vg.Length
	for _, n := range b.names {
		r := sty.Rectangle(n)
		textW = max(textW, r.Max.X)
		entryH = max(entryH, r.Max.Y)
	}
	em := sty.Rectangle(" ").Max.X
	n := vg.Length(len(b.names))
	w := b.legend.ThumbnailWidth + em + textW
	h := n*entryH + (n-1)*b.legend.Padding + sty.FontExtents().Descent
	margin := vg.Points(3)
	maxX, maxY := c.Max.X+b.legend.XOffs+margin, c.Max.Y+b.legend.YOffs+margin
	minX, minY := maxX-w-2*margin, maxY-h-2*margin
	c.FillPolygon(color.NRGBA{R: 255, G: 255, B: 255, A: 210}, []vg.Point{
		{X: minX, Y: minY}, {X: maxX, Y: minY}, {X: maxX, Y: maxY}, {X: minX, Y: maxY},
	})
}

// headroom raises the top of p's y range by frac of the range (on a log axis, of the
// decades it spans), making room for a top legend. Call it after adding the data.
func headroom(p *plot.Plot, frac float64, logY bool) {
	lo, hi := p.Y.Min, p.Y.Max
	if !finite(lo) || !finite(hi) || hi <= lo {
		return
	}
	if logY {
		if lo > 0 {
			p.Y.Max = hi * math.Pow(hi/lo, frac)
		}
		return
	}
	p.Y.Max = hi + frac*(hi-lo)
}
