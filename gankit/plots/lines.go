package plots

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// Series is one named line of a Lines chart.
type Series struct {
	// Name labels the series in the legend; unnamed series are left out of it.
	Name string
	// X and Y are the points, of equal length. Non-finite points are skipped (and, on
	// a log axis, points with Y <= 0).
	X, Y []float64
	// Style is the dash pattern; the colour comes from the series' position.
	Style LineStyle
}

// Lines draws a one-panel line chart of the series, each in its own colour.
func Lines(title, xLabel, yLabel string, series ...Series) (*Figure, error) {
	p, err := linesPlot(title, xLabel, yLabel, false, series)
	if err != nil {
		return nil, err
	}
	return Single(p)
}

// LinesLogY is Lines with a logarithmic y axis, for values that span decades (for
// instance a gradient norm from 1e-4 to 1). Points with Y <= 0 are skipped; it is an
// error if no point is left.
func LinesLogY(title, xLabel, yLabel string, series ...Series) (*Figure, error) {
	p, err := linesPlot(title, xLabel, yLabel, true, series)
	if err != nil {
		return nil, err
	}
	return Single(p)
}

func linesPlot(title, xLabel, yLabel string, logY bool, series []Series) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots: Lines %q: no series", title)
	}
	p := newPlot(title, xLabel, yLabel)
	points := 0
	var legend []legendEntry
	for i, s := range series {
		l, err := newLine(s.X, s.Y, seriesColor(i), s.Style, logY)
		if err != nil {
			return nil, fmt.Errorf("plots: Lines %q: series %d (%q): %w", title, i, s.Name, err)
		}
		points += len(l.XYs)
		p.Add(l)
		if s.Name != "" {
			legend = append(legend, legendEntry{s.Name, l})
		}
	}
	if points == 0 {
		return nil, fmt.Errorf("plots: Lines %q: no point to draw", title)
	}
	if len(legend) > 0 {
		headroom(p, 0.06*float64(len(legend)+1), logY)
		addLegend(p, legend...)
	}
	if logY {
		// A little room below the smallest value, so its decade gets a labelled tick.
		if lo, hi := p.Y.Min, p.Y.Max; lo > 0 && hi > lo {
			p.Y.Min = lo / math.Pow(hi/lo, 0.03)
		}
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = decadeTicks{}
	}
	return p, nil
}

// decadeTicks marks powers of ten, labelling at most about eight of them (every n-th
// decade when the axis spans more), as "0.01", "1", "100" near 1 and "1e-15" beyond.
// gonum's LogTicks prints full-precision labels that overlap across many decades.
type decadeTicks struct{}

func (decadeTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max > min) {
		return nil
	}
	lo, hi := int(math.Floor(math.Log10(min))), int(math.Ceil(math.Log10(max)))
	step := max1((hi - lo + 7) / 8)
	var ticks []plot.Tick
	for k := lo; k <= hi; k++ {
		v := math.Pow(10, float64(k))
		if v < min || v > max {
			continue
		}
		t := plot.Tick{Value: v}
		if k%step == 0 {
			t.Label = decadeLabel(k)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

func max1(n int) int { return max(n, 1) }

func decadeLabel(k int) string {
	if k >= -3 && k <= 3 {
		return strconv.FormatFloat(math.Pow(10, float64(k)), 'f', -1, 64)
	}
	return fmt.Sprintf("1e%d", k)
}
