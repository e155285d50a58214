package experiments

import (
	"cmp"
	"fmt"

	"github.com/gankit/kit/gankit/metrics"
	"github.com/gankit/kit/gankit/nets"
	"github.com/gankit/kit/gankit/pointgan"
	"github.com/gankit/kit/gankit/target"
	"github.com/gankit/kit/gankit/train"
	"github.com/gomlx/compute"
)

// Lesson 3's settings. The plain GAN collapses in this regime: 16-dimensional noise and
// the DCGAN tutorial's Adam(2e-4, β1 = 0.5). With 2-dimensional noise and a learning rate
// of 1e-3 (lessons 5 and 6) the same networks cover the ring instead, blurrily.
const (
	// CollapseNoise is the dimension of the generator's noise.
	CollapseNoise = 16
	// CollapseBatch is the number of samples per step (per D input group for PacGAN).
	CollapseBatch = 64
	// CollapseIterations is how long lesson 3 trains every method (generator steps).
	CollapseIterations = 3000
	// ProtocolSamples is how many generated samples each score uses, as in PacGAN.
	ProtocolSamples = 2500
)

// CollapseGAN is lesson 3's plain GAN on a 2-D mixture: G 16 -> 64 -> 64 -> 2,
// D 2 -> 64 -> 64 -> 1, batch CollapseBatch, one D step per G step, Adam(2e-4, 0.5,
// 0.999) for both networks.
func CollapseGAN(data target.Distribution, seed uint64) pointgan.Config {
	return pointgan.Config{
		Target:        data,
		Generator:     nets.Generator(CollapseNoise, []int{64, 64}, 2),
		Discriminator: nets.Discriminator(2, []int{64, 64}),
		BatchSize:     CollapseBatch,
		DSteps:        1,
		GOptimizer:    train.Adam(2e-4, 0.5, 0.999),
		DOptimizer:    train.Adam(2e-4, 0.5, 0.999),
		Seed:          seed,
	}
}

// UnrolledGAN is CollapseGAN with the generator's loss taken through 5 unrolled steps of
// the discriminator (SGD, learning rate 1e-2), as in Metz et al. (2017).
func UnrolledGAN(data target.Distribution, seed uint64) pointgan.Config {
	cfg := CollapseGAN(data, seed)
	cfg.Unroll, cfg.UnrollLearningRate = 5, 1e-2
	return cfg
}

// PackedGAN is CollapseGAN with PacGAN's packing (Lin et al. 2018): the discriminator
// sees 4 samples at once, all real or all generated, so its input has 8 coordinates.
func PackedGAN(data target.Distribution, seed uint64) pointgan.Config {
	cfg := CollapseGAN(data, seed)
	cfg.Pack = 4
	cfg.Discriminator = nets.Discriminator(cfg.Pack*data.Dim(), []int{64, 64})
	return cfg
}

// CollapseWGANGP is lesson 5's WGAN-GP (λ = 10, 5 critic steps, Adam(1e-3, 0.5, 0.9),
// batch 256) with lesson 3's 16-dimensional noise. It keeps lesson 5's batch because 128
// samples per step cover the ring less reliably: 2, 8 and 5 ring modes on seeds 1-3
// after 1,500 iterations, against 8, 8 and 5 with 256 (8 on every seed after 3,000).
func CollapseWGANGP(data target.Distribution, seed uint64) pointgan.Config {
	cfg := WGANGP(data, seed)
	cfg.Generator = nets.Generator(CollapseNoise, []int{64, 64}, 2)
	return cfg
}

// CollapseSeeds are the seeds of lesson 3's sweeps: three, so that a method's mean and
// spread mean something. WGAN-GP's sharpness on the ring varies most between them (21% to
// 66% high-quality samples at 3,000 iterations on XLA CPU, 42% to 69% on the pure-Go
// backend), while every seed captures all 8 modes on both backends.
func CollapseSeeds() []uint64 { return []uint64{1, 2, 3} }

// Method is one row of lesson 3's table: a configuration and how long to train it.
type Method struct {
	Name       string
	Config     func(data target.Distribution, seed uint64) pointgan.Config
	Iterations int
}

// CollapseMethods are the rows of lesson 3's ring table: the plain GAN, its two remedies at
// the same settings, and WGAN-GP, each trained for CollapseIterations.
func CollapseMethods() []Method {
	return []Method{
		{"GAN", CollapseGAN, CollapseIterations},
		{"Unrolled GAN (k = 5)", UnrolledGAN, CollapseIterations},
		{"PacGAN4", PackedGAN, CollapseIterations},
		{"WGAN-GP", CollapseWGANGP, CollapseIterations},
	}
}

