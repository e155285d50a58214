package mnist

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gankit/kit"
)

// File is one file shipped in data/, with the SHA-256 of its bytes (of the .gz file
// itself, as `sha256sum` prints it).
type File struct {
	Name   string // file name in data/
	SHA256 string // hex
}

// Shipped describes one of the subsets shipped in the repository's data/ directory
// (data/README.md tells where they come from).
type Shipped struct {
	Name           string // "mnist", "fashion", "mnist-test" or "fashion-test": the name Load takes
	Title          string // one line for people
	Images, Labels File
	N              int // number of images
	ClassNames     []string
	ClassCounts    []int // images per class, by label
}

// The checksums are those cmd/mkdata reproduces byte for byte: change them only together
// with the files and data/README.md.
var shipped = []Shipped{
	{
		Name:  "fashion",
		Title: "Fashion-MNIST, the first 10,000 training images (Zalando, MIT licence)",
		Images: File{"fashion-mnist-10k-images-idx3-ubyte.gz",
			"2e20e459cef635eed9b1389b56d5170a19e653da024f694f5efef3adfbdb7e74"},
		Labels: File{"fashion-mnist-10k-labels-idx1-ubyte.gz",
			"a5d324db6c7b523fc6df4dbb89c958a8cbd15099b68c13f283905ab3a3b03928"},
		N:           10000,
		ClassNames:  FashionClasses,
		ClassCounts: []int{942, 1027, 1016, 1019, 974, 989, 1021, 1022, 990, 1000},
	},
	{
		Name:  "mnist",
		Title: "MNIST, the first 10,000 training images grouped by digit (LeCun & Cortes, CC BY-SA 3.0)",
		Images: File{"mnist-10k-images-idx3-ubyte.gz",
			"eb0e3de40156b3c6bb9df1cfc21d74393a029fb3c18abd5a030389f5ef8be6d9"},
		Labels: File{"mnist-10k-labels-idx1-ubyte.gz",
			"9f544e898a97be61df4973749fdf8977839b2ca34f3bb70d6eb1c847af0d6c75"},
		N:           10000,
		ClassNames:  DigitClasses,
		ClassCounts: []int{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978},
	},
	{
		Name:  "fashion-test",
		Title: "Fashion-MNIST, the first 2,000 test images, held out (Zalando, MIT licence)",
		Images: File{"fashion-mnist-test2k-images-idx3-ubyte.gz",
			"782f9587bb127058f7ffc23f4860c6fc50df0fc09d46bb5b9c5dfbadf63c6bc8"},
		Labels: File{"fashion-mnist-test2k-labels-idx1-ubyte.gz",
			"2b0ef2287f4e2b012dff951ea8af007ca8ca7d062e72ad5e9c5506edba3975b5"},
		N:           2000,
		ClassNames:  FashionClasses,
		ClassCounts: []int{200, 203, 214, 190, 219, 195, 197, 200, 194, 188},
	},
	{
		Name:  "mnist-test",
		Title: "MNIST, the first 2,000 test images, held out (LeCun & Cortes, CC BY-SA 3.0)",
		Images: File{"mnist-test2k-images-idx3-ubyte.gz",
			"b3d1142396ee8dab273dfd1a4cfcb953a0f6f26ba1ff50213985bba01ed1bbfe"},
		Labels: File{"mnist-test2k-labels-idx1-ubyte.gz",
			"73855753cb59af67ef75108758fa3b6a735f7437bab563942bb112bd96b86f6b"},
		N:           2000,
		ClassNames:  DigitClasses,
		ClassCounts: []int{175, 234, 219, 207, 217, 179, 178, 205, 192, 194},
	},
}

// Names lists the names Load accepts, sorted.
func Names() []string {
	names := make([]string, len(shipped))
	for i, s := range shipped {
		names[i] = s.Name
	}
	slices.Sort(names)
	return names
}

// ShippedSet returns the description of a shipped subset by name (one of Names(), case
// and surrounding spaces ignored).
func ShippedSet(name string) (Shipped, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	for _, s := range shipped {
		if s.Name == key {
			s.ClassNames = slices.Clone(s.ClassNames)
			s.ClassCounts = slices.Clone(s.ClassCounts)
			return s, nil
		}
	}
	return Shipped{}, fmt.Errorf("mnist: %w %q (shipped: %s)", ErrUnknownSet, name, strings.Join(Names(), ", "))
}

// Load reads one of the subsets shipped in the repository's data/ directory by name:
// "mnist" or "fashion" (10,000 training images each), "mnist-test" or "fashion-test"
// (2,000 held-out test images each, for evaluation only). It finds data/ in the kit (see
// DataDir), so that it works from the repository, from a package's tests and from a lesson
// in any folder alike; LoadDir takes the directory explicitly.
func Load(name string) (*Set, error) {
	dir, err := DataDir()
	if err != nil {
		return nil, err
	}
	return LoadDir(dir, name)
}

// LoadDir is Load from the given directory. Before parsing, it checks each file's SHA-256
// against the checksum compiled into this package, so a file that was corrupted or
// modified is refused (with an error wrapping ErrChecksum) rather than silently used;
// then it checks the files as ReadSet does.
func LoadDir(dir, name string) (*Set, error) {
	sh, err := ShippedSet(name)
	if err != nil {
		return nil, err
	}
	ib, err := readVerified(dir, sh.Images)
	if err != nil {
		return nil, err
	}
	lb, err := readVerified(dir, sh.Labels)
	if err != nil {
		return nil, err
	}
	ipath, lpath := filepath.Join(dir, sh.Images.Name), filepath.Join(dir, sh.Labels.Name)
	im, err := decodeImages(ib)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", ipath, err)
	}
	labels, err := decodeLabels(lb)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", lpath, err)
	}
	s, err := NewSet(sh.Name, im, labels, sh.ClassNames)
	if err != nil {
		return nil, fmt.Errorf("%w (files %s and %s)", err, ipath, lpath)
	}
	return s, nil
}

// readVerified reads dir/f.Name and checks its SHA-256.
func readVerified(dir string, f File) ([]byte, error) {
	path := filepath.Join(dir, f.Name)
	b, err := readFile(path)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != f.SHA256 {
		return nil, fmt.Errorf("mnist: %s: %w: SHA-256 %s, want %s: the file is corrupted or modified (restore it with `git checkout -- %s`, or rebuild it with `make data`)",
			path, ErrChecksum, got, f.SHA256, filepath.ToSlash(filepath.Join("data", f.Name)))
	}
	return b, nil
}

// DataDir returns the kit's data/ directory: data/ in kit.Root() (the kit named by
// $GANKIT_ROOT, which the GoNB kernelspec sets, or the one this package was compiled from),
// else next to the first go.mod found in the working directory or one of its parents.
func DataDir() (string, error) {
	if root := kit.Root(); root != "" {
		return filepath.Join(root, "data"), nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("mnist: finding data/: %w", err)
	}
	root, err := moduleRoot(wd)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "data"), nil
}

func moduleRoot(start string) (string, error) {
	for dir := start; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("mnist: finding data/: %w", err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("mnist: no go.mod in %s or any parent directory, so no data/ directory to load from (use LoadDir)", start)
		}
		dir = parent
	}
}
