package metrics_test

import (
	"fmt"

	"github.com/gankit/kit/gankit/metrics"
)

// A generator whose samples are each one confident class scores the number of classes
// it uses equally: 2 here; one unsure about everything scores 1, the minimum.
func ExampleInceptionScore() {
	is, _ := metrics.InceptionScore([][]float64{{1, 0}, {0, 1}, {1, 0}, {0, 1}})
	fmt.Printf("two confident classes: IS %.3f\n", is)
	is, _ = metrics.InceptionScore([][]float64{{0.5, 0.5}, {0.5, 0.5}})
	fmt.Printf("always unsure:         IS %.3f\n", is)
	probs, _ := metrics.Softmax([]float32{5, 0, 0, 5}, 2) // from logits
	is, _ = metrics.InceptionScore(probs)
	fmt.Printf("from logits:           IS %.3f\n", is)
	_, err := metrics.InceptionScore([][]float64{{5, 0}})
	fmt.Println(err)
	// Output:
	// two confident classes: IS 2.000
	// always unsure:         IS 1.000
	// from logits:           IS 1.921
	// metrics: InceptionScore: row 0 sums to 5, not 1 (pass probabilities, not logits: see Softmax)
}

// KID is unbiased: for two samples of one distribution it scatters around 0 and can be
// negative (the two sets below interleave, one at 0, 0.1, ..., 1.9, the other at 0.05,
// 0.15, ..., 1.95). Shifting the second set by 1 moves it well away from 0.
func ExampleKID() {
	var a, b, c [][]float64
	for i := range 20 {
		x := float64(i) / 10
		a, b, c = append(a, []float64{x}), append(b, []float64{x + 0.05}), append(c, []float64{x + 1})
	}
	same, _ := metrics.KID(a, b)
	shifted, _ := metrics.KID(a, c)
	fmt.Printf("interleaved: %.3f\nshifted:     %.3f\n", same, shifted)
	// Output:
	// interleaved: -0.958
	// shifted:     81.277
}

// A generator that covers only one of two clusters: its samples are all realistic
// (precision 1) but half the real data is not covered (recall 0.5).
func ExamplePrecisionRecall() {
	real := [][]float64{{0}, {0.1}, {0.2}, {0.3}, {100}, {100.1}, {100.2}, {100.3}}
	fake := [][]float64{{0.05}, {0.15}, {0.25}, {0.1}}
	p, r, _ := metrics.PrecisionRecall(real, fake, 0) // k = 3
	fmt.Printf("precision %.2f, recall %.2f\n", p, r)
	// Output:
	// precision 1.00, recall 0.50
}

// A generator that returns training samples is closer to the training set than new real
// data: all its samples beat the held-out 25% quantile.
func ExampleMemorisation() {
	train := [][]float64{{0}, {10}, {20}, {30}}
	heldOut := [][]float64{{1}, {12}, {23}, {34}, {5}}
	copies := [][]float64{{0}, {20}, {10}}
	fresh := [][]float64{{3}, {14}, {26}}
	r, _ := metrics.Memorisation(copies, heldOut, train, 0.25)
	fmt.Println("copies:", r)
	r, _ = metrics.Memorisation(fresh, heldOut, train, 0.25)
	fmt.Println("fresh: ", r)
	// Output:
	// copies: 100.0% of generated samples closer to the training set than 25% of held-out ones; median distance ratio 0.00
	// fresh:  0.0% of generated samples closer to the training set than 25% of held-out ones; median distance ratio 1.33
}
