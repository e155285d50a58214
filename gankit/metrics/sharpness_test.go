package metrics_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/metrics"
)

func TestSharpness(t *testing.T) {
	const side = 4
	flat := make([]float32, side*side)
	// Vertical stripes -1, 1, -1, 1: dx² = 4 on every horizontal pair, dy = 0.
	stripes := make([]float32, side*side)
	// A ramp along the rows: dx = 0, dy² = 0.25.
	ramp := make([]float32, side*side)
	// Checkerboard: dx² = dy² = 4 on every pair.
	checker := make([]float32, side*side)
	for r := range side {
		for c := range side {
			stripes[r*side+c] = float32(2*(c%2) - 1)
			ramp[r*side+c] = 0.5 * float32(r)
			checker[r*side+c] = float32(2*((r+c)%2) - 1)
		}
	}
	for _, c := range []struct {
		name   string
		images []float32
		want   float64
	}{
		{"flat", flat, 0},
		{"stripes", stripes, 4},
		{"ramp", ramp, 0.25},
		{"checkerboard", checker, 8},
		{"two images average", append(append([]float32(nil), flat...), stripes...), 2},
	} {
		got, err := metrics.Sharpness(c.images, side)
		if err != nil || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: Sharpness = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
	// A blurred edge is less sharp than the edge.
	edge, blurred := make([]float32, side*side), make([]float32, side*side)
	for r := range side {
		for c := range side {
			edge[r*side+c] = float32(min(1, max(-1, 2*c-3)))
			blurred[r*side+c] = float32(c)*2/3 - 1
		}
	}
	// Per row the edge has one step of 2 (4/3 per pair), the blur three of 2/3 (4/9).
	e, _ := metrics.Sharpness(edge, side)
	b, _ := metrics.Sharpness(blurred, side)
	if math.Abs(e-4.0/3) > 1e-9 || math.Abs(b-4.0/9) > 1e-6 {
		t.Errorf("edge %v, its blur %v; want 4/3 and 4/9", e, b)
	}
	for _, c := range []struct {
		images []float32
		side   int
		want   string
	}{
		{flat, 1, "side >= 2"},
		{flat[:5], side, "5 values"},
		{nil, side, "0 values"},
		{append(append([]float32(nil), flat[:15]...), float32(math.NaN())), side, "value 15 (image 0) is NaN"},
	} {
		if _, err := metrics.Sharpness(c.images, c.side); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Sharpness(%d values, side %d): error %v, want one saying %q", len(c.images), c.side, err, c.want)
		}
	}
}
