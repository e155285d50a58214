package plots_test

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/plots"
)

// trainerRecord stands for a trainer's own record type: a struct with plots.Record's
// fields, such as the point GAN trainer's Record.
type trainerRecord struct {
	Iteration    int
	DLoss, GLoss float64
	DReal, DFake float64
}

// A trainer's history converts with RecordsOf; in a notebook,
// plots.Curves(plots.RecordsOf(tr.History())).
func ExampleRecordsOf() {
	history := make([]trainerRecord, 200)
	for i := range history {
		decay := math.Exp(-float64(i) / 50)
		history[i] = trainerRecord{Iteration: i + 1, DLoss: 1.39 - 0.3*decay, GLoss: 0.69 + 0.5*decay, DReal: 0.5 + 0.3*decay, DFake: 0.5 - 0.3*decay}
	}
	f, err := plots.Curves(plots.RecordsOf(history))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Cols(), "panels,", f.Plots[0][1].Title.Text)
	// Output: 2 panels, discriminator outputs
}

// imageHistory stands for a history type that has the methods of LossHistory, as an
// image GAN trainer's History does: Curves draws it as it is.
type imageHistory []struct {
	Iteration                  int
	DLoss, GLoss, DReal, DFake float64
	Info                       float64
}

func (h imageHistory) Len() int { return len(h) }

func (h imageHistory) Losses(i int) (iteration int, dLoss, gLoss, dReal, dFake float64) {
	return h[i].Iteration, h[i].DLoss, h[i].GLoss, h[i].DReal, h[i].DFake
}

// Any LossHistory draws: here a history type with an extra field.
func ExampleCurves() {
	h := make(imageHistory, 3)
	for i := range h {
		h[i].Iteration, h[i].DLoss, h[i].GLoss, h[i].DReal, h[i].DFake = i+1, 1.3, 0.8, 0.6, 0.4
	}
	f, err := plots.Curves(h)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.PixelSize())
	_, err = plots.Curves(plots.Records{})
	fmt.Println(err)
	// Output:
	// 800 300
	// plots: Curves: empty history
}
