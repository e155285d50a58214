package experiments

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/gankit/kit/gankit/target"
)

func TestFitGaussiansOnBimodal(t *testing.T) {
	fits, err := FitGaussians(target.Bimodal())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fits {
		t.Logf("%s: N(%.4f, %.4f²), value %.4f, %d evaluations", f.Divergence, f.Mean, f.Std, f.Value, f.Evaluations)
	}
	fw := fits[0]
	if fw.Divergence != ForwardKL || math.Abs(fw.Mean) > 0.01 || math.Abs(fw.Std-math.Sqrt(4.25)) > 0.01 {
		t.Errorf("forward KL fit N(%g, %g²), want moment matching N(0, %g²)", fw.Mean, fw.Std, math.Sqrt(4.25))
	}
	if err := CheckDivergenceFits(fits, 2); err != nil {
		t.Error(err)
	}
	bad := append([]GaussianFit(nil), fits...)
	bad[0].Mean = 1
	if err := CheckDivergenceFits(bad, 2); !errors.Is(err, ErrClaim) {
		t.Errorf("a forward KL fit at 1: got %v, want ErrClaim", err)
	}
	if err := CheckDivergenceFits(fits[:2], 2); err == nil || errors.Is(err, ErrClaim) {
		t.Errorf("two fits: got %v, want a non-claim error", err)
	}
}

func ExampleFitGaussian() {
	// Maximum likelihood (the forward KL) matches the moments of 0.5·N(-2, 0.5²) + 0.5·N(2, 0.5²).
	fit, err := FitGaussian(target.Bimodal(), ForwardKL)
	if err != nil {
		panic(err)
	}
	fmt.Printf("N(%.2f, %.2f²)\n", math.Abs(fit.Mean), fit.Std)
	// Output: N(0.00, 2.06²)
}
