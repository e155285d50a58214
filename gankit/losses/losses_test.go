package losses_test

import (
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/losses"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// newBackend is shared by the tests: one backend for the package.
var newBackend = sync.OnceValues(testkit.NewBackend)

func testBackend(t *testing.T) compute.Backend {
	t.Helper()
	b, err := newBackend()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// graphLosses evaluates, in one GoMLX graph, the discriminator loss and both generator
// losses on the given logits, in float64 or float32 (from the type of the slices).
func graphLosses[T float32 | float64](t *testing.T, b compute.Backend, real, fake []T) (d, minimax, nonSat float64) {
	t.Helper()
	exec, err := NewExec(b, func(r, f *Node) (*Node, *Node, *Node) {
		return losses.Discriminator(r, f), losses.Minimax.Graph(f), losses.NonSaturating.Graph(f)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	out, err := exec.Call(real, fake)
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]float64, len(out))
	for i, o := range out {
		if o.Shape().Rank() != 0 {
			t.Fatalf("loss %d has shape %s, want a scalar", i, o.Shape())
		}
		switch v := o.Value().(type) {
		case float64:
			vals[i] = v
		case float32:
			vals[i] = float64(v)
		default:
			t.Fatalf("loss %d has dtype %s", i, o.DType())
		}
	}
	return vals[0], vals[1], vals[2]
}

func to64[T float32 | float64](xs []T) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

func TestLossesAtZeroLogits(t *testing.T) {
	b := testBackend(t)
	zeros := []float64{0, 0, 0}
	d, mm, ns := graphLosses(t, b, zeros, zeros)
	// D = 1/2 everywhere: BCE = -log(1/2) on each side.
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"graph D loss", d, 2 * math.Ln2},
		{"graph minimax", mm, -math.Ln2},
		{"graph non-saturating", ns, math.Ln2},
		{"DiscriminatorValue", losses.DiscriminatorValue(zeros, zeros), 2 * math.Ln2},
		{"Minimax.Value", losses.Minimax.Value(zeros), -math.Ln2},
		{"NonSaturating.Value", losses.NonSaturating.Value(zeros), math.Ln2},
	} {
		if math.Abs(tc.got-tc.want) > 1e-12 {
			t.Errorf("%s at logit 0 = %.15g, want %.15g", tc.name, tc.got, tc.want)
		}
	}
}

// On arbitrary logits the graph losses and the plain-Go values agree, and both agree with
// the textbook formulas written with D = sigmoid(logit).
func TestGraphMatchesValue(t *testing.T) {
	b := testBackend(t)
	real := []float64{-3, -0.5, 0.25, 1, 4}
	fake := []float64{-2, 0.1, 2.5}
	d, mm, ns := graphLosses(t, b, real, fake)

	sigmoid := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	var wantD, wantMM, wantNS float64
	for _, l := range real {
		wantD -= math.Log(sigmoid(l)) / float64(len(real))
	}
	for _, l := range fake {
		wantD -= math.Log(1-sigmoid(l)) / float64(len(fake))
		wantMM += math.Log(1-sigmoid(l)) / float64(len(fake))
		wantNS -= math.Log(sigmoid(l)) / float64(len(fake))
	}
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"graph D loss", d, wantD},
		{"DiscriminatorValue", losses.DiscriminatorValue(real, fake), wantD},
		{"graph minimax", mm, wantMM},
		{"Minimax.Value", losses.Minimax.Value(fake), wantMM},
		{"graph non-saturating", ns, wantNS},
		{"NonSaturating.Value", losses.NonSaturating.Value(fake), wantNS},
	} {
		if math.Abs(tc.got-tc.want) > 1e-12 {
			t.Errorf("%s = %.15g, want %.15g", tc.name, tc.got, tc.want)
		}
	}
	// The minimax and non-saturating losses differ (they only share fixed points).
	if math.Abs(mm+ns) < 1e-3 || math.Abs(mm-ns) < 1e-3 {
		t.Errorf("minimax %g and non-saturating %g should differ", mm, ns)
	}
}

