package mnist

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// The four files of each full data set, by their standard names.
const (
	TrainImagesFile = "train-images-idx3-ubyte.gz"
	TrainLabelsFile = "train-labels-idx1-ubyte.gz"
	TestImagesFile  = "t10k-images-idx3-ubyte.gz"
	TestLabelsFile  = "t10k-labels-idx1-ubyte.gz"
)

// fullFiles lists them in the order Download fetches them.
var fullFiles = []string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile}

// fullMD5 holds the MD5 of each official .gz file, as torchvision publishes them (the
// `resources` lists of torchvision.datasets.MNIST and FashionMNIST). MD5 is what is
// published for these files; it guards against truncated, corrupted or stale copies on a
// mirror (no one can make a different file with a given MD5), and the files are then
// parsed with every check of ReadSet. The Fashion-MNIST ones were also checked here
// against Debian's copy of Zalando's files: its deflate streams, put back behind the
// original gzip headers, have exactly these MD5s.
var fullMD5 = map[string]map[string]string{
	"mnist": {
		TrainImagesFile: "f68b3c2dcbeaaa9fbdd348bbdeb94873",
		TrainLabelsFile: "d53e105ee54ea40749a09fcbcd1e9432",
		TestImagesFile:  "9fb629c4189551a2d022fa330f9573f3",
		TestLabelsFile:  "ec29112dd5afa0611ce80d1b7f02629c",
	},
	"fashion": {
		TrainImagesFile: "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
		TrainLabelsFile: "25c81989df183df01b3e8a0aad5dffbe",
		TestImagesFile:  "bef4ecab320f06d8554ea6380940ec79",
		TestLabelsFile:  "bb300cfdad3c16e7a12a480ee83cd310",
	},
}

// defaultMirrors are the base URLs Download tries, in order (torchvision's mirrors; the
// original http://yann.lecun.com/exdb/mnist/ refuses most downloads).
var defaultMirrors = map[string][]string{
	"mnist": {
		"https://ossci-datasets.s3.amazonaws.com/mnist/",
		"https://storage.googleapis.com/cvdf-datasets/mnist/",
	},
	"fashion": {
		"http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
	},
}

// maxDownloadBytes bounds one downloaded file (the largest, Fashion-MNIST's training
// images, is 26,421,880 bytes).
const maxDownloadBytes = 64 << 20

// DefaultMirrors returns the base URLs Download tries for a data set, in order.
func DefaultMirrors(name string) ([]string, error) {
	m, ok := defaultMirrors[name]
	if !ok {
		return nil, fmt.Errorf("mnist: %w: no full data set %q (known: fashion, mnist)", ErrUnknownSet, name)
	}
	return append([]string(nil), m...), nil
}

