package experiments

import (
	"errors"
	"math"
	"testing"

	"github.com/gankit/kit/gankit/mnist"
)

// The blur is a mean over the 3×3 neighbourhood clipped at the border: a single lit
// pixel in a corner spreads 1/4 to itself and its 3 neighbours; in the middle 1/9 to 9.
func TestBlur(t *testing.T) {
	img := make([]float32, 2*mnist.Pixels)
	img[0] = 1
	img[mnist.Pixels+14*mnist.Side+14] = 9
	out := Blur(img, 1)
	if out[0] != 0.25 || out[1] != 1.0/6 || out[mnist.Side+1] != 1.0/9 || out[2] != 0 {
		t.Errorf("corner: %v %v %v %v, want 1/4, 1/6 (edge pixel: 6 neighbours), 1/9, 0", out[0], out[1], out[mnist.Side+1], out[2])
	}
	mid := out[mnist.Pixels:]
	if math.Abs(float64(mid[13*mnist.Side+13])-1) > 1e-6 || mid[12*mnist.Side+12] != 0 {
		t.Errorf("middle: %v at a neighbour, %v two away; want 1 and 0", mid[13*mnist.Side+13], mid[12*mnist.Side+12])
	}
	if img[0] != 1 {
		t.Error("Blur modified its input")
	}
}

func TestBuildGenerators(t *testing.T) {
	train, test, _, err := imageLessonData("mnist")
	if err != nil {
		t.Fatal(err)
	}
	gens, err := BuildGenerators(train, test, EvalSeed)
	if err != nil {
		t.Fatal(err)
	}
	if len(gens) != len(Flaws()) {
		t.Fatalf("%d generators, want %d", len(gens), len(Flaws()))
	}
	for i, g := range gens {
		if len(g) != EvalSamples*mnist.Pixels {
			t.Errorf("%v: %d values", Flaw(i), len(g))
		}
	}
	// The blurred and noisy generators are the good one's images, changed.
	good, noisy := gens[FlawNone], gens[FlawNoisy]
	diff := 0.0
	for i := range good {
		diff += math.Abs(float64(good[i] - noisy[i]))
	}
	if d := diff / float64(len(good)); d < 0.2 || d > 0.5 {
		t.Errorf("mean |noisy - good| = %.3f, want about 0.5·E|N(0,1)| before clipping (0.2 to 0.5 after)", d)
	}
	// The memorising generator's images are training images.
	px := mnist.Pixels
	trainImg := train.Float32(-1, 1)
	found := 0
	for i := range 5 {
		img := gens[FlawMemorised][i*px : (i+1)*px]
		for j := range train.N {
			if equal(img, trainImg[j*px:(j+1)*px]) {
				found++
				break
			}
		}
	}
	if found != 5 {
		t.Errorf("%d of the first 5 memorised images are training images", found)
	}
	if _, err := BuildGenerators(train, train.Class(0), EvalSeed); err == nil {
		t.Error("too few test images: no error")
	}
}

func equal(a, b []float32) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The lesson's measurement (about 25 s on XLA, 50 s on the pure-Go backend, loaded
// 2-core machine) supports its claims; the numbers EvalCaught's comment quotes.
func TestEvaluationLesson(t *testing.T) {
	if testing.Short() {
		t.Skip("the lesson's measurement takes about half a minute")
	}
	r, err := EvaluationLesson()
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckEvaluation(r); err != nil {
		t.Fatal(err)
	}
	good := r.Scores[FlawNone]
	if good.IS < 9 || good.IS > 10 || r.Scores[FlawModeDrop].IS > 5.5 {
		t.Errorf("IS: good %.3f (want 9-10), mode-dropped %.3f (want about 5)", good.IS, r.Scores[FlawModeDrop].IS)
	}
}

func TestCheckEvaluationRejects(t *testing.T) {
	ok := &EvalResult{Scores: make([]Scores, numFlaws)}
	for i := range ok.Scores {
		ok.Scores[i] = Scores{Flaw: Flaw(i), IS: 9.5, FD: 35, KID: 18, Precision: 0.88, Recall: 0.84, FDFashion: 100, FDPixels: 10}
	}
	ok.Scores[FlawModeDrop].IS = 5
	for _, f := range []Flaw{FlawModeDrop, FlawCollapsed, FlawBlurred, FlawNoisy} {
		ok.Scores[f].FD, ok.Scores[f].KID, ok.Scores[f].Recall = 200, 200, 0.3
	}
	ok.Scores[FlawModeDrop].FD, ok.Scores[FlawModeDrop].FDFashion, ok.Scores[FlawModeDrop].FDPixels = 300, 50, 5
	ok.Scores[FlawCollapsed].FD, ok.Scores[FlawCollapsed].FDPixels = 140, 14
	ok.Scores[FlawMemorised].Memo.CloserFraction = 1
	ok.Scores[FlawMemorised].FD, ok.Scores[FlawMemorised].KID = 9, -2
	ok.Bias = []BiasPoint{{N: 100, Repeats: 10, FD: 150, KIDRepeats: 10, KID: 10, KIDSd: 60}, {N: 10000, Repeats: 10, FD: 1.3}}
	if err := CheckEvaluation(ok); err != nil {
		t.Fatalf("a result with the lesson's numbers fails: %v", err)
	}
	for name, spoil := range map[string]func(r *EvalResult){
		"IS sees blur":         func(r *EvalResult) { r.Scores[FlawBlurred].IS = 5 },
		"FD sees copies":       func(r *EvalResult) { r.Scores[FlawMemorised].FD = 100 },
		"precision sees noise": func(r *EvalResult) { r.Scores[FlawNoisy].Precision = 0.5 },
		"memorisation missed":  func(r *EvalResult) { r.Scores[FlawMemorised].Memo.CloserFraction = 0.1 },
		"FD unbiased":          func(r *EvalResult) { r.Bias[1].FD = 140 },
		"KID biased":           func(r *EvalResult) { r.Bias[0].KID = 100 },
		"no flip":              func(r *EvalResult) { r.Scores[FlawModeDrop].FDPixels = 50 },
	} {
		r := &EvalResult{Scores: append([]Scores(nil), ok.Scores...), Bias: append([]BiasPoint(nil), ok.Bias...)}
		spoil(r)
		if err := CheckEvaluation(r); !errors.Is(err, ErrClaim) {
			t.Errorf("%s: error %v, want ErrClaim", name, err)
		}
	}
	if err := CheckEvaluation(&EvalResult{}); err == nil || errors.Is(err, ErrClaim) {
		t.Errorf("empty result: %v, want an error that is not ErrClaim", err)
	}
}