// The discriminator loss takes logits of any shape and averages each side separately,
// so a batch of 2 real and 4 fake samples weighs both sides equally.
func TestDiscriminatorAnyShape(t *testing.T) {
	b := testBackend(t)
	exec, err := NewExec(b, func(r, f *Node) *Node { return losses.Discriminator(r, f) })
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	real := tensors.FromFlatDataAndDimensions([]float64{1, 2}, 2, 1)
	fake := tensors.FromFlatDataAndDimensions([]float64{-1, 0, 1, 3}, 2, 2)
	out, err := exec.Call(real, fake)
	if err != nil {
		t.Fatal(err)
	}
	want := losses.DiscriminatorValue([]float64{1, 2}, []float64{-1, 0, 1, 3})
	if got := out[0].Value().(float64); math.Abs(got-want) > 1e-12 {
		t.Errorf("D loss on [2,1] and [2,2] logits = %g, want %g", got, want)
	}
}

// Far in the saturated regions the losses stay finite and follow their asymptotes:
// softplus(x) ≈ x for large x and ≈ e^x for very negative x.
func TestLossesStableForLargeLogits(t *testing.T) {
	b := testBackend(t)
	tiny := math.Exp(-50) // ≈ 1.9e-22
	for _, tc := range []struct {
		name                  string
		real, fake            float64
		wantD, wantMM, wantNS float64
	}{
		// D is right and sure: its loss vanishes; G's non-saturating loss is large.
		{"D confident and right", 50, -50, 2 * tiny, -tiny, 50},
		// D is wrong and sure: its loss is 100; the minimax generator loss is -50.
		{"D confident and wrong", -50, 50, 100, -50, tiny},
	} {
		checks := func(kind string, d, mm, ns float64) {
			for _, c := range []struct {
				what      string
				got, want float64
			}{{"D loss", d, tc.wantD}, {"minimax", mm, tc.wantMM}, {"non-saturating", ns, tc.wantNS}} {
				if math.IsNaN(c.got) || math.IsInf(c.got, 0) {
					t.Errorf("%s, %s: %s = %g, want finite", tc.name, kind, c.what, c.got)
					continue
				}
				tol := 1e-6 * math.Max(1, math.Abs(c.want))
				if math.Abs(c.want) < 1e-10 {
					tol = 1e-6 * math.Abs(c.want) // the e^-50 values: relative precision, even in float32
				}
				if math.Abs(c.got-c.want) > tol {
					t.Errorf("%s, %s: %s = %g, want %g", tc.name, kind, c.what, c.got, c.want)
				}
			}
		}
		r64, f64 := []float64{tc.real}, []float64{tc.fake}
		d, mm, ns := graphLosses(t, b, r64, f64)
		checks("float64 graph", d, mm, ns)
		checks("Value", losses.DiscriminatorValue(r64, f64), losses.Minimax.Value(f64), losses.NonSaturating.Value(f64))
		d, mm, ns = graphLosses(t, b, []float32{float32(tc.real)}, []float32{float32(tc.fake)})
		checks("float32 graph", d, mm, ns)
	}
	// The plain-Go values do not overflow even where e^x does.
	if v := losses.NonSaturating.Value([]float64{-1000}); v != 1000 {
		t.Errorf("NonSaturating.Value(-1000) = %g, want 1000", v)
	}
	if v := losses.Minimax.Value([]float64{-1000}); v != 0 {
		t.Errorf("Minimax.Value(-1000) = %g, want 0", v)
	}
}

func TestValueOfEmptyBatchIsNaN(t *testing.T) {
	if v := losses.NonSaturating.Value(nil); !math.IsNaN(v) {
		t.Errorf("Value(nil) = %g, want NaN", v)
	}
	if v := losses.DiscriminatorValue(nil, []float64{0}); !math.IsNaN(v) {
		t.Errorf("DiscriminatorValue(nil, ...) = %g, want NaN", v)
	}
}