// FullMD5 returns the MD5 (hex) of each of a full data set's four files, by file name.
func FullMD5(name string) (map[string]string, error) {
	m, ok := fullMD5[name]
	if !ok {
		return nil, fmt.Errorf("mnist: %w: no full data set %q (known: fashion, mnist)", ErrUnknownSet, name)
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out, nil
}

// DownloadOptions adjusts Download; the zero value (or nil) uses the official mirrors
// and checksums.
type DownloadOptions struct {
	// Mirrors are base URLs, tried in order for each file: the file's URL is the base
	// URL followed by the file name. Empty: DefaultMirrors(name).
	Mirrors []string
	// MD5 maps each of the four file names to the MD5 (hex) its download must have.
	// Nil: FullMD5(name). Tests set it to serve other files.
	MD5 map[string]string
	// Client makes the requests; nil: http.DefaultClient. The context given to Download
	// bounds them.
	Client *http.Client
	// Log, if not nil, gets one line per file fetched or found in the cache.
	Log io.Writer
}

// FullFiles are the paths of a full data set's four files in the cache.
type FullFiles struct {
	Name                                             string // "mnist" or "fashion"
	Dir                                              string
	TrainImages, TrainLabels, TestImages, TestLabels string
}

// Train reads the training images and labels (60,000 of them in the official files).
func (f *FullFiles) Train() (*Set, error) {
	return ReadSet(f.Name+"-train", f.TrainImages, f.TrainLabels, classNames(f.Name))
}

// Test reads the test images and labels (10,000 in the official files).
func (f *FullFiles) Test() (*Set, error) {
	return ReadSet(f.Name+"-test", f.TestImages, f.TestLabels, classNames(f.Name))
}

func classNames(name string) []string {
	if name == "fashion" {
		return FashionClasses
	}
	return DigitClasses
}

// Download fetches the four files of a full data set, "mnist" (MNIST's 70,000 digits) or
// "fashion" (Fashion-MNIST's 70,000 images), into cacheDir/<name>/ (cacheDir "" means
// os.UserCacheDir()/gankit), unless they are already there with the right checksum.
//
// Each file is tried on each mirror in turn until one serves it with the expected MD5.
// A download goes to a temporary file next to its destination and is renamed into
// place only once its checksum is right, so an interrupted or failed download leaves the
// cache as it was: never a partial or wrong file under the real name. When every mirror
// fails for a file, the error lists each mirror with what went wrong there.
func Download(ctx context.Context, name, cacheDir string, opts *DownloadOptions) (*FullFiles, error) {
	var o DownloadOptions
	if opts != nil {
		o = *opts
	}
	mirrors := o.Mirrors
	if len(mirrors) == 0 {
		var err error
		if mirrors, err = DefaultMirrors(name); err != nil {
			return nil, err
		}
	} else if _, ok := defaultMirrors[name]; !ok {
		return nil, fmt.Errorf("mnist: %w: no full data set %q (known: fashion, mnist)", ErrUnknownSet, name)
	}
	sums := o.MD5
	if sums == nil {
		sums = fullMD5[name]
	}
	client := o.Client
	if client == nil {
		client = http.DefaultClient
	}
	if cacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("mnist: no cache directory given and none found: %w", err)
		}
		cacheDir = filepath.Join(base, "gankit")
	}
	dir := filepath.Join(cacheDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	for _, file := range fullFiles {
		want, ok := sums[file]
		if !ok {
			return nil, fmt.Errorf("mnist: no MD5 for %s", file)
		}
		path := filepath.Join(dir, file)
		if got, err := fileMD5(path); err == nil && got == want {
			logf(o.Log, "%s: %s cached\n", name, path)
			continue
		}
		if err := fetch(ctx, client, mirrors, file, path, want); err != nil {
			return nil, fmt.Errorf("mnist: downloading %s's %s: %w", name, file, err)
		}
		logf(o.Log, "%s: %s downloaded\n", name, path)
	}
	return &FullFiles{Name: name, Dir: dir,
		TrainImages: filepath.Join(dir, TrainImagesFile), TrainLabels: filepath.Join(dir, TrainLabelsFile),
		TestImages: filepath.Join(dir, TestImagesFile), TestLabels: filepath.Join(dir, TestLabelsFile)}, nil
}

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format, args...)
	}
}

func fileMD5(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := md5.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fetch tries each mirror in turn and renames the first download with the right MD5 to
// path. It returns an error naming every URL tried and why it failed.
func fetch(ctx context.Context, client *http.Client, mirrors []string, file, path, want string) error {
	e := &mirrorsError{}
	for _, m := range mirrors {
		url := strings.TrimSuffix(m, "/") + "/" + file
		err := fetchOne(ctx, client, url, path, want)
		if err == nil {
			return nil
		}
		e.urls = append(e.urls, url)
		e.errs = append(e.errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return e
}

// mirrorsError lists what went wrong on each mirror; errors.Is sees each cause
// (ErrChecksum, context.Canceled, ...).
type mirrorsError struct {
	urls []string
	errs []error
}

func (e *mirrorsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "every mirror failed (%d tried):", len(e.urls))
	for i, u := range e.urls {
		fmt.Fprintf(&b, "\n  %s: %v", u, e.errs[i])
	}
	return b.String()
}

func (e *mirrorsError) Unwrap() []error { return e.errs }

func fetchOne(ctx context.Context, client *http.Client, url, path, want string) (err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %s", resp.Status)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := md5.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(resp.Body, maxDownloadBytes+1))
	if err != nil {
		return fmt.Errorf("after %d bytes: %w", n, err)
	}
	if n > maxDownloadBytes {
		return fmt.Errorf("larger than %d bytes", int64(maxDownloadBytes))
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("%w: %d bytes with MD5 %s, want %s (corrupted, truncated or not the official file)", ErrChecksum, n, got, want)
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return nil
}
