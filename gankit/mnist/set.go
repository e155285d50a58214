package mnist

import (
	"fmt"
	"math/rand/v2"
)

// Class names of the two data sets, by label.
var (
	DigitClasses   = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	FashionClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
		"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}
)

// Side and Pixels are the size of an MNIST or Fashion-MNIST image, 28×28 grey: the size
// the image models of the kit (imagegan, pix2pix, cyclegan, vae) are built for. Their
// images are flat [n, Side, Side, 1] float32 arrays, channels-last, Pixels values each.
const (
	Side   = 28
	Pixels = Side * Side
)

// Set is a labelled set of grey images: N images of Rows×Cols pixels, stored as bytes
// (0 background, 255 full ink), image after image and each image row-major, so that
// Images is already a [N, Rows, Cols] (or [N, Rows, Cols, 1]) array in row-major order.
// Labels[i] is the class of image i, an index into ClassNames.
type Set struct {
	Name          string
	Images        []uint8 // len N*Rows*Cols
	Labels        []uint8 // len N
	N, Rows, Cols int
	ClassNames    []string
}

// NewSet checks that images and labels pair up (one label per image, each label below
// len(classNames)) and returns them as a Set, without copying.
func NewSet(name string, im *Images, labels []uint8, classNames []string) (*Set, error) {
	if im.N != len(labels) {
		return nil, fmt.Errorf("mnist: %s: %w: %d images but %d labels", name, ErrFormat, im.N, len(labels))
	}
	if len(im.Pixels) != im.N*im.Rows*im.Cols {
		return nil, fmt.Errorf("mnist: %s: %d pixels for %d images of %d×%d", name, len(im.Pixels), im.N, im.Rows, im.Cols)
	}
	if len(classNames) == 0 || len(classNames) > 256 {
		return nil, fmt.Errorf("mnist: %s: %d class names, want 1 to 256", name, len(classNames))
	}
	for i, l := range labels {
		if int(l) >= len(classNames) {
			return nil, fmt.Errorf("mnist: %s: %w: label %d of image %d is out of range (the set has %d classes, 0-%d)",
				name, ErrFormat, l, i, len(classNames), len(classNames)-1)
		}
	}
	return &Set{Name: name, Images: im.Pixels, Labels: labels, N: im.N, Rows: im.Rows, Cols: im.Cols,
		ClassNames: classNames}, nil
}

// ReadSet reads a pair of IDX files (images and labels, gzip-compressed or not) with the
// same checks as Load but no checksum: use it for the full data sets (see Download) or
// any MNIST-like set. Errors name the file at fault.
func ReadSet(name, imagesPath, labelsPath string, classNames []string) (*Set, error) {
	im, err := ReadImages(imagesPath)
	if err != nil {
		return nil, err
	}
	labels, err := ReadLabels(labelsPath)
	if err != nil {
		return nil, err
	}
	s, err := NewSet(name, im, labels, classNames)
	if err != nil {
		return nil, fmt.Errorf("%w (files %s and %s)", err, imagesPath, labelsPath)
	}
	return s, nil
}

// Pixels is the number of pixels of one image, Rows*Cols.
func (s *Set) Pixels() int { return s.Rows * s.Cols }

// Image returns the pixels of image i (a slice of Images, not a copy).
func (s *Set) Image(i int) []uint8 {
	p := s.Pixels()
	return s.Images[i*p : (i+1)*p : (i+1)*p]
}

// ClassCounts returns how many images each class has, by label.
func (s *Set) ClassCounts() []int {
	c := make([]int, len(s.ClassNames))
	for _, l := range s.Labels {
		c[l]++
	}
	return c
}

// Class returns a new Set with the images of one class only (copied, in their order in
// s), named "<name>/<class name>". It panics if class is not a valid label.
func (s *Set) Class(class int) *Set {
	if class < 0 || class >= len(s.ClassNames) {
		panic(fmt.Sprintf("mnist: %s has classes 0-%d, not %d", s.Name, len(s.ClassNames)-1, class))
	}
	p := s.Pixels()
	out := &Set{Name: s.Name + "/" + s.ClassNames[class], Rows: s.Rows, Cols: s.Cols, ClassNames: s.ClassNames}
	for i, l := range s.Labels {
		if int(l) == class {
			out.Images = append(out.Images, s.Images[i*p:(i+1)*p]...)
			out.Labels = append(out.Labels, l)
		}
	}
	out.N = len(out.Labels)
	return out
}

// PixelMean is the mean pixel value over all images, as a fraction of 255.
func (s *Set) PixelMean() float64 {
	var sum uint64
	for _, v := range s.Images {
		sum += uint64(v)
	}
	return float64(sum) / 255 / float64(len(s.Images))
}

// scaleTable maps each byte to lo + (hi-lo)·v/255, computed in float64 so that 0 and 255
// land exactly on lo and hi.
func scaleTable(lo, hi float32) *[256]float32 {
	var t [256]float32
	for v := range t {
		t[v] = float32(float64(lo) + (float64(hi)-float64(lo))*float64(v)/255)
	}
	return &t
}

// Float32 returns all images as float32, each byte v mapped linearly to
// lo + (hi-lo)·v/255 (0 to lo, 255 to hi), flat in the order of Images: a [N, Rows,
// Cols, 1] channels-last tensor. Float32(-1, 1) matches a generator whose output goes
// through tanh; Float32(0, 1) a sigmoid.
func (s *Set) Float32(lo, hi float32) []float32 {
	t := scaleTable(lo, hi)
	out := make([]float32, len(s.Images))
	for i, v := range s.Images {
		out[i] = t[v]
	}
	return out
}

// Batch draws n images uniformly at random, with replacement, from a seeded generator
// and returns them scaled to [-1, 1] like Float32(-1, 1): an [n, Rows, Cols, 1]
// channels-last batch of real images for the discriminator.
func (s *Set) Batch(rng *rand.Rand, n int) []float32 {
	x, _ := s.BatchWithLabels(rng, n)
	return x
}

// BatchWithLabels is Batch that also returns the label of each image drawn (for a
// conditional GAN). It draws the same images as Batch from the same generator state.
func (s *Set) BatchWithLabels(rng *rand.Rand, n int) ([]float32, []uint8) {
	if s.N == 0 {
		panic(fmt.Sprintf("mnist: Batch on %s, which has no images", s.Name))
	}
	t := scaleTable(-1, 1)
	p := s.Pixels()
	out := make([]float32, n*p)
	labels := make([]uint8, n)
	for k := range n {
		i := rng.IntN(s.N)
		labels[k] = s.Labels[i]
		dst := out[k*p : (k+1)*p]
		for j, v := range s.Images[i*p : (i+1)*p] {
			dst[j] = t[v]
		}
	}
	return out, labels
}
