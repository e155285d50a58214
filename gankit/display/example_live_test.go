package display_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gankit/kit/gankit/display"
	"github.com/gankit/kit/gankit/plots"
	"github.com/gankit/kit/gankit/pointgan"
)

// A figure redrawn as a computation goes: in a notebook one output changes in place;
// here, outside one, the file holds the last frame.
func ExampleLive() {
	dir, err := os.MkdirTemp("", "live")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	os.Setenv(display.FiguresEnv, dir)
	defer os.Unsetenv(display.FiguresEnv)

	live := display.NewLive("progress")
	xs := pointgan.Linspace(0, 1, 20)
	for step := 1; step <= 3; step++ {
		ys := make([]float64, len(xs))
		for i, x := range xs {
			ys[i] = float64(step) * x
		}
		f, err := plots.Lines(fmt.Sprintf("step %d", step), "x", "y", plots.Series{Name: "y", X: xs, Y: ys})
		if err != nil {
			fmt.Println(err)
			return
		}
		if err := live.Update(f); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := live.Close(); err != nil {
		fmt.Println(err)
		return
	}
	_, err = os.Stat(filepath.Join(dir, "progress.png"))
	fmt.Println(live.Frames(), "frames; last one saved:", err == nil)
}
