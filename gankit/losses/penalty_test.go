package losses_test

import (
	"math"
	"testing"

	"github.com/gankit/kit/gankit/losses"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// A smooth two-layer critic C(x) = Σ_k w2[k]·tanh((x·W1 + b1)[k]) on 2-D points, in
// float64, computed on the host with its exact input gradient, to check GradientPenalty
// (and its second-order derivative) against finite differences.
type hostCritic struct {
	leaky    bool // LeakyReLU(0.2) instead of tanh
	w1       [2][3]float64
	b1, w2   [3]float64
	real     [][2]float64
	fake     [][2]float64
	eps      []float64
	penalty0 float64
}

func (c *hostCritic) gradX(x [2]float64) [2]float64 {
	var g [2]float64
	for k := 0; k < 3; k++ {
		a := x[0]*c.w1[0][k] + x[1]*c.w1[1][k] + c.b1[k]
		s := c.w2[k] * (1 - math.Tanh(a)*math.Tanh(a))
		if c.leaky {
			s = c.w2[k]
			if a < 0 {
				s *= 0.2
			}
		}
		g[0] += s * c.w1[0][k]
		g[1] += s * c.w1[1][k]
	}
	return g
}

func (c *hostCritic) penalty() float64 {
	sum := 0.0
	for i := range c.real {
		var xh [2]float64
		for j := range xh {
			xh[j] = c.eps[i]*c.real[i][j] + (1-c.eps[i])*c.fake[i][j]
		}
		g := c.gradX(xh)
		n := math.Sqrt(g[0]*g[0] + g[1]*g[1] + 1e-12)
		sum += (n - 1) * (n - 1)
	}
	return sum / float64(len(c.real))
}

func TestGradientPenaltyMatchesFiniteDifferences(t *testing.T) {
	t.Run("tanh", func(t *testing.T) { checkPenalty(t, false) })
	// The trainer's critics are nets.MLP: fused dense layers and LeakyReLU.
	t.Run("leaky-dense", func(t *testing.T) { checkPenalty(t, true) })
}

func checkPenalty(t *testing.T, leaky bool) {
	c := &hostCritic{
		leaky: leaky,
		w1:    [2][3]float64{{0.8, -1.3, 0.4}, {1.1, 0.2, -0.9}},
		b1:    [3]float64{0.1, -0.2, 0.3},
		w2:    [3]float64{1.5, -0.7, 2.2},
		real:  [][2]float64{{1, 2}, {-0.5, 0.3}, {2, -1}, {0.1, 0.1}},
		fake:  [][2]float64{{0, 0}, {1.5, -0.2}, {-1, 1}, {0.7, 0.9}},
		eps:   []float64{0.3, 0.9, 0.5, 0.05},
	}
	flat := func(pts [][2]float64) []float64 {
		var out []float64
		for _, p := range pts {
			out = append(out, p[0], p[1])
		}
		return out
	}
	exec, err := NewExec(testBackend(t), func(real, fake, eps, w1, b1, w2 *Node) (*Node, *Node) {
		critic := func(x *Node) *Node {
			if leaky {
				// (Not nn.Dense: a fused op in GoMLX, with no second derivative.)
				h := Add(Dot(x, w1).Product(), ExpandAxes(b1, 0))
				h = Max(h, MulScalar(h, 0.2))
				return Dot(h, ExpandAxes(w2, -1)).Product()
			}
			h := Tanh(Add(Dot(x, w1).Product(), ExpandAxes(b1, 0)))
			return Dot(h, ExpandAxes(w2, -1)).Product()
		}
		gp := losses.GradientPenalty(critic, real, fake, eps)
		// The critic's training needs the penalty's gradient with respect to its
		// parameters: a derivative of a derivative.
		return gp, Gradient(gp, w1)[0]
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	call := func() (float64, []float64) {
		out, err := exec.Call(
			tensors.FromFlatDataAndDimensions(flat(c.real), len(c.real), 2),
			tensors.FromFlatDataAndDimensions(flat(c.fake), len(c.fake), 2),
			tensors.FromFlatDataAndDimensions(c.eps, len(c.eps), 1),
			tensors.FromFlatDataAndDimensions([]float64{c.w1[0][0], c.w1[0][1], c.w1[0][2], c.w1[1][0], c.w1[1][1], c.w1[1][2]}, 2, 3),
			c.b1[:], c.w2[:])
		if err != nil {
			t.Fatal(err)
		}
		return out[0].Value().(float64), tensors.MustCopyFlatData[float64](out[1])
	}
	gp, grad := call()
	if want := c.penalty(); math.Abs(gp-want) > 1e-9 {
		t.Errorf("GradientPenalty = %.12f, host computation %.12f", gp, want)
	}
	if gp < 1e-3 {
		t.Fatalf("penalty %g is too small for the test to mean anything", gp)
	}
	const h = 1e-6
	for j := 0; j < 2; j++ {
		for k := 0; k < 3; k++ {
			orig := c.w1[j][k]
			c.w1[j][k] = orig + h
			up := c.penalty()
			c.w1[j][k] = orig - h
			down := c.penalty()
			c.w1[j][k] = orig
			fd := (up - down) / (2 * h)
			if got := grad[j*3+k]; math.Abs(got-fd) > 1e-6*max(1, math.Abs(fd)) {
				t.Errorf("∂penalty/∂W1[%d][%d] = %.9f by autodiff, %.9f by finite differences", j, k, got, fd)
			}
		}
	}
}

// R1 on a linear D(x) = w·x + b is γ/2·‖w‖², whatever the samples; on D(x) = x² summed over
// coordinates, γ/2·mean 4‖x‖².
func TestR1Penalty(t *testing.T) {
	b := testBackend(t)
	exec, err := NewExec(b, func(w, x *Node) []*Node {
		lin := losses.R1Penalty(func(x *Node) *Node { return ReduceSum(Mul(x, InsertAxes(w, 0)), -1) }, x, 0.6)
		sq := losses.R1Penalty(func(x *Node) *Node { return InsertAxes(ReduceSum(Square(x), -1), -1) }, x, 0.6)
		return []*Node{lin, sq}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	outs, err := exec.Exec([]float64{2, -1}, [][]float64{{1, 0}, {0.5, -0.5}, {3, 1}})
	if err != nil {
		t.Fatal(err)
	}
	lin, sq := tensors.ToScalar[float64](outs[0]), tensors.ToScalar[float64](outs[1])
	if want := 0.3 * 5; math.Abs(lin-want) > 1e-12 {
		t.Errorf("linear D: R1 = %g, want %g", lin, want)
	}
	if want := 0.3 * 4 * (1 + 0.5 + 10) / 3; math.Abs(sq-want) > 1e-12 {
		t.Errorf("D = ‖x‖²: R1 = %g, want %g", sq, want)
	}
}
