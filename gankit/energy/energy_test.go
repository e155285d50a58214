package energy

import (
	"math"
	"testing"

	"github.com/gankit/kit/gankit/backend"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// On D(x) = −Σ(x − c)², one ascent step moves x to x + 2η(c − x), clipped to the box.
func TestAscendOnAQuadratic(t *testing.T) {
	b, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	exec, err := NewExec(b, func(x *Node) *Node {
		d := func(x *Node) *Node { return Neg(ReduceSum(Square(AddScalar(x, -1)), -1)) } // c = 1
		return Ascend(d, x, 0.25, 1.2)
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Exec(tensors.FromFlatDataAndDimensions([]float32{0, 3, -1, 5}, 2, 2))
	if err != nil {
		t.Fatal(err)
	}
	got := tensors.MustCopyFlatData[float32](out[0])
	want := []float32{0.5, 1.2 /* 2 clipped */, 0, 1.2 /* 3 clipped */}
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-6 {
			t.Fatalf("one ascent step: got %v, want %v", got, want)
		}
	}
}

func TestRunCountsItsCost(t *testing.T) {
	b, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	c := Config{Target: target.Ring(8, 2, 0.02), Discriminator: nets.Discriminator(2, []int{16}), Rounds: 5, DSteps: 2,
		AscentSteps: 7, StepSize: 0.05, StartStd: 1.5, Box: 3, BatchSize: 32, Optimizer: train.Adam(1e-3, 0.5, 0.999), Seed: 1}
	res, err := c.Run(b, 100)
	if err != nil {
		t.Fatal(err)
	}
	if want := (5*32 + 100) * 7; res.AscentEvals != want || res.DSteps != 10 || len(res.Samples) != 200 {
		t.Errorf("5 rounds: %d ascent evaluations, %d D steps, %d values; want %d, 10, 200", res.AscentEvals, res.DSteps, len(res.Samples), want)
	}
	for _, v := range res.Samples {
		if v < -3 || v > 3 {
			t.Fatalf("sample coordinate %g outside the box ±3", v)
		}
	}
	c.Rounds = 0
	if _, err := c.Run(b, 10); err == nil {
		t.Error("0 rounds: no error")
	}
}
