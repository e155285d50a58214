package mnist_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/mnist"
)

// The per-class counts documented in data/README.md, written out here rather than read
// from the package, so that a change to either side fails.
var wantCounts = map[string][]int{
	"mnist":   {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978},
	"fashion": {942, 1027, 1016, 1019, 974, 989, 1021, 1022, 990, 1000},
	// The held-out test subsets (first 2,000 t10k images).
	"mnist-test":   {175, 234, 219, 207, 217, 179, 178, 205, 192, 194},
	"fashion-test": {200, 203, 214, 190, 219, 195, 197, 200, 194, 188},
}

func dataDir(t *testing.T) string {
	t.Helper()
	dir, err := mnist.DataDir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func load(t *testing.T, name string) *mnist.Set {
	t.Helper()
	s, err := mnist.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNames(t *testing.T) {
	if got := mnist.Names(); !slices.Equal(got, []string{"fashion", "fashion-test", "mnist", "mnist-test"}) {
		t.Errorf("Names() = %v, want [fashion fashion-test mnist mnist-test]", got)
	}
	if _, err := mnist.ShippedSet(" MNIST "); err != nil {
		t.Errorf("ShippedSet(\" MNIST \"): %v", err)
	}
	_, err := mnist.Load("cifar10")
	if !errors.Is(err, mnist.ErrUnknownSet) || !strings.Contains(err.Error(), `unknown data set "cifar10" (shipped: fashion, fashion-test, mnist, mnist-test)`) {
		t.Errorf("Load(\"cifar10\") error = %v, want an unknown data set error listing the names", err)
	}
}

// The shipped files have the SHA-256s compiled into the package and listed in
// data/README.md, which also lists the per-class counts.
func TestShippedChecksumsAndReadme(t *testing.T) {
	dir := dataDir(t)
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range mnist.Names() {
		sh, err := mnist.ShippedSet(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []mnist.File{sh.Images, sh.Labels} {
			b, err := os.ReadFile(filepath.Join(dir, f.Name))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			if got := hex.EncodeToString(sum[:]); got != f.SHA256 {
				t.Errorf("%s: SHA-256 %s, want %s", f.Name, got, f.SHA256)
			}
			if !strings.Contains(string(readme), f.SHA256+"  "+f.Name) {
				t.Errorf("data/README.md does not list %q (sha256sum's format)", f.SHA256+"  "+f.Name)
			}
		}
		if !slices.Equal(sh.ClassCounts, wantCounts[name]) {
			t.Errorf("%s: compiled ClassCounts %v, want %v", name, sh.ClassCounts, wantCounts[name])
		}
	}
	for label := range 10 {
		row := fmt.Sprintf("| %d | %d | %s | %d |", label, wantCounts["mnist"][label],
			mnist.FashionClasses[label], wantCounts["fashion"][label])
		if !strings.Contains(string(readme), row) {
			t.Errorf("data/README.md has no row %q in its table of counts", row)
		}
		row = fmt.Sprintf("| %d | %d | %s | %d |", label, wantCounts["mnist-test"][label],
			mnist.FashionClasses[label], wantCounts["fashion-test"][label])
		if !strings.Contains(string(readme), row) {
			t.Errorf("data/README.md has no row %q in its table of test counts", row)
		}
	}
}

func TestLoadShipped(t *testing.T) {
	for _, tc := range []struct {
		name     string
		mean     float64 // mean pixel / 255
		nonZero  float64 // fraction of non-zero pixels
		firstTen []uint8 // first labels
		classes  []string
	}{
		// MNIST's well-known mean 0.1307 (over all 60,000 training images);
		// about 19% of MNIST's pixels carry ink. The subset is grouped by digit.
		{"mnist", 0.1307, 0.19, []uint8{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, mnist.DigitClasses},
		// Fashion-MNIST's mean is 0.2860; its first training labels are
		// 9 0 0 3 0 2 7 2 5 5 (ankle boot, T-shirt, ...).
		{"fashion", 0.2860, 0.50, []uint8{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, mnist.FashionClasses},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, tc.name)
			if s.Name != tc.name || s.N != 10000 || s.Rows != 28 || s.Cols != 28 ||
				len(s.Images) != 10000*784 || len(s.Labels) != 10000 {
				t.Fatalf("Load(%q) = %s: %d images of %d×%d, %d pixels, %d labels; want 10000 of 28×28",
					tc.name, s.Name, s.N, s.Rows, s.Cols, len(s.Images), len(s.Labels))
			}
			if got := s.ClassCounts(); !slices.Equal(got, wantCounts[tc.name]) {
				t.Errorf("ClassCounts() = %v, want %v", got, wantCounts[tc.name])
			}
			if !slices.Equal(s.ClassNames, tc.classes) {
				t.Errorf("ClassNames = %v, want %v", s.ClassNames, tc.classes)
			}
			if got := s.PixelMean(); math.Abs(got-tc.mean) > 0.02 {
				t.Errorf("PixelMean() = %.4f, want %.4f ± 0.02", got, tc.mean)
			}
			nz := 0
			for _, v := range s.Images {
				if v != 0 {
					nz++
				}
			}
			if got := float64(nz) / float64(len(s.Images)); math.Abs(got-tc.nonZero) > 0.05 {
				t.Errorf("%.3f of the pixels are non-zero, want %.2f ± 0.05", got, tc.nonZero)
			}
			if !slices.Equal(s.Labels[:10], tc.firstTen) {
				t.Errorf("first labels %v, want %v", s.Labels[:10], tc.firstTen)
			}
		})
	}
}

// Two images whose pixels have been printed in many tutorials: MNIST's first training
// image (a 5, the first 5 of the subset) and Fashion-MNIST's (an ankle boot).
func TestKnownImages(t *testing.T) {
	m := load(t, "mnist")
	i := slices.Index(m.Labels, 5)
	if i != 5131 { // 1001+1127+991+1032+980: the 5s come after the 0-4s
		t.Errorf("first 5 at %d, want 5131", i)
	}
	wantRow5 := []uint8{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 18, 18, 18, 126, 136, 175, 26, 166, 255, 247, 127, 0, 0, 0, 0}
	if got := m.Image(i)[5*28 : 6*28]; !slices.Equal(got, wantRow5) {
		t.Errorf("row 5 of MNIST's first 5 = %v, want %v", got, wantRow5)
	}
	f := load(t, "fashion")
	wantRow3 := []uint8{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 13, 73, 0, 0, 1, 4, 0, 0, 0, 0, 1, 1, 0}
	if got := f.Image(0)[3*28 : 4*28]; !slices.Equal(got, wantRow3) {
		t.Errorf("row 3 of Fashion-MNIST's first image = %v, want %v", got, wantRow3)
	}
}

// Load finds the kit's data/ from any folder (as a lesson does from an nbgrader course or a
// JupyterHub user's home), and from the kit GANKIT_ROOT names when it is set.
func TestLoadFromOtherDirectories(t *testing.T) {
	root := filepath.Dir(dataDir(t))
	t.Setenv("GANKIT_ROOT", "")
	for _, dir := range []string{filepath.Join(root, "notebooks"), t.TempDir()} {
		t.Chdir(dir)
		if s, err := mnist.Load("fashion"); err != nil || s.N != 10000 {
			t.Errorf("Load from %s: %v", dir, err)
		}
	}
	// Another checkout named by GANKIT_ROOT is used: here one whose data/ lacks the files.
	other := t.TempDir()
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "go.mod"), mod, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GANKIT_ROOT", other)
	if _, err := mnist.Load("mnist"); err == nil || !strings.Contains(err.Error(), filepath.Join(other, "data")) {
		t.Errorf("Load with GANKIT_ROOT=%s (no data/): error %v, want one naming %s/data", other, err, other)
	}
	if s, err := mnist.LoadDir(filepath.Join(root, "data"), "mnist"); err != nil || s.N != 10000 {
		t.Errorf("LoadDir with an absolute path: %v", err)
	}
}

// copyShipped copies a shipped set's two files into a new temporary directory.
func copyShipped(t *testing.T, name string) (dir string, sh mnist.Shipped) {
	t.Helper()
	sh, err := mnist.ShippedSet(name)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	for _, f := range []mnist.File{sh.Images, sh.Labels} {
		b, err := os.ReadFile(filepath.Join(dataDir(t), f.Name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, sh
}

func TestLoadDirRejectsMissingAndModifiedFiles(t *testing.T) {
	dir, sh := copyShipped(t, "mnist")
	if _, err := mnist.LoadDir(dir, "mnist"); err != nil {
		t.Fatalf("LoadDir on an intact copy: %v", err)
	}
	images := filepath.Join(dir, sh.Images.Name)
	labels := filepath.Join(dir, sh.Labels.Name)
	orig, err := os.ReadFile(images)
	if err != nil {
		t.Fatal(err)
	}

	// One byte flipped in the middle of the compressed data.
	flipped := slices.Clone(orig)
	flipped[len(flipped)/2] ^= 0x40
	mustWrite(t, images, flipped)
	_, err = mnist.LoadDir(dir, "mnist")
	wantErr(t, err, mnist.ErrChecksum, images, "corrupted or modified", "want "+sh.Images.SHA256)

	// Truncated.
	mustWrite(t, images, orig[:len(orig)/3])
	_, err = mnist.LoadDir(dir, "mnist")
	wantErr(t, err, mnist.ErrChecksum, images, "corrupted or modified")

	// Missing.
	mustWrite(t, images, orig)
	if err := os.Remove(labels); err != nil {
		t.Fatal(err)
	}
	_, err = mnist.LoadDir(dir, "mnist")
	wantErr(t, err, os.ErrNotExist, labels, "file missing")
}

// The IDX readers check the format itself, without a checksum: these are the checks
// that protect a full data set read with ReadSet.
func TestReadSetRejectsBadFiles(t *testing.T) {
	dir, sh := copyShipped(t, "fashion")
	images := filepath.Join(dir, sh.Images.Name)
	labels := filepath.Join(dir, sh.Labels.Name)
	origImages, err := os.ReadFile(images)
	if err != nil {
		t.Fatal(err)
	}
	origLabels, err := os.ReadFile(labels)
	if err != nil {
		t.Fatal(err)
	}
	im, err := mnist.ReadImages(images)
	if err != nil {
		t.Fatal(err)
	}
	lab, err := mnist.ReadLabels(labels)
	if err != nil {
		t.Fatal(err)
	}
	raw := func(magic uint32, dims []int, data []byte) []byte {
		out := []byte{byte(magic >> 24), byte(magic >> 16), byte(magic >> 8), byte(magic)}
		for _, d := range dims {
			out = append(out, byte(d>>24), byte(d>>16), byte(d>>8), byte(d))
		}
		return append(out, data...)
	}
	badLabel := slices.Clone(lab)
	badLabel[1234] = 10
	for _, tc := range []struct {
		name           string
		images, labels []byte // nil: the intact file
		at             string // the file the error must name
		want           []string
	}{
		{"truncated gzip", origImages[:len(origImages)/2], nil, images,
			[]string{"truncated gzip data"}},
		{"flipped byte in the gzip data", flip(origImages, len(origImages)/2), nil, images,
			[]string{"corrupt gzip data"}},
		{"flipped byte in the gzip trailer", flip(origImages, len(origImages)-6), nil, images,
			[]string{"corrupt gzip data (CRC-32 or length mismatch)"}},
		{"labels given as images", origLabels, nil, images,
			[]string{"bad magic number 0x00000801, want 0x00000803"}},
		{"images given as labels", nil, origImages, labels,
			[]string{"bad magic number 0x00000803, want 0x00000801"}},
		{"header claims one image more", raw(mnist.MagicImages, []int{im.N + 1, 28, 28}, im.Pixels), nil, images,
			[]string{"header dimensions [10001 28 28] describe 7840784 bytes of data, but the file holds 7840000 after its 16-byte header"}},
		{"last image cut short", raw(mnist.MagicImages, []int{im.N, 28, 28}, im.Pixels[:len(im.Pixels)-100]), nil, images,
			[]string{"describe 7840000 bytes of data, but the file holds 7839900"}},
		{"too short for a header", []byte{0, 0, 8}, nil, images,
			[]string{"3 bytes, too short for an IDX header"}},
		{"one label fewer than images", nil, raw(mnist.MagicLabels, []int{len(lab) - 1}, lab[1:]), labels,
			[]string{"10000 images but 9999 labels"}},
		{"label 10", nil, raw(mnist.MagicLabels, []int{len(lab)}, badLabel), labels,
			[]string{"label 10 of image 1234 is out of range (the set has 10 classes, 0-9)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ib, lb := origImages, origLabels
			if tc.images != nil {
				ib = tc.images
			}
			if tc.labels != nil {
				lb = tc.labels
			}
			mustWrite(t, images, ib)
			mustWrite(t, labels, lb)
			_, err := mnist.ReadSet("fashion", images, labels, mnist.FashionClasses)
			wantErr(t, err, mnist.ErrFormat, tc.at, tc.want...)
		})
	}

	// The readers take uncompressed IDX files too.
	mustWrite(t, images, raw(mnist.MagicImages, []int{im.N, 28, 28}, im.Pixels))
	mustWrite(t, labels, origLabels)
	s, err := mnist.ReadSet("fashion", images, labels, mnist.FashionClasses)
	if err != nil || !slices.Equal(s.Images, im.Pixels) {
		t.Errorf("ReadSet on an uncompressed image file: %v", err)
	}
}

func flip(b []byte, i int) []byte {
	c := slices.Clone(b)
	c[i] ^= 0x01
	return c
}

func mustWrite(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// wantErr checks that err wraps target, names the file and holds every fragment.
func wantErr(t *testing.T, err, target error, file string, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one about %s containing %q", file, fragments)
	}
	if !errors.Is(err, target) {
		t.Errorf("error %q does not wrap %v", err, target)
	}
	if !strings.Contains(err.Error(), file) {
		t.Errorf("error %q does not name the file %s", err, file)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not contain %q", err, f)
		}
	}
}

// The held-out test subsets are the first 2,000 images of the official test sets:
// MNIST's t10k starts 7 2 1 0 4 1 4 9 5 9, Fashion-MNIST's 9 2 1 1 6 1 4 6 5 7, and no
// test image is among the shipped training images.
func TestLoadShippedTestSets(t *testing.T) {
	for _, tc := range []struct {
		name, train string
		firstTen    []uint8
	}{
		{"mnist-test", "mnist", []uint8{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}},
		{"fashion-test", "fashion", []uint8{9, 2, 1, 1, 6, 1, 4, 6, 5, 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, tc.name)
			if s.Name != tc.name || s.N != 2000 || s.Rows != 28 || s.Cols != 28 || len(s.Labels) != 2000 {
				t.Fatalf("Load(%q) = %s: %d images of %d×%d; want 2000 of 28×28", tc.name, s.Name, s.N, s.Rows, s.Cols)
			}
			if got := s.ClassCounts(); !slices.Equal(got, wantCounts[tc.name]) {
				t.Errorf("ClassCounts() = %v, want %v", got, wantCounts[tc.name])
			}
			if !slices.Equal(s.Labels[:10], tc.firstTen) {
				t.Errorf("first labels %v, want %v", s.Labels[:10], tc.firstTen)
			}
			train := load(t, tc.train)
			seen := make(map[string]bool, train.N)
			for i := range train.N {
				seen[string(train.Image(i))] = true
			}
			dup := 0
			for i := range s.N {
				if seen[string(s.Image(i))] {
					dup++
				}
			}
			if dup > 0 {
				t.Errorf("%d of the %d test images are also training images", dup, s.N)
			}
		})
	}
}
