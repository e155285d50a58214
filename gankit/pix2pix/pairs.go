package pix2pix

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/mnist"
)

// Pairs are paired images for translation: Inputs[i] is to be translated into Targets[i].
// Both are n images [n, 28, 28, 1], flat, in [-1, 1].
type Pairs struct {
	// Name says what the pairs are (e.g. "mnist/inpaint").
	Name            string
	Inputs, Targets []float32
	// Labels are the classes of the targets (for a classifier's verdict on the outputs),
	// or nil.
	Labels []uint8
}

// N is the number of pairs.
func (p *Pairs) N() int { return len(p.Inputs) / mnist.Pixels }

// NewPairs checks and wraps paired data: as many inputs as targets (and labels, if any),
// each a whole number of 28×28 images with finite values in [-1, 1]. The slices are not
// copied.
func NewPairs(name string, inputs, targets []float32, labels []uint8) (*Pairs, error) {
	if len(inputs)%mnist.Pixels != 0 || len(targets)%mnist.Pixels != 0 {
		return nil, fmt.Errorf("pix2pix: pairs %q: %d input values and %d target values: each must be a whole number of 28×28 images (%d values)", name, len(inputs), len(targets), mnist.Pixels)
	}
	ni, nt := len(inputs)/mnist.Pixels, len(targets)/mnist.Pixels
	if ni != nt {
		return nil, fmt.Errorf("pix2pix: pairs %q: %d input images but %d target images; paired data needs one target per input", name, ni, nt)
	}
	if ni == 0 {
		return nil, fmt.Errorf("pix2pix: pairs %q: no images", name)
	}
	if labels != nil && len(labels) != ni {
		return nil, fmt.Errorf("pix2pix: pairs %q: %d labels for %d pairs", name, len(labels), ni)
	}
	for what, xs := range map[string][]float32{"input": inputs, "target": targets} {
		for i, v := range xs {
			if !(v >= -1 && v <= 1) || math.IsNaN(float64(v)) {
				return nil, fmt.Errorf("pix2pix: pairs %q: %s image %d has value %v at pixel %d; values must lie in [-1, 1]", name, what, i/mnist.Pixels, v, i%mnist.Pixels)
			}
		}
	}
	return &Pairs{Name: name, Inputs: inputs, Targets: targets, Labels: labels}, nil
}

// Task is a way to make paired images from single ones: the input a degraded or reduced
// version of the image, the target the image itself.
type Task string

// The tasks MakePairs knows.
const (
	// Inpaint blacks out an 8×8 square in the middle of the digit: the generator must
	// draw the missing strokes (inpainting, one of pix2pix's applications).
	Inpaint Task = "inpaint"
	// Outline keeps only the digit's outline (the stroke pixels next to the background):
	// the generator must fill it in, like pix2pix's edges -> photo.
	Outline Task = "outline"
)

// InpaintSize is the side of the square Inpaint blacks out. 8 leaves the classifier 63% of
// its accuracy on the inputs, and the models learn the task within a classroom budget; a
// 12×12 square leaves a third, and the small U-Net learns almost nothing about the missing
// strokes in 400 iterations.
const InpaintSize = 8

// MakePairs builds the pairs of task from every image of set: inputs made by the task,
// targets the images, labels the set's.
func MakePairs(set *mnist.Set, task Task) (*Pairs, error) {
	if set == nil || set.N == 0 {
		return nil, fmt.Errorf("pix2pix: MakePairs needs a set with images")
	}
	if set.Rows != mnist.Side || set.Cols != mnist.Side {
		return nil, fmt.Errorf("pix2pix: MakePairs: %q has %d×%d images; the networks take 28×28", set.Name, set.Rows, set.Cols)
	}
	targets := set.Float32(-1, 1)
	inputs := make([]float32, len(targets))
	for i := range set.N {
		src := targets[i*mnist.Pixels : (i+1)*mnist.Pixels]
		dst := inputs[i*mnist.Pixels : (i+1)*mnist.Pixels]
		switch task {
		case Inpaint:
			copy(dst, src)
			lo := (mnist.Side - InpaintSize) / 2
			for r := lo; r < lo+InpaintSize; r++ {
				for c := lo; c < lo+InpaintSize; c++ {
					dst[r*mnist.Side+c] = -1
				}
			}
		case Outline:
			outline(dst, src)
		default:
			return nil, fmt.Errorf("pix2pix: unknown task %q (use %q or %q)", task, Inpaint, Outline)
		}
	}
	return NewPairs(set.Name+"/"+string(task), inputs, targets, set.Labels)
}

// outline sets dst to the stroke pixels of src (value > 0) that touch a background pixel
// (value <= 0, or the border) among their 4 neighbours, at src's value; -1 elsewhere.
func outline(dst, src []float32) {
	ink := func(r, c int) bool {
		return r >= 0 && r < mnist.Side && c >= 0 && c < mnist.Side && src[r*mnist.Side+c] > 0
	}
	for r := range mnist.Side {
		for c := range mnist.Side {
			dst[r*mnist.Side+c] = -1
			if ink(r, c) && (!ink(r-1, c) || !ink(r+1, c) || !ink(r, c-1) || !ink(r, c+1)) {
				dst[r*mnist.Side+c] = src[r*mnist.Side+c]
			}
		}
	}
}

// Hole returns the InpaintSize×InpaintSize squares that Inpaint blacks out, cut from each
// of images (n 28×28 images, flat): where an inpainting model's output is its own work, to
// be measured apart from the pixels it only had to copy.
func Hole(images []float32) ([]float32, error) {
	if len(images) == 0 || len(images)%mnist.Pixels != 0 {
		return nil, fmt.Errorf("pix2pix: Hole: %d values is not a positive whole number of 28×28 images", len(images))
	}
	lo := (mnist.Side - InpaintSize) / 2
	out := make([]float32, 0, len(images)/mnist.Pixels*InpaintSize*InpaintSize)
	for k := 0; k < len(images); k += mnist.Pixels {
		for r := lo; r < lo+InpaintSize; r++ {
			out = append(out, images[k+r*mnist.Side+lo:k+r*mnist.Side+lo+InpaintSize]...)
		}
	}
	return out, nil
}
