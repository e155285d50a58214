package plots

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/pointgan"
	"gonum.org/v1/plot"
)

// MaxCurvePoints is the number of points above which Curves averages the history over
// blocks of consecutive iterations, to keep the lines readable.
const MaxCurvePoints = 2000

// curvePoints is about how many points Curves draws after averaging.
const curvePoints = 500

// Curves draws the training history in two panels side by side: the discriminator's
// and the generator's losses (left), and the mean D(x) on real data and D(G(z)) on
// generated data (right), with a dotted line at the equilibrium value 1/2. Histories
// longer than MaxCurvePoints are averaged over blocks of consecutive iterations, down
// to about 500 points (the x label says how many iterations a point averages).
func Curves(history []pointgan.Record) (*Figure, error) {
	if len(history) == 0 {
		return nil, fmt.Errorf("plots: Curves: empty history")
	}
	n := len(history)
	it, dLoss, gLoss, dReal, dFake := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, r := range history {
		it[i], dLoss[i], gLoss[i], dReal[i], dFake[i] = float64(r.Iteration), r.DLoss, r.GLoss, r.DReal, r.DFake
	}
	xLabel := "iteration"
	if n > MaxCurvePoints {
		block := (n + curvePoints - 1) / curvePoints
		it, dLoss, gLoss, dReal, dFake = blockMean(it, block), blockMean(dLoss, block), blockMean(gLoss, block), blockMean(dReal, block), blockMean(dFake, block)
		xLabel = fmt.Sprintf("iteration (means of %d)", block)
	}

	left := newPlot("losses", xLabel, "loss")
	lD, err := newLine(it, dLoss, palette10[0], Solid, false)
	if err != nil {
		return nil, err
	}
	lG, err := newLine(it, gLoss, palette10[1], Solid, false)
	if err != nil {
		return nil, err
	}
	left.Add(lD, lG)
	headroom(left, 0.2, false)
	addLegend(left, legendEntry{"D loss", lD}, legendEntry{"G loss", lG})

	right := newPlot("discriminator outputs", xLabel, "mean D")
	lReal, err := newLine(it, dReal, colorD, Solid, false)
	if err != nil {
		return nil, err
	}
	lFake, err := newLine(it, dFake, colorGen, Solid, false)
	if err != nil {
		return nil, err
	}
	half, err := hline(0.5, it[0], it[len(it)-1])
	if err != nil {
		return nil, err
	}
	right.Add(half, lReal, lFake)
	addLegend(right, legendEntry{"D(x)", lReal}, legendEntry{"D(G(z))", lFake}, legendEntry{"1/2", half})
	right.Y.Min, right.Y.Max = 0, 1.2
	return NewFigure([][]*plot.Plot{{left, right}})
}

// blockMean returns the means of consecutive blocks of vs, ignoring non-finite values
// (a block of only non-finite values gives NaN, which the lines skip).
func blockMean(vs []float64, block int) []float64 {
	out := make([]float64, 0, (len(vs)+block-1)/block)
	for start := 0; start < len(vs); start += block {
		var sum float64
		var count int
		for _, v := range vs[start:min(start+block, len(vs))] {
			if finite(v) {
				sum += v
				count++
			}
		}
		if count == 0 {
			out = append(out, math.NaN())
		} else {
			out = append(out, sum/float64(count))
		}
	}
	return out
}
