package metrics

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/target"
)

// Defaults of ModeOptions, the published protocol of VEEGAN and PacGAN (see the package
// documentation for the sources).
const (
	// DefaultStdMultiple: a sample is high quality within 3 standard deviations of its
	// nearest mode.
	DefaultStdMultiple = 3.0
	// DefaultMinCount: a mode is captured when at least 1 high-quality sample is nearest
	// to it.
	DefaultMinCount = 1
)

// ModeOptions are the thresholds of the mode-collapse protocol. The zero value means the
// defaults: Modes replaces a zero field by its default.
type ModeOptions struct {
	// StdMultiple is k: a sample is high quality when its distance to the nearest mode is
	// less than k standard deviations of that mode. 0 means DefaultStdMultiple (3).
	StdMultiple float64
	// MinCount is the number of high-quality samples nearest to a mode needed to count
	// the mode as captured. 0 means DefaultMinCount (1).
	MinCount int
}

// DefaultModeOptions returns the protocol of VEEGAN and PacGAN: k = 3 standard
// deviations, a mode captured by at least 1 high-quality sample.
func DefaultModeOptions() ModeOptions {
	return ModeOptions{StdMultiple: DefaultStdMultiple, MinCount: DefaultMinCount}
}

// WithDefaults returns opt with every zero field replaced by its default, or an error if
// a field is invalid (StdMultiple negative, NaN or infinite; MinCount negative).
func (opt ModeOptions) WithDefaults() (ModeOptions, error) {
	if opt.StdMultiple == 0 {
		opt.StdMultiple = DefaultStdMultiple
	}
	if opt.MinCount == 0 {
		opt.MinCount = DefaultMinCount
	}
	if !(opt.StdMultiple > 0) || math.IsInf(opt.StdMultiple, 0) {
		return opt, fmt.Errorf("metrics: StdMultiple must be a positive finite number of standard deviations, got %g", opt.StdMultiple)
	}
	if opt.MinCount < 0 {
		return opt, fmt.Errorf("metrics: MinCount must be >= 1 sample per captured mode (0 for the default), got %d", opt.MinCount)
	}
	return opt, nil
}

// ModeReport is the outcome of Modes on one set of generated samples.
type ModeReport struct {
	// Samples is the number of samples measured.
	Samples int
	// HighQuality is the number of samples within StdMultiple standard deviations of
	// their nearest mode.
	HighQuality int
	// HighQualityFraction is HighQuality / Samples.
	HighQualityFraction float64
	// Counts[i] is the number of high-quality samples whose nearest mode is mode i (in
	// the order of Mixture.Modes).
	Counts []int
	// Nearest[i] is the number of all samples, high quality or not, whose nearest mode is
	// mode i. A collapsed generator shows here even before its samples are sharp: most of
	// them are nearest to one mode.
	Nearest []int
	// Captured is the number of modes with Counts[i] >= MinCount.
	Captured int
	// Modes is the number of modes of the mixture.
	Modes int
	// ReverseKL is KL(p_gen ‖ p_true) in nats, where p_gen[i] = Counts[i] / HighQuality
	// is the histogram of the high-quality samples over the modes and p_true[i] is the
	// mixture weight of mode i. Empty bins contribute 0 (0·log 0 = 0); it is 0 exactly
	// when the histogram matches the weights, log(Modes) when every high-quality sample
	// sits at one mode of an equal-weight mixture, and +Inf when there is no high-quality
	// sample at all.
	ReverseKL float64
}

// String summarises the report on one line, for example
// "8/8 modes, 92.1% high quality, reverse KL 0.012".
func (r ModeReport) String() string {
	return fmt.Sprintf("%d/%d modes, %.1f%% high quality, reverse KL %.3f",
		r.Captured, r.Modes, 100*r.HighQualityFraction, r.ReverseKL)
}

// Top returns the mode most samples are nearest to (the lowest index on a tie) and the
// fraction of all samples nearest to it: about 1/Modes for a generator that covers an
// equal-weight mixture, near 1 for one collapsed onto a single mode.
func (r ModeReport) Top() (mode int, share float64) {
	for i, c := range r.Nearest {
		if c > r.Nearest[mode] {
			mode = i
		}
	}
	if r.Samples == 0 || len(r.Nearest) == 0 {
		return 0, 0
	}
	return mode, float64(r.Nearest[mode]) / float64(r.Samples)
}

