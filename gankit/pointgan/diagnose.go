package pointgan

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/losses"
	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/target"
	"github.com/gomlx/gomlx/core/tensors"
)

// W1Estimates returns, per iteration, the critic's score E[C(x)] - E[C(G(z))] = -L_D on
// that iteration's batches. For a K-Lipschitz critic (with weights clipped to ±c, K depends
// on c and the architecture) the score is a lower bound on K·W1, equal to it only for the
// best such critic, which training does not reach: its trend is meaningful, its scale is
// not. (The name is historical: it is a bound, not an estimate.)
func W1Estimates(history []Record) []float64 {
	out := make([]float64, len(history))
	for i, r := range history {
		out[i] = -r.DLoss
	}
	return out
}

// CriticReport describes a trained critic the way Gulrajani et al. (2017) diagnose clipping.
type CriticReport struct {
	// AtBound is the fraction of the critic's weights (not biases) within 1% of ±Clip:
	// clipping pushes most of them there, wasting the critic's capacity. 0 without clipping.
	AtBound float64
	// GradNormMean and GradNormSD describe ‖∇ₓC(x̂)‖ on points x̂ between real and
	// generated samples: the penalty pulls it towards 1.
	GradNormMean, GradNormSD float64
}

// DiagnoseCritic measures tr's critic on n real and n generated samples.
func DiagnoseCritic(tr *Trainer, n int, seed uint64) (CriticReport, error) {
	var c CriticReport
	cfg := tr.Config()
	if cfg.Loss != losses.Wasserstein {
		return c, fmt.Errorf("pointgan: DiagnoseCritic needs a Wasserstein critic, got the %s loss", cfg.Loss)
	}
	if clip := cfg.Clip; clip > 0 {
		total, at := 0, 0
		for v := range tr.Store().RootScope().At(DiscriminatorScope).IterVariables() {
			if !v.Trainable || v.Shape().Rank() != 2 {
				continue
			}
			for _, w := range tensors.MustCopyFlatData[float32](v.MustValue()) {
				total++
				if math.Abs(math.Abs(float64(w))-clip) <= 0.01*clip {
					at++
				}
			}
		}
		c.AtBound = float64(at) / float64(total)
	}
	rng := target.NewRand(seed)
	real := cfg.Target.Sample(rng, n)
	fake, err := tr.Sample(n)
	if err != nil {
		return c, err
	}
	dim := cfg.Target.Dim()
	xHat := make([]float32, len(real))
	for i := 0; i < n; i++ {
		e := float32(rng.Float64())
		for d := 0; d < dim; d++ {
			xHat[i*dim+d] = e*real[i*dim+d] + (1-e)*fake[i*dim+d]
		}
	}
	// For the Wasserstein loss the generator's per-sample loss is -C(x), so its gradient
	// is -∇C: the same norm.
	g, err := tr.SampleGradients(xHat)
	if err != nil {
		return c, err
	}
	norms := make([]float64, n)
	for i := range norms {
		s := 0.0
		for d := 0; d < dim; d++ {
			s += float64(g[i*dim+d]) * float64(g[i*dim+d])
		}
		norms[i] = math.Sqrt(s)
	}
	c.GradNormMean, c.GradNormSD = metrics.MeanStd(norms)
	return c, nil
}

// scoreSeed seeds the noise Score draws, so that a score depends only on the generator.
const scoreSeed = 1000

// ScoreModes measures tr's generator with the mode-collapse protocol on n samples of m. The
// noise comes from a fixed seed of its own, so the score depends only on the
// generator's weights: scoring does not change the run, and two runs that end with the
// same weights get the same score.
func ScoreModes(tr *Trainer, m *target.Mixture, n int) (metrics.ModeReport, error) {
	if n < 1 {
		return metrics.ModeReport{}, fmt.Errorf("pointgan: ScoreModes needs n >= 1 samples, got %d", n)
	}
	rng := target.NewRand(scoreSeed)
	z := make([]float32, n*tr.Config().Generator.InDim())
	for i := range z {
		z[i] = float32(rng.NormFloat64())
	}
	xs, err := tr.Generate(z)
	if err != nil {
		return metrics.ModeReport{}, err
	}
	return metrics.Modes(xs, m, metrics.ModeOptions{})
}
