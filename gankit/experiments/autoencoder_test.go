package experiments

import (
	"errors"
	"testing"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/classifier"
	"github.com/gankit/kit/gankit/mnist"
)

func TestAutoEncoderRandomCodes(t *testing.T) {
	b, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	cls, err := classifier.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	trainSet, err := mnist.Load("mnist")
	if err != nil {
		t.Fatal(err)
	}
	test, err := mnist.Load("mnist-test")
	if err != nil {
		t.Fatal(err)
	}
	held := test.Float32(-1, 1)[:200*784]
	res, err := DigitsAutoEncoder(1).Run(b, trainSet.Batch, held)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := Read(cls, res.Reconstructions)
	if err != nil {
		t.Fatal(err)
	}
	rnd, err := Read(cls, res.Random)
	if err != nil {
		t.Fatal(err)
	}
	real, err := Read(cls, held)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loss %.3f -> %.3f; confident: real %.3f, reconstructions %.3f, random codes %.3f; sharpness %.3f %.3f %.3f; classes %v",
		res.Losses[0], res.Losses[len(res.Losses)-1], real.Confident, rec.Confident, rnd.Confident, real.Sharpness, rec.Sharpness, rnd.Sharpness, rnd.Classes.Counts)
	if err := CheckAutoEncoder(real, rec, rnd); err != nil {
		t.Error(err)
	}
	if err := CheckAutoEncoder(real, rec, rec); !errors.Is(err, ErrClaim) {
		t.Errorf("random codes as good as reconstructions: got %v, want ErrClaim", err)
	}
}
