package plots

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/cmpimg"
)

// The golden images of the figures live in testdata/<name>.png. A figure that draws
// differently fails its test until the golden images are rewritten on purpose, with
// gonum's flag (cmpimg.GenerateTestData):
//
//	go test ./gankit/plots -regen   (or: make golden)
//
// and the new images are reviewed and committed.

// goldenDelta is the tolerance of the comparison: cmpimg.EqualApprox's normalised
// per-pixel colour distance in YIQ space (0 exact, 1 anything), which every pixel must
// keep. 0.03 lets a grey level move by about 8 of 255: the rounding differences of
// anti-aliasing and font rasterisation between platforms (fused multiply-adds on arm64,
// for one). A changed colour (one channel by 40 of 255 already), line width, dash
// pattern, layout or size fails.
const goldenDelta = 0.03

// goldenDPI is the resolution of the golden images, below DefaultDPI to keep them small
// (a line of one point is still a pixel wide).
const goldenDPI = 72

// maxGoldenBytes keeps each golden image, and the repository, small.
const maxGoldenBytes = 100_000

// checkGolden renders f at goldenDPI as PNG and compares it with testdata/<name>.png,
// or writes that file under -regen. The PNG must also have the figure's PixelSize.
func checkGolden(t *testing.T, name string, f *Figure) {
	t.Helper()
	g := *f
	g.DPI = goldenDPI
	f = &g
	got, err := f.PNG()
	if err != nil {
		t.Fatalf("%s: PNG: %v", name, err)
	}
	img, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		t.Fatalf("%s: decoding PNG: %v", name, err)
	}
	if w, h := f.PixelSize(); img.Bounds().Dx() != w || img.Bounds().Dy() != h {
		t.Errorf("%s: PNG is %dx%d, PixelSize %dx%d", name, img.Bounds().Dx(), img.Bounds().Dy(), w, h)
	}
	comparePNG(t, name, got)
}

// comparePNG compares PNG bytes with testdata/<name>.png, or writes that file under
// -regen. On a difference it writes the image this run drew and a difference image to a
// temporary directory and names them in the failure.
func comparePNG(t *testing.T, name string, got []byte) {
	t.Helper()
	if len(got) > maxGoldenBytes {
		t.Errorf("%s: PNG is %d bytes, want at most %d: make the test figure smaller", name, len(got), maxGoldenBytes)
	}
	path := filepath.Join("testdata", name+".png")
	if *cmpimg.GenerateTestData {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", path, len(got))
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (write the golden images with: go test ./gankit/plots -regen)", name, err)
	}
	ok, err := cmpimg.EqualApprox("png", got, want, goldenDelta)
	if err != nil {
		t.Fatalf("%s: comparing with %s: %v", name, path, err)
	}
	if ok {
		return
	}
	dir, err := os.MkdirTemp("", "plots-golden-")
	if err != nil {
		t.Fatal(err)
	}
	gotPath, diffPath := filepath.Join(dir, name+".png"), filepath.Join(dir, name+"_diff.png")
	_ = os.WriteFile(gotPath, got, 0o644)
	if diff, err := diffImage(got, want); err == nil {
		_ = os.WriteFile(diffPath, diff, 0o644)
	}
	t.Errorf("%s: the figure differs from %s: see %s and %s; if the change is intended, rewrite the golden images with: go test ./gankit/plots -regen",
		name, path, gotPath, diffPath)
}

// diffImage returns, as PNG, cmpimg.Diff of two PNG images.
func diffImage(a, b []byte) ([]byte, error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return nil, err
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	dst := image.NewRGBA(ia.Bounds().Union(ib.Bounds()))
	cmpimg.Diff(dst, ia, ib)
	var buf bytes.Buffer
	if err := png.Encode(&buf, dst); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
