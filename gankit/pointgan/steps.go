package pointgan

import "fmt"

// StepsReport is what Steps reports: the last discriminator step's stats and the last
// generator step's loss and mean D(G(z)) (zero for a kind of step that did not run).
type StepsReport struct {
	D            DStats
	DSteps       int
	GSteps       int
	GLoss, DFake float64
}

// Steps runs dSteps discriminator steps, then gSteps generator steps: the stepping
// controls of GAN Lab ("train D only", "train G only", k of each) for notebooks.
// Unlike Iterate it records no History and does not advance Iteration, which counts
// whole iterations of Algorithm 1 only. With a fixed Config.Fake, gSteps must be 0.
func (t *Trainer) Steps(dSteps, gSteps int) (StepsReport, error) {
	var r StepsReport
	if dSteps < 0 || gSteps < 0 {
		return r, fmt.Errorf("pointgan: Steps(%d, %d): step counts must be >= 0", dSteps, gSteps)
	}
	if gSteps > 0 && t.Config().Fake != nil {
		return r, fmt.Errorf("pointgan: Steps: %d generator steps asked, but Config.Fake fixes p_g", gSteps)
	}
	for range dSteps {
		s, err := t.StepD()
		if err != nil {
			return r, err
		}
		r.D = s
		r.DSteps++
	}
	for range gSteps {
		loss, dFake, err := t.StepG()
		if err != nil {
			return r, err
		}
		r.GLoss, r.DFake = loss, dFake
		r.GSteps++
	}
	return r, nil
}
