package experiments

import (
	"errors"
	"github.com/gankit/kit/gankit/metrics"
	"testing"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/classifier"
	"github.com/gankit/kit/gankit/mnist"
)

func TestStructureAndBlur(t *testing.T) {
	cls, err := classifier.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	test, err := mnist.Load("mnist-test")
	if err != nil {
		t.Fatal(err)
	}
	n := 500
	images, labels := test.Float32(-1, 1)[:n*784], test.Labels[:n]
	r, err := MeasureStructure(cls, images, labels, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", r)
	if err := CheckStructure(r); err != nil {
		t.Error(err)
	}
	bad := r
	bad.MeanWins = 0.1
	if err := CheckStructure(bad); !errors.Is(err, ErrClaim) {
		t.Errorf("mean wins 10%%: got %v, want ErrClaim", err)
	}

	b, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	trainSet, err := mnist.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	res, err := DigitsL2(1).Run(b, trainSet.Batch, 200)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := Read(cls, res.Samples)
	if err != nil {
		t.Fatal(err)
	}
	real, err := Read(cls, images[:200*784])
	if err != nil {
		t.Fatal(err)
	}
	gs, rs := metrics.Spread(res.Samples, 784), metrics.Spread(images[:200*784], 784)
	t.Logf("L2 loss %.4f -> %.4f; spread %.3f vs real %.3f; sharpness %.4f vs %.4f; confident %.3f vs %.3f; classes %v",
		res.Losses[0], res.Losses[len(res.Losses)-1], gs, rs, gen.Sharpness, real.Sharpness, gen.Confident, real.Confident, gen.Classes.Counts)
	if err := CheckBlur(gen, real, gs, rs); err != nil {
		t.Error(err)
	}
}
