package metrics

import (
	"fmt"
	"math"
)

// Sharpness is the gradient energy of square grey images: the mean of dx² over all pairs
// of horizontal neighbours plus the mean of dy² over all pairs of vertical neighbours,
// averaged over the images. images holds n images of side×side values, row by row (for
// example 28×28 in [-1, 1], as the kit's generators produce).
//
// Blur spreads an edge over several pixels: the same rise in smaller steps, whose squares
// add up to less (an edge from -1 to 1 in one step scores 4 per pair, in three steps
// 3·(2/3)² = 4/3 for the three pairs). So a blurry image scores low and a crisp stroke
// drawing high. It is the simplest measure of what an L1 or pixel-likelihood loss does to
// an output that could be one of several (it averages them: the blur of lessons 10 and
// 12). It is not a quality score (noise is sharp too): compare it with real images of the
// same set.
func Sharpness(images []float32, side int) (float64, error) {
	if side < 2 {
		return 0, fmt.Errorf("metrics: Sharpness needs images of side >= 2, got %d", side)
	}
	px := side * side
	if len(images) == 0 || len(images)%px != 0 {
		return 0, fmt.Errorf("metrics: Sharpness: %d values is not a whole number (>= 1) of %d×%d images", len(images), side, side)
	}
	for i, v := range images {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return 0, fmt.Errorf("metrics: Sharpness: value %d (image %d) is %v", i, i/px, v)
		}
	}
	n := len(images) / px
	sum := 0.0
	for k := range n {
		im := images[k*px : (k+1)*px]
		for r := range side {
			for c := range side {
				v := float64(im[r*side+c])
				if c+1 < side {
					d := float64(im[r*side+c+1]) - v
					sum += d * d
				}
				if r+1 < side {
					d := float64(im[(r+1)*side+c]) - v
					sum += d * d
				}
			}
		}
	}
	// Each direction has side·(side-1) pairs per image.
	return sum / float64(n*side*(side-1)), nil
}
