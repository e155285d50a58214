package classifier_test

import (
	"fmt"

	"github.com/gankit/kit/gankit/classifier"
	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/mnist"
)

// Load the shipped MNIST classifier and judge a set of images with it: here the first
// ten held-out test digits, whose labels are 7 2 1 0 4 1 4 9 5 9.
func ExampleLoad() {
	m, err := classifier.Load("mnist")
	if err != nil {
		panic(err)
	}
	test, err := mnist.Load("mnist-test")
	if err != nil {
		panic(err)
	}
	images := test.Float32(-1, 1)[:10*28*28]
	labels, err := m.Predict(images)
	if err != nil {
		panic(err)
	}
	fmt.Println("predicted:", labels)
	hist, err := metrics.ClassHistogram(labels, 10, 1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d of 10 classes present\n", hist.Covered)
	// Output:
	// predicted: [7 2 1 0 4 1 4 9 5 9]
	// 7 of 10 classes present
}
