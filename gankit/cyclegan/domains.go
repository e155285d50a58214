package cyclegan

import (
	"fmt"
	"math"

	"github.com/gankit/kit/gankit/mnist"
)

// Domains are two unpaired sets of images, A and B (flat [n, 28, 28, 1], in [-1, 1]): no
// image of B is said to correspond to any image of A, and their counts may differ.
type Domains struct {
	NameA, NameB string
	A, B         []float32
	// LabelsA and LabelsB are the images' classes, when known (for a classifier's verdict on
	// translations), or nil.
	LabelsA, LabelsB []uint8
}

// NA and NB are the numbers of images in A and B.
func (d *Domains) NA() int { return len(d.A) / mnist.Pixels }

// NB: see NA.
func (d *Domains) NB() int { return len(d.B) / mnist.Pixels }

// NewDomains checks and wraps two unpaired sets of images: each a non-empty whole number of
// 28×28 images with values in [-1, 1], labels (if any) one per image. The slices are not
// copied.
func NewDomains(nameA string, a []float32, labelsA []uint8, nameB string, b []float32, labelsB []uint8) (*Domains, error) {
	check := func(name string, xs []float32, labels []uint8) error {
		if len(xs) == 0 || len(xs)%mnist.Pixels != 0 {
			return fmt.Errorf("cyclegan: domain %q: %d values is not a positive whole number of 28×28 images (%d values each)", name, len(xs), mnist.Pixels)
		}
		if labels != nil && len(labels) != len(xs)/mnist.Pixels {
			return fmt.Errorf("cyclegan: domain %q: %d labels for %d images", name, len(labels), len(xs)/mnist.Pixels)
		}
		for i, v := range xs {
			if !(v >= -1 && v <= 1) || math.IsNaN(float64(v)) {
				return fmt.Errorf("cyclegan: domain %q: image %d has value %v at pixel %d; values must lie in [-1, 1]", name, i/mnist.Pixels, v, i%mnist.Pixels)
			}
		}
		return nil
	}
	if err := check(nameA, a, labelsA); err != nil {
		return nil, err
	}
	if err := check(nameB, b, labelsB); err != nil {
		return nil, err
	}
	return &Domains{NameA: nameA, NameB: nameB, A: a, B: b, LabelsA: labelsA, LabelsB: labelsB}, nil
}

// ThinThick splits set into two unpaired domains: A, the images at even positions as they
// are; B, the images at odd positions thickened (Thicken). The same digit never appears in
// both, so a translator cannot learn from pairs: it must learn "thicken" and "thin" from
// the two sets alone.
func ThinThick(set *mnist.Set) (*Domains, error) {
	if set == nil || set.N < 2 {
		return nil, fmt.Errorf("cyclegan: ThinThick needs a set of at least 2 images")
	}
	if set.Rows != mnist.Side || set.Cols != mnist.Side {
		return nil, fmt.Errorf("cyclegan: ThinThick: %q has %d×%d images; the networks take 28×28", set.Name, set.Rows, set.Cols)
	}
	all := set.Float32(-1, 1)
	var a, b []float32
	var la, lb []uint8
	for i := range set.N {
		img := all[i*mnist.Pixels : (i+1)*mnist.Pixels]
		if i%2 == 0 {
			a, la = append(a, img...), append(la, set.Labels[i])
		} else {
			b, lb = append(b, Thicken(img)...), append(lb, set.Labels[i])
		}
	}
	return NewDomains(set.Name+" (even)", a, la, set.Name+" thickened (odd)", b, lb)
}

// Thicken returns a 28×28 image with each pixel replaced by the largest value in its 3×3
// neighbourhood (a grey-scale dilation): strokes one pixel wider on each side.
func Thicken(img []float32) []float32 {
	out := make([]float32, mnist.Pixels)
	for r := range mnist.Side {
		for c := range mnist.Side {
			m := float32(-1)
			for dr := -1; dr <= 1; dr++ {
				for dc := -1; dc <= 1; dc++ {
					rr, cc := r+dr, c+dc
					if rr >= 0 && rr < mnist.Side && cc >= 0 && cc < mnist.Side {
						m = max(m, img[rr*mnist.Side+cc])
					}
				}
			}
			out[r*mnist.Side+c] = m
		}
	}
	return out
}

// InkFraction is, for each image (flat [n, 28, 28, 1]), the share of its pixels brighter
// than mid-grey (value > 0): about twice as large for thickened digits as for plain ones,
// a one-number domain score.
func InkFraction(images []float32) []float64 {
	n := len(images) / mnist.Pixels
	out := make([]float64, n)
	for i := range n {
		k := 0
		for _, v := range images[i*mnist.Pixels : (i+1)*mnist.Pixels] {
			if v > 0 {
				k++
			}
		}
		out[i] = float64(k) / mnist.Pixels
	}
	return out
}
