package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

const (
	// DefaultDPI is the resolution of the PNGs: figures are a few hundred KB at most.
	DefaultDPI = 100
	// ColumnWidth and RowHeight are the default size of one tile of a Figure.
	ColumnWidth = 4 * vg.Inch
	RowHeight   = 3 * vg.Inch
	// MaxWidth and MaxHeight cap the default size of a Figure: beyond them the tiles
	// shrink, so wide figures still fit a notebook.
	MaxWidth  = 16 * vg.Inch
	MaxHeight = 12 * vg.Inch
)

// Figure is a grid of plots drawn together, aligned with plot.Align so that their data
// areas line up.
type Figure struct {
	// Plots holds the tiles, row by row; every row has the same number of columns.
	// A nil tile is left blank.
	Plots [][]*plot.Plot
	// Width and Height are the size of the whole figure.
	Width, Height vg.Length
	// DPI is the resolution of PNG output.
	DPI int
}

// NewFigure returns a Figure of the given tiles (rows of columns) with the default
// size: ColumnWidth per column and RowHeight per row, capped at MaxWidth x MaxHeight.
func NewFigure(plots [][]*plot.Plot) (*Figure, error) {
	rows, cols, err := gridDims(plots)
	if err != nil {
		return nil, err
	}
	return &Figure{
		Plots:  plots,
		Width:  min(vg.Length(cols)*ColumnWidth, MaxWidth),
		Height: min(vg.Length(rows)*RowHeight, MaxHeight),
		DPI:    DefaultDPI,
	}, nil
}

// Single returns a one-tile Figure of p with the default size.
func Single(p *plot.Plot) (*Figure, error) {
	return NewFigure([][]*plot.Plot{{p}})
}

func gridDims(plots [][]*plot.Plot) (rows, cols int, err error) {
	rows = len(plots)
	if rows == 0 || len(plots[0]) == 0 {
		return 0, 0, fmt.Errorf("plots: a figure needs at least one tile")
	}
	cols = len(plots[0])
	for i, row := range plots {
		if len(row) != cols {
			return 0, 0, fmt.Errorf("plots: figure row %d has %d tiles, row 0 has %d", i, len(row), cols)
		}
	}
	return rows, cols, nil
}

// Rows returns the number of rows of tiles.
func (f *Figure) Rows() int { return len(f.Plots) }

// Cols returns the number of columns of tiles.
func (f *Figure) Cols() int {
	if len(f.Plots) == 0 {
		return 0
	}
	return len(f.Plots[0])
}

// PixelSize returns the size in pixels of the figure's PNG.
func (f *Figure) PixelSize() (w, h int) {
	dpi := vg.Length(f.dpi())
	return int(f.Width/vg.Inch*dpi + 0.5), int(f.Height/vg.Inch*dpi + 0.5)
}

func (f *Figure) dpi() int {
	if f.DPI <= 0 {
		return DefaultDPI
	}
	return f.DPI
}

// draw renders the tiles on c, turning gonum/plot's panics (for instance a log axis
// over a non-positive range) into an error.
func (f *Figure) draw(c vg.CanvasSizer) (err error) {
	rows, cols, err := gridDims(f.Plots)
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plots: drawing the figure: %v", r)
		}
	}()
	dc := draw.New(c)
	dc.FillPolygon(color.White, []vg.Point{dc.Min, {X: dc.Max.X, Y: dc.Min.Y}, dc.Max, {X: dc.Min.X, Y: dc.Max.Y}})
	tiles := draw.Tiles{
		Rows: rows, Cols: cols,
		PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8),
		PadX: vg.Points(12), PadY: vg.Points(12),
	}
	canvases := plot.Align(f.Plots, tiles, dc)
	for j, row := range f.Plots {
		for i, p := range row {
			if p != nil {
				p.Draw(canvases[j][i])
			}
		}
	}
	return nil
}

func (f *Figure) checkSize() error {
	if f.Width <= 0 || f.Height <= 0 {
		return fmt.Errorf("plots: figure size %v x %v is not positive", f.Width, f.Height)
	}
	return nil
}

// PNG renders the figure as a PNG image of PixelSize pixels.
func (f *Figure) PNG() ([]byte, error) {
	if err := f.checkSize(); err != nil {
		return nil, err
	}
	c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(f.dpi()))
	if err := f.draw(c); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, c.Image()); err != nil {
		return nil, fmt.Errorf("plots: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG renders the figure as an SVG document.
func (f *Figure) SVG() ([]byte, error) {
	if err := f.checkSize(); err != nil {
		return nil, err
	}
	c := vgsvg.New(f.Width, f.Height)
	if err := f.draw(c); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: encoding SVG: %w", err)
	}
	return buf.Bytes(), nil
}

// Save writes the figure to path, as PNG or SVG according to its extension (.png or
// .svg). The directory must exist.
func (f *Figure) Save(path string) error {
	var (
		data []byte
		err  error
	)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".png":
		data, err = f.PNG()
	case ".svg":
		data, err = f.SVG()
	default:
		return fmt.Errorf("plots: saving %q: unknown format %q (want .png or .svg)", path, ext)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("plots: saving figure: %w", err)
	}
	return nil
}

// Row places figures side by side in one figure: their tiles are concatenated column
// by column, so all figures must have the same number of rows. The result is as wide
// as the figures together (capped at MaxWidth) and as tall as the tallest one; it
// renders at the highest of their DPIs.
func Row(figs ...*Figure) (*Figure, error) {
	if len(figs) == 0 {
		return nil, fmt.Errorf("plots: Row needs at least one figure")
	}
	rows := -1
	out := &Figure{}
	for i, f := range figs {
		if f == nil {
			return nil, fmt.Errorf("plots: Row: figure %d is nil", i)
		}
		r, _, err := gridDims(f.Plots)
		if err != nil {
			return nil, fmt.Errorf("plots: Row: figure %d: %w", i, err)
		}
		if rows == -1 {
			rows = r
			out.Plots = make([][]*plot.Plot, rows)
		} else if r != rows {
			return nil, fmt.Errorf("plots: Row: figure %d has %d rows, figure 0 has %d", i, r, rows)
		}
		for j := range rows {
			out.Plots[j] = append(out.Plots[j], f.Plots[j]...)
		}
		out.Width += f.Width
		out.Height = max(out.Height, f.Height)
		out.DPI = max(out.DPI, f.DPI)
	}
	out.Width = min(out.Width, MaxWidth)
	return out, nil
}