// Modes measures mode collapse the way VEEGAN and PacGAN do on the ring of 8 and the
// grid of 25 (see the package documentation): every sample is assigned to its nearest
// mode, in units of that mode's standard deviation, ‖x - μ_i‖ / σ_i (ties go to the
// lowest index); it is high quality when that distance is less than opt.StdMultiple; a
// mode is captured when at least opt.MinCount high-quality samples are assigned to it.
//
// samples is flat and row-major, m.Dim() coordinates per sample, as target.Mixture.Sample
// returns them. Modes returns an error for a nil mixture, no samples, a length that is
// not a multiple of m.Dim(), a NaN or infinite coordinate, or invalid options.
func Modes(samples []float32, m *target.Mixture, opt ModeOptions) (ModeReport, error) {
	if m == nil {
		return ModeReport{}, fmt.Errorf("metrics: Modes needs a mixture, got nil")
	}
	opt, err := opt.WithDefaults()
	if err != nil {
		return ModeReport{}, err
	}
	dim := m.Dim()
	n, err := countPoints("samples", samples, dim)
	if err != nil {
		return ModeReport{}, fmt.Errorf("metrics: Modes on %s: %w", m.Name(), err)
	}
	means, stds, weights := m.Modes(), m.Stds(), m.Weights()
	r := ModeReport{Samples: n, Counts: make([]int, len(means)), Nearest: make([]int, len(means)), Modes: len(means)}
	for s := 0; s < n; s++ {
		x := samples[s*dim : (s+1)*dim]
		best, bestZ := -1, math.Inf(1)
		for i, mu := range means {
			d2 := 0.0
			for d := range dim {
				diff := float64(x[d]) - mu[d]
				d2 += diff * diff
			}
			if z := math.Sqrt(d2) / stds[i]; z < bestZ {
				best, bestZ = i, z
			}
		}
		r.Nearest[best]++
		if bestZ < opt.StdMultiple {
			r.HighQuality++
			r.Counts[best]++
		}
	}
	r.HighQualityFraction = float64(r.HighQuality) / float64(n)
	for _, c := range r.Counts {
		if c >= opt.MinCount {
			r.Captured++
		}
	}
	r.ReverseKL = HistogramKL(r.Counts, weights)
	return r, nil
}

// HistogramKL is KL(p ‖ weights) in nats, where p[i] = counts[i] / Σ counts is the
// histogram of counts: the reverse KL of ModeReport when counts are the high-quality
// samples per mode. Empty bins contribute 0 (0·log 0 = 0); it is +Inf when every count
// is 0 (no histogram to compare) or a non-empty bin has weight 0, and NaN when the
// lengths differ or a count is negative.
func HistogramKL(counts []int, weights []float64) float64 {
	if len(counts) != len(weights) {
		return math.NaN()
	}
	total := 0
	for _, c := range counts {
		if c < 0 {
			return math.NaN()
		}
		total += c
	}
	if total == 0 {
		return math.Inf(1)
	}
	kl := 0.0
	for i, c := range counts {
		if c == 0 {
			continue
		}
		p := float64(c) / float64(total)
		kl += p * math.Log(p/weights[i])
	}
	return kl
}

// countPoints checks that xs holds whole points of dim coordinates, at least one, all
// finite, and returns how many.
func countPoints(what string, xs []float32, dim int) (int, error) {
	if dim < 1 {
		return 0, fmt.Errorf("dimension must be >= 1, got %d", dim)
	}
	if len(xs) == 0 {
		return 0, fmt.Errorf("no %s", what)
	}
	if len(xs)%dim != 0 {
		return 0, fmt.Errorf("%s have %d values, not a multiple of the dimension %d", what, len(xs), dim)
	}
	for i, v := range xs {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, fmt.Errorf("%s: point %d, coordinate %d is %g (want finite values)", what, i/dim, i%dim, f)
		}
	}
	return len(xs) / dim, nil
}