// MethodByName returns the method of CollapseMethods with that name.
func MethodByName(name string) (Method, error) {
	var names []string
	for _, m := range CollapseMethods() {
		if m.Name == name {
			return m, nil
		}
		names = append(names, fmt.Sprintf("%q", m.Name))
	}
	return Method{}, fmt.Errorf("experiments: %w %q (have %v)", ErrUnknownMethod, name, names)
}

// Checkpoint is the state of a run at one iteration: its protocol score and, when
// asked for, GAN Lab's view.
type Checkpoint struct {
	Iteration int
	Report    metrics.ModeReport
	View      *pointgan.View
}

// Track trains tr until iteration iters, stopping every `every` iterations to score it on
// ProtocolSamples samples. With real samples given it also takes GAN Lab's view there
// (real drawn as the real samples, a 12 x 12 manifold grid); with real nil it does not.
// after, if not nil, is called with each checkpoint as it is made: a live display updates
// there.
func Track(tr *pointgan.Trainer, m *target.Mixture, iters, every int, real []float32, after func(Checkpoint) error) ([]Checkpoint, error) {
	if every < 1 {
		return nil, fmt.Errorf("experiments: Track needs every >= 1, got %d", every)
	}
	var out []Checkpoint
	for tr.Iteration() < iters {
		if err := tr.Run(min(every, iters-tr.Iteration())); err != nil {
			return out, err
		}
		r, err := pointgan.ScoreModes(tr, m, ProtocolSamples)
		if err != nil {
			return out, err
		}
		c := Checkpoint{Iteration: tr.Iteration(), Report: r}
		if real != nil {
			v, err := tr.View(real, 12)
			if err != nil {
				return out, err
			}
			c.View = &v
		}
		out = append(out, c)
		if after != nil {
			if err := after(c); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// Runs are one method's runs on one target over several seeds.
type Runs struct {
	Method, Target string
	Seeds          []uint64
	// Reports[i] is the score of seed i at the end of training.
	Reports []metrics.ModeReport
	// Checkpoints[i] are seed i's scores during training (see SweepOptions.Every); the
	// first seed's carry GAN Lab's views when SweepOptions.Real is set.
	Checkpoints [][]Checkpoint
}

// SweepOptions say how Sweep runs and records its runs.
type SweepOptions struct {
	// Seeds are the seeds every method runs with.
	Seeds []uint64
	// Every is how often runs are scored during training; 0 scores only at the end.
	Every int
	// Real, when set, are the real samples of GAN Lab's views, taken at each checkpoint
	// of the first seed.
	Real []float32
	// Workers is how many runs train at the same time; 0 means DefaultWorkers. Results
	// do not depend on it.
	Workers int
}

// Sweep trains every method on m once per seed, for method.Iterations iterations, and
// scores the runs with the mode-collapse protocol on ProtocolSamples samples. It returns
// one Runs per method, in the order of methods. A run that fails gives a *pointgan.RunError.
func Sweep(b compute.Backend, m *target.Mixture, methods []Method, opt SweepOptions) ([]Runs, error) {
	if len(opt.Seeds) == 0 {
		return nil, fmt.Errorf("experiments: Sweep needs at least one seed")
	}
	if opt.Every < 0 || opt.Workers < 0 {
		return nil, fmt.Errorf("experiments: Sweep needs Every >= 0 and Workers >= 0, got %d and %d", opt.Every, opt.Workers)
	}
	out := make([]Runs, len(methods))
	type job struct{ method, seed int }
	var jobs []job
	for i, method := range methods {
		out[i] = Runs{Method: method.Name, Target: m.Name(), Seeds: opt.Seeds,
			Reports: make([]metrics.ModeReport, len(opt.Seeds)), Checkpoints: make([][]Checkpoint, len(opt.Seeds))}
		for j := range opt.Seeds {
			jobs = append(jobs, job{i, j})
		}
	}
	err := train.Parallel(len(jobs), cmp.Or(opt.Workers, DefaultWorkers), func(k int) error {
		jb := jobs[k]
		method, seed := methods[jb.method], opt.Seeds[jb.seed]
		var real []float32
		if jb.seed == 0 {
			real = opt.Real
		}
		final, cps, err := runOne(b, m, method, seed, opt.Every, real)
		if err != nil {
			return &pointgan.RunError{Run: fmt.Sprintf("%s on %s, seed %d", method.Name, m.Name(), seed), Err: err}
		}
		out[jb.method].Reports[jb.seed], out[jb.method].Checkpoints[jb.seed] = final, cps
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// runOne trains one method with one seed and scores it.
func runOne(b compute.Backend, m *target.Mixture, method Method, seed uint64, every int, real []float32) (metrics.ModeReport, []Checkpoint, error) {
	tr, err := pointgan.New(b, method.Config(m, seed))
	if err != nil {
		return metrics.ModeReport{}, nil, err
	}
	if every == 0 {
		if err := tr.Run(method.Iterations); err != nil {
			return metrics.ModeReport{}, nil, err
		}
		r, err := pointgan.ScoreModes(tr, m, ProtocolSamples)
		return r, nil, err
	}
	cps, err := Track(tr, m, method.Iterations, every, real, nil)
	if err != nil {
		return metrics.ModeReport{}, nil, err
	}
	return cps[len(cps)-1].Report, cps, nil
}

// Modes returns the number of modes captured in each run.
func (r Runs) Modes() []float64 {
	return r.each(func(m metrics.ModeReport) float64 { return float64(m.Captured) })
}

// HighQuality returns the fraction of high-quality samples in each run, in percent.
func (r Runs) HighQuality() []float64 {
	return r.each(func(m metrics.ModeReport) float64 { return 100 * m.HighQualityFraction })
}

// ReverseKL returns the reverse KL of each run's mode histogram.
func (r Runs) ReverseKL() []float64 {
	return r.each(func(m metrics.ModeReport) float64 { return m.ReverseKL })
}

// Row summarises the runs as a table row: method, then modes captured, high-quality
// samples (%) and reverse KL, each as mean ± standard deviation over the seeds.
func (r Runs) Row() []string {
	return []string{r.Method, metrics.PlusMinus(r.Modes(), 1), metrics.PlusMinus(r.HighQuality(), 1), metrics.PlusMinus(r.ReverseKL(), 2)}
}

// RowHeaders are the headers of Row's columns.
var RowHeaders = []string{"method", "modes captured", "high quality (%)", "reverse KL"}

// At returns the runs as they were scored at the given iteration: Reports holds each
// seed's checkpoint there. It is an error if a seed has no checkpoint at that iteration.
func (r Runs) At(iteration int) (Runs, error) {
	out := Runs{Method: r.Method, Target: r.Target, Seeds: r.Seeds, Reports: make([]metrics.ModeReport, len(r.Seeds))}
	for i := range r.Seeds {
		found := false
		if i < len(r.Checkpoints) {
			for _, c := range r.Checkpoints[i] {
				if c.Iteration == iteration {
					out.Reports[i], found = c.Report, true
				}
			}
		}
		if !found {
			return Runs{}, fmt.Errorf("experiments: %s on %s, seed %d: %w at iteration %d", r.Method, r.Target, r.Seeds[i], ErrNoCheckpoint, iteration)
		}
	}
	return out, nil
}

// Views returns GAN Lab's views of the first seed's checkpoints (those that have one).
func (r Runs) Views() []pointgan.View {
	var out []pointgan.View
	if len(r.Checkpoints) > 0 {
		for _, c := range r.Checkpoints[0] {
			if c.View != nil {
				out = append(out, *c.View)
			}
		}
	}
	return out
}

// ModesCurve returns the checkpoints' iterations and the modes captured there, averaged
// over the seeds.
func (r Runs) ModesCurve() (iterations, modes []float64) {
	if len(r.Checkpoints) == 0 {
		return nil, nil
	}
	for k, c := range r.Checkpoints[0] {
		sum := 0.0
		for _, cps := range r.Checkpoints {
			sum += float64(cps[k].Report.Captured)
		}
		iterations = append(iterations, float64(c.Iteration))
		modes = append(modes, sum/float64(len(r.Checkpoints)))
	}
	return iterations, modes
}

func (r Runs) each(f func(metrics.ModeReport) float64) []float64 {
	out := make([]float64, len(r.Reports))
	for i, m := range r.Reports {
		out[i] = f(m)
	}
	return out
}

// Published is a row of the mode-collapse tables of VEEGAN (Srivastava et al. 2017,
// table 1) and PacGAN (Lin et al. 2018, table 2), on their own setups: see lesson 3 for
// how those differ from ours.
type Published struct {
	Source, Target, Method string
	// Modes captured and high-quality samples in percent, as printed (PacGAN's with ±
	// over 10 trials, VEEGAN's without).
	Modes, HighQuality string
}

// PublishedRows are the rows lesson 3 compares with.
var PublishedRows = []Published{
	{"VEEGAN", "ring of 8", "GAN", "1", "99.3"},
	{"VEEGAN", "ring of 8", "Unrolled GAN", "7.6", "35.6"},
	{"VEEGAN", "ring of 8", "VEEGAN", "8", "52.9"},
	{"PacGAN", "ring of 8", "GAN", "6.3 ± 0.5", "98.2 ± 0.2"},
	{"PacGAN", "ring of 8", "PacGAN4", "7.8 ± 0.1", "95.9 ± 0.8"},
	{"VEEGAN", "grid of 25", "GAN", "3.3", "0.5"},
	{"VEEGAN", "grid of 25", "Unrolled GAN", "23.6", "16"},
	{"VEEGAN", "grid of 25", "VEEGAN", "24.6", "40"},
	{"PacGAN", "grid of 25", "GAN", "17.3 ± 0.8", "94.8 ± 0.7"},
	{"PacGAN", "grid of 25", "PacGAN4", "24.8 ± 0.2", "93.6 ± 0.6"},
}

// sameSeeds checks that a and b are runs over the same seeds, in the same order.
func sameSeeds(a, b Runs) error {
	if len(a.Reports) == 0 || len(a.Reports) != len(b.Reports) || len(a.Seeds) != len(a.Reports) || len(b.Seeds) != len(b.Reports) {
		return fmt.Errorf("experiments: compare runs with one report per seed: %s has %d seeds and %d reports, %s has %d and %d",
			a.Method, len(a.Seeds), len(a.Reports), b.Method, len(b.Seeds), len(b.Reports))
	}
	for i := range a.Seeds {
		if a.Seeds[i] != b.Seeds[i] {
			return fmt.Errorf("experiments: %s and %s ran on different seeds (%v and %v)", a.Method, b.Method, a.Seeds, b.Seeds)
		}
	}
	if a.Target != b.Target {
		return fmt.Errorf("experiments: %s ran on %s, %s on %s", a.Method, a.Target, b.Method, b.Target)
	}
	return nil
}

// CheckRecovers is lesson 3's ring claim: on every seed, remedy captures all the modes
// and has a larger high-quality fraction than base.
func CheckRecovers(base, remedy Runs) error {
	if err := sameSeeds(base, remedy); err != nil {
		return err
	}
	for i, r := range remedy.Reports {
		b := base.Reports[i]
		if r.Captured != r.Modes {
			return fmt.Errorf("experiments: lesson 3: %w: seed %d: %s captured %d of %d modes of the %s, not all", ErrClaim, remedy.Seeds[i], remedy.Method, r.Captured, r.Modes, remedy.Target)
		}
		if !(r.HighQualityFraction > b.HighQualityFraction) {
			return fmt.Errorf("experiments: lesson 3: %w: seed %d: %s has %.1f%% high-quality samples on the %s, not more than %s's %.1f%%",
				ErrClaim, remedy.Seeds[i], remedy.Method, 100*r.HighQualityFraction, remedy.Target, base.Method, 100*b.HighQualityFraction)
		}
	}
	return nil
}

// CheckFewerModes is lesson 3's grid claim: on every seed, base captures at least margin
// modes fewer than other.
func CheckFewerModes(base, other Runs, margin int) error {
	if err := sameSeeds(base, other); err != nil {
		return err
	}
	for i, o := range other.Reports {
		b := base.Reports[i]
		if b.Captured+margin > o.Captured {
			return fmt.Errorf("experiments: lesson 3: %w: seed %d: %s captured %d modes of the %s and %s %d; want %s at least %d fewer",
				ErrClaim, base.Seeds[i], base.Method, b.Captured, base.Target, other.Method, o.Captured, base.Method, margin)
		}
	}
	return nil
}

// Lesson 3's grid claim: at GridClaimIteration iterations, on each of CollapseSeeds, the GAN
// captures at least GridClaimMargin grid modes fewer than WGAN-GP. Later the GAN's samples
// spread into a blur over the whole grid, which captures most modes by chance with few
// high-quality samples (see the lesson), so the claim is about the collapse phase. WGAN-GP's
// count jumps between checkpoints at this learning rate (from 22 to 9 and back to 17 within
// 750 iterations on one seed), so a single checkpoint late in that phase can dip to the
// GAN's: at 500 iterations, seeds 1-6 gave margins of 7 to 19 modes on XLA CPU and 11 to 17
// on the pure-Go backend, where at 1,000 one seed's margin was 1 on XLA.
const (
	GridClaimIteration = 500
	GridClaimMargin    = 3
)
