package metrics_test

import (
	"fmt"

	"github.com/gankit/kit/gankit/metrics"
)

// Mode coverage of a generator's samples as a classifier labels them: here a generator
// that never draws 7s, 8s or 9s.
func ExampleClassHistogram() {
	var labels []int
	for i := range 700 {
		labels = append(labels, i%7)
	}
	r, err := metrics.ClassHistogram(labels, 10, 10)
	if err != nil {
		panic(err)
	}
	fmt.Printf("counts %v: %d of 10 classes covered, KL to uniform %.3f nats, TV %.2f\n", r.Counts, r.Covered, r.KL, r.TV)
	// Output:
	// counts [100 100 100 100 100 100 100 0 0 0]: 7 of 10 classes covered, KL to uniform 0.357 nats, TV 0.30
}

// InfoGAN's categorical code need not use the classes' numbering: code 0 drew 1s, code 1
// drew 0s. CodeAgreement finds that relabelling.
func ExampleCodeAgreement() {
	codes := []int{0, 0, 0, 1, 1, 1, 2, 2, 2}
	classes := []int{1, 1, 1, 0, 0, 2, 2, 2, 2}
	acc, mapping, err := metrics.CodeAgreement(codes, classes, 3)
	if err != nil {
		panic(err)
	}
	fmt.Printf("agreement %.3f, code -> class %v\n", acc, mapping)
	// Output:
	// agreement 0.889, code -> class [1 0 2]
}

// The Fréchet distance between two 1-D samples is (Δmean)² + (Δsd)².
func ExampleFrechet() {
	a := [][]float64{{-1}, {1}}          // mean 0, sd √2
	b := [][]float64{{2}, {4}, {6}, {8}} // mean 5, sd √(20/3)
	d, err := metrics.Frechet(a, b)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.4f\n", d)
	// Output:
	// 26.3637
}
