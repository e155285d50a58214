package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/gankit/kit/gankit/pointgan"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

const (
	// MaxArrows is the most update arrows GANLab draws per panel: an evenly spaced
	// subset of the generated samples.
	MaxArrows = 200
	// ArrowFraction is the length of the longest arrow of a panel, as a fraction of the
	// panel's x range. Arrows are scaled per panel: they show directions and relative
	// sizes within one view, not across views.
	ArrowFraction = 0.10
)

// Colours of the GAN Lab view, besides those of Samples2D.
var (
	colorArrow    = color.RGBA{R: 0x0b, G: 0x4d, B: 0x0b, A: 255}  // G's update of a sample
	colorManifold = color.NRGBA{R: 0x1a, G: 0x7e, B: 0x1a, A: 110} // G's image of the noise grid
)

// GANLab draws the 2-D view of GAN Lab (Kahng et al. 2018) for one pointgan.View, in one
// square panel titled "iteration N": the discriminator's D(x) as a heat map (blue for
// 0, white for 1/2, red for 1, as in Samples2D), the generator's manifold (the image of
// a regular grid of noise points, a warped grid of thin, light green lines joining
// neighbours along rows and columns; when the view has one), the real samples (black),
// the generated samples (green) and, on up to MaxArrows of them, an arrow along the
// direction in which the generator's next update moves the sample (dark green),
// scaled so that the longest is ArrowFraction of the panel's width. The axes span D's
// grid; what lies outside is not drawn.
func GANLab(v pointgan.View) (*Figure, error) {
	return GANLabSequence([]pointgan.View{v})
}

// GANLabSequence draws one GANLab panel per view, side by side (capped at MaxWidth, as
// every Figure), with the legend on the first panel.
func GANLabSequence(views []pointgan.View) (*Figure, error) {
	if len(views) == 0 {
		return nil, fmt.Errorf("plots: GANLab: no views")
	}
	pal := heatPalette(64)
	row := make([]*plot.Plot, len(views))
	for i, v := range views {
		if err := checkView(v); err != nil {
			return nil, fmt.Errorf("plots: GANLab: view %d (iteration %d): %w", i, v.Iteration, err)
		}
		p, err := ganLabPlot(v, pal, i == 0)
		if err != nil {
			return nil, fmt.Errorf("plots: GANLab: view %d (iteration %d): %w", i, v.Iteration, err)
		}
		row[i] = p
	}
	return squareRow(row)
}

// checkView reports a View GANLab cannot draw.
func checkView(v pointgan.View) error {
	if v.Dim != 2 {
		return fmt.Errorf("Dim is %d, want 2", v.Dim)
	}
	if err := check2D(pointgan.Snapshot{Dim: 2, Samples: v.Samples, GridX: v.GridX, GridY: v.GridY, D: v.D}); err != nil {
		return err
	}
	if len(v.Real)%2 != 0 {
		return fmt.Errorf("%d real values is not a whole number of 2-D points", len(v.Real))
	}
	if v.Gradients != nil && len(v.Gradients) != len(v.Samples) {
		return fmt.Errorf("%d gradient values for %d sample values", len(v.Gradients), len(v.Samples))
	}
	switch {
	case v.ManifoldSize == 0 && len(v.Manifold) != 0:
		return fmt.Errorf("%d manifold values with ManifoldSize 0", len(v.Manifold))
	case v.ManifoldSize == 1 || v.ManifoldSize < 0:
		return fmt.Errorf("ManifoldSize is %d, want 0 or at least 2", v.ManifoldSize)
	case v.ManifoldSize > 0 && len(v.Manifold) != 2*v.ManifoldSize*v.ManifoldSize:
		return fmt.Errorf("%d manifold values for a %d x %d grid of 2-D points", len(v.Manifold), v.ManifoldSize, v.ManifoldSize)
	}
	return nil
}

