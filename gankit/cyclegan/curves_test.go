package cyclegan

import (
	"math"
	"testing"

	"github.com/gankit/kit/gankit/mnist"
)

func TestInkMeansAndThreshold(t *testing.T) {
	const px = mnist.Pixels
	// n images with their first ink pixels bright and the rest background.
	img := func(ink, n int) []float32 {
		out := make([]float32, n*px)
		for i := range out {
			out[i] = -1
			if i%px < ink {
				out[i] = 1
			}
		}
		return out
	}
	// A: 2 images with 100 bright pixels, B: 3 with 300.
	d, err := NewDomains("a", img(100, 2), nil, "b", img(300, 3), nil)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := InkMeans(d); math.Abs(a-100.0/px) > 1e-12 || math.Abs(b-300.0/px) > 1e-12 {
		t.Errorf("InkMeans %v, %v, want %v, %v", a, b, 100.0/px, 300.0/px)
	}
	if got, want := InkThreshold(d), (100.0+300.0)/2/px; math.Abs(got-want) > 1e-12 {
		t.Errorf("InkThreshold %v, want %v", got, want)
	}
}

func TestCycleCurve(t *testing.T) {
	var h []Record
	for i := range 7 {
		h = append(h, Record{Iteration: i + 1, Cycle: float64(i)})
	}
	it, cycle, err := CycleCurve(h, 3)
	if err != nil || len(it) != 2 || it[0] != 3 || it[1] != 6 || cycle[0] != 1 || cycle[1] != 4 {
		t.Errorf("CycleCurve of 7 iterations in blocks of 3: %v, %v, %v; want [3 6], [1 4]", it, cycle, err)
	}
	if _, _, err := CycleCurve(h, 0); err == nil {
		t.Error("CycleCurve with blocks of 0: no error")
	}
}
