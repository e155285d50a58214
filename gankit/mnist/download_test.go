package mnist_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gankit/kit/gankit/mnist"
)

// mirror is a local HTTP server that serves files by name under /, counting requests.
type mirror struct {
	*httptest.Server
	mu       sync.Mutex
	files    map[string][]byte // nil entry or missing: 404
	requests map[string]int
}

func newMirror(t *testing.T, files map[string][]byte) *mirror {
	t.Helper()
	m := &mirror{files: files, requests: map[string]int{}}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/data/")
		m.mu.Lock()
		m.requests[name]++
		b, ok := m.files[name]
		m.mu.Unlock()
		if !ok || b == nil {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(m.Close)
	return m
}

func (m *mirror) base() string { return m.URL + "/data/" }

func (m *mirror) total() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, c := range m.requests {
		n += c
	}
	return n
}

// shippedAsFull serves the shipped 10k MNIST files under the four standard names (the
// same 10k images as "train" and as "t10k"), with their MD5s as the checksum table.
func shippedAsFull(t *testing.T) (files map[string][]byte, sums map[string]string) {
	t.Helper()
	sh, err := mnist.ShippedSet("mnist")
	if err != nil {
		t.Fatal(err)
	}
	read := func(f mnist.File) []byte {
		b, err := os.ReadFile(filepath.Join(dataDir(t), f.Name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	images, labels := read(sh.Images), read(sh.Labels)
	files = map[string][]byte{
		mnist.TrainImagesFile: images, mnist.TrainLabelsFile: labels,
		mnist.TestImagesFile: images, mnist.TestLabelsFile: labels,
	}
	sums = map[string]string{}
	for name, b := range files {
		s := md5.Sum(b)
		sums[name] = hex.EncodeToString(s[:])
	}
	return files, sums
}

// cacheEntries lists the names in a cache directory, temporary files included.
func cacheEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestDownloadFromLocalServer(t *testing.T) {
	files, sums := shippedAsFull(t)
	srv := newMirror(t, files)
	cache := t.TempDir()
	opts := &mnist.DownloadOptions{Mirrors: []string{srv.base()}, MD5: sums}
	ff, err := mnist.Download(context.Background(), "mnist", cache, opts)
	if err != nil {
		t.Fatal(err)
	}
	if ff.Dir != filepath.Join(cache, "mnist") || ff.TrainImages != filepath.Join(cache, "mnist", mnist.TrainImagesFile) {
		t.Errorf("files in %s (%s), want in %s", ff.Dir, ff.TrainImages, filepath.Join(cache, "mnist"))
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(ff.Dir, name))
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("cached %s differs from what was served (%v)", name, err)
		}
	}
	if got := cacheEntries(t, ff.Dir); !slices.Equal(got, slices.Sorted(maps.Keys(files))) {
		t.Errorf("cache holds %v, want exactly the four files", got)
	}
	train, err := ff.Train()
	if err != nil {
		t.Fatal(err)
	}
	test, err := ff.Test()
	if err != nil {
		t.Fatal(err)
	}
	shipped := load(t, "mnist")
	if train.Name != "mnist-train" || test.Name != "mnist-test" || !slices.Equal(train.Images, shipped.Images) ||
		!slices.Equal(test.Labels, shipped.Labels) {
		t.Errorf("Train()/Test() (%s, %s) do not read back the served images", train.Name, test.Name)
	}
	if n := srv.total(); n != 4 {
		t.Errorf("%d requests for 4 files", n)
	}
	// A second call finds everything cached and asks for nothing.
	var log strings.Builder
	opts.Log = &log
	if _, err := mnist.Download(context.Background(), "mnist", cache, opts); err != nil {
		t.Fatal(err)
	}
	if n := srv.total(); n != 4 {
		t.Errorf("second Download made %d more requests, want none", n-4)
	}
	if got := strings.Count(log.String(), " cached\n"); got != 4 {
		t.Errorf("second Download logged %q, want 4 files cached", log.String())
	}
}

// A mirror that serves a corrupted file: an error that says so and names the URL; the
// cache keeps what was good and has no trace of the bad file.
func TestDownloadRejectsCorruptedFile(t *testing.T) {
	files, sums := shippedAsFull(t)
	bad := slices.Clone(files[mnist.TestImagesFile])
	bad[len(bad)/2] ^= 0xff
	files[mnist.TestImagesFile] = bad
	srv := newMirror(t, files)
	cache := t.TempDir()
	_, err := mnist.Download(context.Background(), "mnist", cache,
		&mnist.DownloadOptions{Mirrors: []string{srv.base()}, MD5: sums})
	wantErr(t, err, mnist.ErrChecksum, srv.base()+mnist.TestImagesFile,
		"downloading mnist's t10k-images-idx3-ubyte.gz", "every mirror failed (1 tried)",
		"want "+sums[mnist.TestImagesFile], "corrupted, truncated or not the official file")
	want := []string{mnist.TrainImagesFile, mnist.TrainLabelsFile} // fetched before the bad one
	slices.Sort(want)
	if got := cacheEntries(t, filepath.Join(cache, "mnist")); !slices.Equal(got, want) {
		t.Errorf("cache holds %v after the failure, want only %v (no bad or partial file)", got, want)
	}
}

// A 404 on the first mirror: the second serves the files.
func TestDownloadFallsBackToNextMirror(t *testing.T) {
	files, sums := shippedAsFull(t)
	empty := newMirror(t, map[string][]byte{})
	good := newMirror(t, files)
	var log strings.Builder
	ff, err := mnist.Download(context.Background(), "mnist", t.TempDir(),
		&mnist.DownloadOptions{Mirrors: []string{empty.base(), good.base()}, MD5: sums, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if empty.total() != 4 || good.total() != 4 {
		t.Errorf("requests: %d to the first mirror, %d to the second; want 4 and 4", empty.total(), good.total())
	}
	if _, err := ff.Train(); err != nil {
		t.Error(err)
	}
	if got := strings.Count(log.String(), " downloaded\n"); got != 4 {
		t.Errorf("log %q, want 4 files downloaded", log.String())
	}
}

// Every mirror failing: the error lists each one with its own reason.
func TestDownloadListsEveryMirrorTried(t *testing.T) {
	files, sums := shippedAsFull(t)
	files[mnist.TrainImagesFile] = files[mnist.TrainImagesFile][:1000] // truncated
	a := newMirror(t, map[string][]byte{})
	b := newMirror(t, files)
	_, err := mnist.Download(context.Background(), "mnist", t.TempDir(),
		&mnist.DownloadOptions{Mirrors: []string{a.base(), b.base()}, MD5: sums})
	wantErr(t, err, mnist.ErrChecksum, mnist.TrainImagesFile, "every mirror failed (2 tried)",
		a.base()+mnist.TrainImagesFile+": HTTP 404 Not Found",
		b.base()+mnist.TrainImagesFile+": checksum mismatch: 1000 bytes with MD5")
}

// A cached file with the wrong checksum is fetched again and replaced.
func TestDownloadReplacesBadCachedFile(t *testing.T) {
	files, sums := shippedAsFull(t)
	srv := newMirror(t, files)
	cache := t.TempDir()
	if err := os.MkdirAll(filepath.Join(cache, "mnist"), 0o755); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(cache, "mnist", mnist.TrainLabelsFile)
	mustWrite(t, stale, []byte("not the labels"))
	if _, err := mnist.Download(context.Background(), "mnist", cache,
		&mnist.DownloadOptions{Mirrors: []string{srv.base()}, MD5: sums}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(stale)
	if err != nil || !slices.Equal(got, files[mnist.TrainLabelsFile]) {
		t.Errorf("the bad cached %s was not replaced (%v)", mnist.TrainLabelsFile, err)
	}
}

func TestDownloadCanceled(t *testing.T) {
	files, sums := shippedAsFull(t)
	srv := newMirror(t, files)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cache := t.TempDir()
	_, err := mnist.Download(ctx, "mnist", cache, &mnist.DownloadOptions{Mirrors: []string{srv.base(), srv.base()}, MD5: sums})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "(1 tried)") {
		t.Errorf("Download with a canceled context: %v, want context.Canceled after trying one mirror", err)
	}
	if got := cacheEntries(t, filepath.Join(cache, "mnist")); len(got) != 0 {
		t.Errorf("cache holds %v after a canceled download", got)
	}
}

func TestDownloadDefaults(t *testing.T) {
	_, err := mnist.Download(context.Background(), "cifar10", t.TempDir(), nil)
	if !errors.Is(err, mnist.ErrUnknownSet) || !strings.Contains(err.Error(), `no full data set "cifar10"`) {
		t.Errorf("Download(cifar10): %v", err)
	}
	// The mirrors and torchvision's MD5s, as documented.
	for name, want := range map[string][]string{
		"mnist":   {"https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"},
		"fashion": {"http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"},
	} {
		if got, err := mnist.DefaultMirrors(name); err != nil || !slices.Equal(got, want) {
			t.Errorf("DefaultMirrors(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	for name, want := range map[string]map[string]string{
		"mnist": {
			mnist.TrainImagesFile: "f68b3c2dcbeaaa9fbdd348bbdeb94873", mnist.TrainLabelsFile: "d53e105ee54ea40749a09fcbcd1e9432",
			mnist.TestImagesFile: "9fb629c4189551a2d022fa330f9573f3", mnist.TestLabelsFile: "ec29112dd5afa0611ce80d1b7f02629c",
		},
		"fashion": {
			mnist.TrainImagesFile: "8d4fb7e6c68d591d4c3dfef9ec88bf0d", mnist.TrainLabelsFile: "25c81989df183df01b3e8a0aad5dffbe",
			mnist.TestImagesFile: "bef4ecab320f06d8554ea6380940ec79", mnist.TestLabelsFile: "bb300cfdad3c16e7a12a480ee83cd310",
		},
	} {
		if got, err := mnist.FullMD5(name); err != nil || !maps.Equal(got, want) {
			t.Errorf("FullMD5(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
}
