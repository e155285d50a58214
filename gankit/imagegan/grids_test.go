package imagegan

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestClassGrid checks the layout: each row one noise vector, each column one class; the
// cells equal Generate's images for the same noise and codes.
func TestClassGrid(t *testing.T) {
	for _, mode := range []Mode{Conditional, InfoGAN} {
		tr := newTrainer(t, tiny(t, mode))
		if err := tr.Run(2); err != nil {
			t.Fatal(err)
		}
		imgs, cols, err := tr.ClassGrid(3)
		if err != nil {
			t.Fatal(err)
		}
		if cols != 10 || len(imgs) != 3*10*mnist.Pixels {
			t.Fatalf("%v: %d columns, %d values; want 10 and %d", mode, cols, len(imgs), 3*10*mnist.Pixels)
		}
		nz := tr.Config().NoiseDim
		z := tr.FixedNoise(3)[2*nz : 3*nz] // row 2's noise
		var codes Codes
		if mode == Conditional {
			codes.Labels = []int{7}
		} else {
			codes.Categorical, codes.Continuous = []int{7}, []float32{0, 0}
		}
		want, err := tr.Generate(z, codes)
		if err != nil {
			t.Fatal(err)
		}
		cell := imgs[(2*10+7)*mnist.Pixels : (2*10+8)*mnist.Pixels]
		if d := maxAbsDiff(cell, want); d > 1e-5 {
			t.Errorf("%v: cell (2, 7) differs from Generate(noise 2, class 7) by %g", mode, d)
		}
		// Along a row only the class changes: cells differ.
		if d := maxAbsDiff(imgs[:mnist.Pixels], imgs[mnist.Pixels:2*mnist.Pixels]); d < 1e-4 {
			t.Errorf("%v: classes 0 and 1 of row 0 are the same image (within %g)", mode, d)
		}
	}
	tr := newTrainer(t, tiny(t, Unconditional))
	if _, _, err := tr.ClassGrid(2); err == nil || !strings.Contains(err.Error(), "needs a Conditional or InfoGAN") {
		t.Errorf("unconditional: got %v", err)
	}
	if _, _, err := newTrainer(t, tiny(t, Conditional)).ClassGrid(0); err == nil || !strings.Contains(err.Error(), "at least 1 row") {
		t.Errorf("0 rows: got %v", err)
	}
}

// TestTraversal checks that column j has code `code` at values[j], the other codes fixed.
func TestTraversal(t *testing.T) {
	tr := newTrainer(t, tiny(t, InfoGAN))
	if err := tr.Run(2); err != nil {
		t.Fatal(err)
	}
	values := []float32{-2, 0, 1.5}
	imgs, err := tr.Traversal(1, 2, values)
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) != 2*3*mnist.Pixels {
		t.Fatalf("%d values; want %d", len(imgs), 2*3*mnist.Pixels)
	}
	nz := tr.Config().NoiseDim
	z := tr.FixedNoise(2)[nz : 2*nz] // row 1
	want, err := tr.Generate(z, Codes{Categorical: []int{1}, Continuous: []float32{0, 1.5}})
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(imgs[(3+2)*mnist.Pixels:(3+3)*mnist.Pixels], want); d > 1e-5 {
		t.Errorf("cell (1, 2) differs from Generate(noise 1, categorical 1, codes (0, 1.5)) by %g", d)
	}
	for _, c := range []struct {
		code, rows int
		values     []float32
		msg        string
	}{
		{2, 1, values, "code 2 does not exist"},
		{-1, 1, values, "code -1 does not exist"},
		{0, 0, values, "at least 1 row"},
		{0, 1, nil, "at least 1 row and 1 value"},
		{0, 1, []float32{float32(math.Inf(1))}, "not finite"},
	} {
		if _, err := tr.Traversal(c.code, c.rows, c.values); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Traversal(%d, %d, %v): got %v; want an error containing %q", c.code, c.rows, c.values, err, c.msg)
		}
	}
	if _, err := newTrainer(t, tiny(t, Conditional)).Traversal(0, 1, values); err == nil || !strings.Contains(err.Error(), "needs an InfoGAN") {
		t.Errorf("conditional: got %v", err)
	}
}

// TestInfoLossValue checks the host reference against the graph's L_I (InfoLoss) on
// random outputs and codes, for both codes, categorical only and continuous only.
func TestInfoLossValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	for _, c := range []struct{ k, m int }{{10, 2}, {4, 0}, {0, 3}} {
		const n = 6
		w := c.k + c.m
		out := make([]float32, n*w)
		codes := make([]float32, n*w)
		want := 0.0
		for i := range n {
			logits, means := make([]float64, c.k), make([]float64, c.m)
			cont := make([]float64, c.m)
			for j := range w {
				out[i*w+j] = float32(3 * (2*rng.Float64() - 1))
			}
			for j := range c.k {
				logits[j] = float64(out[i*w+j])
			}
			cat := 0
			if c.k > 0 {
				cat = rng.IntN(c.k)
				codes[i*w+cat] = 1
			}
			for j := range c.m {
				means[j] = float64(out[i*w+c.k+j])
				codes[i*w+c.k+j] = float32(2*rng.Float64() - 1)
				cont[j] = float64(codes[i*w+c.k+j])
			}
			v, err := InfoLossValue(logits, cat, means, cont)
			if err != nil {
				t.Fatal(err)
			}
			want += v / n
		}
		got := graph.MustExecOnce(testkit.Backend(t), func(o, cd *graph.Node) *graph.Node {
			return InfoLoss(o, cd, c.k, c.m)
		}, tensors.FromFlatDataAndDimensions(out, n, w), tensors.FromFlatDataAndDimensions(codes, n, w))
		if g := float64(tensors.ToScalar[float32](got)); math.Abs(g-want) > 1e-5*max(1, math.Abs(want)) {
			t.Errorf("k=%d m=%d: graph L_I %g, InfoLossValue mean %g", c.k, c.m, g, want)
		}
	}
	// Uniform logits: the cross-entropy is log k.
	if v, _ := InfoLossValue([]float64{5, 5, 5, 5}, 2, nil, nil); math.Abs(v-math.Log(4)) > 1e-12 {
		t.Errorf("uniform logits: %g; want log 4", v)
	}
	if _, err := InfoLossValue([]float64{0, 0}, 2, nil, nil); err == nil || !strings.Contains(err.Error(), "outside [0, 2)") {
		t.Errorf("categorical 2 of 2: got %v", err)
	}
	if _, err := InfoLossValue(nil, 0, []float64{0}, nil); err == nil || !strings.Contains(err.Error(), "1 means for 0") {
		t.Errorf("mismatched continuous: got %v", err)
	}
}