func TestLogitGradient(t *testing.T) {
	b := testBackend(t)
	ds := []float64{1e-12, 0.001, 0.1, 0.5, 0.9, 0.999, 1 - 1e-12}
	for _, tc := range []struct {
		loss losses.Generator
		want func(d float64) float64
	}{
		{losses.Minimax, func(d float64) float64 { return -d }},
		{losses.NonSaturating, func(d float64) float64 { return -(1 - d) }},
	} {
		got, err := tc.loss.LogitGradient(b, ds)
		if err != nil {
			t.Fatalf("%s: %v", tc.loss, err)
		}
		if len(got) != len(ds) {
			t.Fatalf("%s: %d gradients for %d values", tc.loss, len(got), len(ds))
		}
		for i, d := range ds {
			if math.Abs(got[i]-tc.want(d)) > 1e-9 {
				t.Errorf("%s: gradient at D = %g is %.12g, want %.12g", tc.loss, d, got[i], tc.want(d))
			}
		}
	}
	// The point of the lesson: where D rejects the fakes (D(G(z)) small) the minimax
	// gradient vanishes while the non-saturating one stays near -1.
	mm, _ := losses.Minimax.LogitGradient(b, []float64{1e-4})
	ns, _ := losses.NonSaturating.LogitGradient(b, []float64{1e-4})
	if !(math.Abs(mm[0]) < 1e-3 && math.Abs(ns[0]) > 0.99) {
		t.Errorf("at D = 1e-4: minimax gradient %g, non-saturating %g; want ~0 and ~-1", mm[0], ns[0])
	}
}

func TestLogitGradientRejectsBadInput(t *testing.T) {
	b := testBackend(t)
	for _, d := range []float64{0, 1, -0.1, 1.5, math.NaN(), math.Inf(1)} {
		g, err := losses.Minimax.LogitGradient(b, []float64{0.5, d})
		if err == nil {
			t.Errorf("LogitGradient with D = %g returned %v, want an error", d, g)
			continue
		}
		if !strings.Contains(err.Error(), "(0, 1)") || !strings.Contains(err.Error(), "index 1") {
			t.Errorf("error for D = %g: %q, want it to name the interval (0, 1) and index 1", d, err)
		}
	}
	g, err := losses.Generator(7).LogitGradient(b, []float64{0.5})
	if err == nil {
		t.Fatalf("LogitGradient of Generator(7) returned %v, want an error", g)
	}
	if !strings.Contains(err.Error(), "unknown generator loss 7") {
		t.Errorf("error %q does not report the unknown loss", err)
	}
}

func TestValidateAndString(t *testing.T) {
	for _, l := range []losses.Generator{losses.NonSaturating, losses.Minimax} {
		if err := l.Validate(); err != nil {
			t.Errorf("%s.Validate() = %v", l, err)
		}
	}
	for _, l := range []losses.Generator{-1, 2} {
		if err := l.Validate(); err == nil {
			t.Errorf("Generator(%d).Validate() = nil, want an error", int(l))
		}
	}
	ns, mm := losses.NonSaturating.String(), losses.Minimax.String()
	if !strings.Contains(ns, "non-saturating") || !strings.Contains(ns, "-log D(G(z))") {
		t.Errorf("NonSaturating.String() = %q", ns)
	}
	if !strings.Contains(mm, "minimax") || !strings.Contains(mm, "log(1 - D(G(z)))") {
		t.Errorf("Minimax.String() = %q", mm)
	}
	if s := losses.Generator(9).String(); s != "Generator(9)" {
		t.Errorf("Generator(9).String() = %q", s)
	}
}

// The float32 graph (what training uses) agrees with the float64 values to float32 precision.
func TestFloat32Graph(t *testing.T) {
	b := testBackend(t)
	real := []float32{-3, -0.5, 0.25, 1, 4}
	fake := []float32{-2, 0.1, 2.5}
	d, mm, ns := graphLosses(t, b, real, fake)
	r, f := to64(real), to64(fake)
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"D loss", d, losses.DiscriminatorValue(r, f)},
		{"minimax", mm, losses.Minimax.Value(f)},
		{"non-saturating", ns, losses.NonSaturating.Value(f)},
	} {
		if math.Abs(c.got-c.want) > 1e-6 {
			t.Errorf("float32 %s = %.9g, want %.9g", c.what, c.got, c.want)
		}
	}
}