func ganLabPlot(v pointgan.View, pal []color.Color, legend bool) (*plot.Plot, error) {
	p := newPlot(fmt.Sprintf("iteration %d", v.Iteration), "x₁", "")
	if legend {
		p.Y.Label.Text = "x₂"
	}
	hm := &heatMap{s: pointgan.Snapshot{Dim: 2, GridX: v.GridX, GridY: v.GridY, D: v.D}, pal: pal}
	p.Add(hm)
	xmin, xmax, ymin, ymax := hm.DataRange()

	manifoldStyle := draw.LineStyle{Color: colorManifold, Width: vg.Points(0.7)}
	if v.ManifoldSize > 0 {
		p.Add(&polylines{lines: manifoldLines(v.Manifold, v.ManifoldSize), style: manifoldStyle})
	}
	sReal, err := plotter.NewScatter(pairs(v.Real))
	if err != nil {
		return nil, fmt.Errorf("real samples: %w", err)
	}
	sReal.GlyphStyle = draw.GlyphStyle{Color: color.NRGBA{A: 150}, Radius: vg.Points(1), Shape: draw.CircleGlyph{}}
	sGen, err := plotter.NewScatter(pairs(v.Samples))
	if err != nil {
		return nil, fmt.Errorf("generated samples: %w", err)
	}
	sGen.GlyphStyle = draw.GlyphStyle{Color: colorGen, Radius: vg.Points(1.3), Shape: draw.CircleGlyph{}}
	arrowStyle := draw.LineStyle{Color: colorArrow, Width: vg.Points(0.8)}
	p.Add(sReal, sGen, &arrows{segs: arrowSegments(v.Samples, v.Gradients, ArrowFraction*(xmax-xmin)), style: arrowStyle})
	if legend {
		big := func(c color.Color, shape draw.GlyphDrawer) draw.GlyphStyle {
			return draw.GlyphStyle{Color: c, Radius: vg.Points(3), Shape: shape}
		}
		p.Legend.ThumbnailWidth = vg.Points(12)
		entries := []legendEntry{
			{"real", legendGlyph(big(color.Black, draw.CircleGlyph{}))},
			{"generated", legendGlyph(big(colorGen, draw.CircleGlyph{}))},
			{"G's update", legendArrow(arrowStyle)},
		}
		if v.ManifoldSize > 0 {
			entries = append(entries, legendEntry{"G(z grid)", legendLine(draw.LineStyle{Color: colorManifold, Width: vg.Points(1.2)})})
		}
		entries = append(entries,
			legendEntry{"D(x) = 0", legendGlyph(big(pal[0], draw.BoxGlyph{}))},
			legendEntry{"D(x) = 1", legendGlyph(big(pal[len(pal)-1], draw.BoxGlyph{}))})
		addLegend(p, entries...)
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xmin, xmax, ymin, ymax
	return p, nil
}

// manifoldLines returns the rows and the columns of a size x size grid of 2-D points
// (flat, row-major) as polylines in data coordinates. A non-finite point breaks its
// row and its column.
func manifoldLines(flat []float32, size int) [][]plotter.XY {
	at := func(iy, ix int) (plotter.XY, bool) {
		i := 2 * (iy*size + ix)
		x, y := float64(flat[i]), float64(flat[i+1])
		return plotter.XY{X: x, Y: y}, finite(x) && finite(y)
	}
	var lines [][]plotter.XY
	for _, byRow := range []bool{true, false} {
		for a := range size {
			var line []plotter.XY
			for b := range size {
				iy, ix := a, b
				if !byRow {
					iy, ix = b, a
				}
				pt, ok := at(iy, ix)
				if !ok {
					if len(line) > 1 {
						lines = append(lines, line)
					}
					line = nil
					continue
				}
				line = append(line, pt)
			}
			if len(line) > 1 {
				lines = append(lines, line)
			}
		}
	}
	return lines
}

// arrowSegments picks up to MaxArrows evenly spaced samples and returns, for each, the
// segment from the sample along its gradient, scaled so that the longest segment is
// maxLen long (in data units). Non-finite and zero gradients are skipped.
func arrowSegments(samples, grads []float32, maxLen float64) [][2]plotter.XY {
	n := len(grads) / 2
	if n == 0 || len(samples) < 2*n {
		return nil
	}
	picked := min(n, MaxArrows)
	segs := make([][2]plotter.XY, 0, picked)
	var longest float64
	for k := range picked {
		i := k * n / picked
		x, y := float64(samples[2*i]), float64(samples[2*i+1])
		gx, gy := float64(grads[2*i]), float64(grads[2*i+1])
		norm := math.Hypot(gx, gy)
		if !finite(x) || !finite(y) || !finite(norm) || norm == 0 {
			continue
		}
		longest = max(longest, norm)
		segs = append(segs, [2]plotter.XY{{X: x, Y: y}, {X: gx, Y: gy}})
	}
	if longest == 0 {
		return nil
	}
	scale := maxLen / longest
	for i, s := range segs {
		segs[i][1] = plotter.XY{X: s[0].X + scale*s[1].X, Y: s[0].Y + scale*s[1].Y}
	}
	return segs
}

// polylines is a plot.Plotter drawing lines given in data coordinates, clipped to the
// data area.
type polylines struct {
	lines [][]plotter.XY
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (l *polylines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, line := range l.lines {
		pts := make([]vg.Point, len(line))
		for i, xy := range line {
			pts[i] = vg.Point{X: trX(xy.X), Y: trY(xy.Y)}
		}
		c.StrokeLines(l.style, c.ClipLinesXY(pts)...)
	}
}

// arrows is a plot.Plotter drawing segments from [0] to [1] with a small head at [1];
// arrows whose start lies outside the data area are not drawn.
type arrows struct {
	segs  [][2]plotter.XY
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (a *arrows) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, s := range a.segs {
		from := vg.Point{X: trX(s[0].X), Y: trY(s[0].Y)}
		to := vg.Point{X: trX(s[1].X), Y: trY(s[1].Y)}
		if !c.Contains(from) {
			continue
		}
		drawArrow(c, a.style, from, to)
	}
}

// drawArrow strokes a segment from -> to, clipped to c, with a head of two short
// strokes at to when to lies inside c.
func drawArrow(c draw.Canvas, sty draw.LineStyle, from, to vg.Point) {
	c.StrokeLines(sty, c.ClipLinesXY([]vg.Point{from, to})...)
	d := to.Sub(from)
	length := math.Hypot(float64(d.X), float64(d.Y))
	if length == 0 || !c.Contains(to) {
		return
	}
	head := min(vg.Points(3.5), vg.Length(0.4*length))
	ux, uy := float64(d.X)/length, float64(d.Y)/length
	const angle = 25 * math.Pi / 180
	for _, sign := range []float64{1, -1} {
		cos, sin := math.Cos(angle), sign*math.Sin(angle)
		bx, by := -(ux*cos - uy*sin), -(ux*sin + uy*cos) // The direction rotated by ±angle, reversed.
		c.StrokeLine2(sty, to.X, to.Y, to.X+head*vg.Length(bx), to.Y+head*vg.Length(by))
	}
}

// legendArrow is a legend thumbnail drawing a horizontal arrow.
type legendArrow draw.LineStyle

func (a legendArrow) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	drawArrow(*c, draw.LineStyle(a), vg.Point{X: c.Min.X, Y: y}, vg.Point{X: c.Max.X, Y: y})
}

// legendLine is a legend thumbnail drawing a horizontal line.
type legendLine draw.LineStyle

func (l legendLine) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle(l), c.Min.X, y, c.Max.X, y)
}
