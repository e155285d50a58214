package classifier

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gankit/kit/gankit/mnist"
	"github.com/gomlx/gomlx/core/tensors"
)

// Magic opens every weight file.
const Magic = "GKCLF001"

// ErrFormat is wrapped by the errors of LoadFile for a file that is not a complete,
// intact weight file of this architecture.
var ErrFormat = errors.New("not a valid classifier weight file")

// ErrNoShipped is wrapped by the errors of ShippedPath and Load for a data set with no
// classifier in data/ (there is one for "mnist" and one for "fashion").
var ErrNoShipped = errors.New("no shipped classifier")

// Info is what a weight file records about the model in it, besides the weights.
type Info struct {
	Arch         string  `json:"arch"`          // Arch
	Set          string  `json:"set"`           // training set: "mnist" or "fashion"
	TrainImages  int     `json:"train_images"`  // its size
	Seed         uint64  `json:"seed"`          // TrainConfig.Seed
	Epochs       int     `json:"epochs"`        // TrainConfig.Epochs
	Batch        int     `json:"batch"`         // TrainConfig.Batch
	LearningRate float64 `json:"learning_rate"` // TrainConfig.LearningRate
	Shift        int     `json:"shift"`         // TrainConfig.Shift
	TrainSeconds float64 `json:"train_seconds"` // wall-clock training time
	TestSet      string  `json:"test_set,omitempty"`
	TestAccuracy float64 `json:"test_accuracy,omitempty"` // on TestSet, measured after training
	Command      string  `json:"command,omitempty"`       // the command that wrote the file
}

// header is the JSON header of a weight file.
type header struct {
	Info
	Params []fileParam `json:"params"`
}

type fileParam struct {
	Name string `json:"name"`
	Dims []int  `json:"dims"`
}

// Save writes the model's weights to path (through a temporary file and a rename).
//
// The format, all integers little-endian:
//
//	8 bytes   Magic, "GKCLF001"
//	4 bytes   uint32 h, the length of the JSON header
//	h bytes   JSON header: Info's fields and "params", a list of {"name", "dims"}
//	          giving the order and shapes of the weight tensors
//	...       the weights as float32, tensor after tensor in header order, each
//	          row-major (the shapes of the GoMLX variables: conv kernels
//	          [k, k, in, out], dense weights [in, out])
//	32 bytes  SHA-256 of everything before it
func (m *Model) Save(path string) error {
	b, err := m.encode()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("classifier: saving: %w", err)
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("classifier: saving %s: %w", path, err)
	}
	return nil
}

func (m *Model) encode() ([]byte, error) {
	h := header{Info: m.Info}
	h.Arch = Arch
	var data []byte
	for _, p := range params {
		v := m.store.GetVariable(p.path)
		if v == nil {
			return nil, fmt.Errorf("classifier: internal error: no variable %s", p.path)
		}
		t, err := v.Value()
		if err != nil {
			return nil, fmt.Errorf("classifier: reading %s: %w", p.path, err)
		}
		if !slices.Equal(t.Shape().Dimensions, p.dims) {
			return nil, fmt.Errorf("classifier: internal error: %s is %v, want %v", p.path, t.Shape().Dimensions, p.dims)
		}
		err = tensors.ConstFlatData(t, func(f []float32) {
			for _, x := range f {
				data = binary.LittleEndian.AppendUint32(data, math.Float32bits(x))
			}
		})
		if err != nil {
			return nil, fmt.Errorf("classifier: reading %s: %w", p.path, err)
		}
		h.Params = append(h.Params, fileParam{strings.TrimPrefix(p.path, "/"), p.dims})
	}
	js, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("classifier: encoding the header: %w", err)
	}
	out := append([]byte(Magic), binary.LittleEndian.AppendUint32(nil, uint32(len(js)))...)
	out = append(append(out, js...), data...)
	sum := sha256.Sum256(out)
	return append(out, sum[:]...), nil
}

// ShippedPath returns the path of the weight file shipped for a data set, "mnist" or
// "fashion": data/<name>-classifier.bin in the repository (see mnist.DataDir). For any
// other name the error wraps ErrNoShipped.
func ShippedPath(name string) (string, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name != "mnist" && name != "fashion" {
		return "", fmt.Errorf("classifier: %w for %q (shipped: fashion, mnist)", ErrNoShipped, name)
	}
	dir, err := mnist.DataDir()
	if err != nil {
		return "", fmt.Errorf("classifier: %w", err)
	}
	return filepath.Join(dir, name+"-classifier.bin"), nil
}

// Load loads the classifier shipped in data/ for a data set: "mnist" or "fashion".
func Load(name string) (*Model, error) {
	path, err := ShippedPath(name)
	if err != nil {
		return nil, err
	}
	return LoadFile(path)
}

// LoadFile loads a weight file written by Save. It refuses, with an error wrapping
// ErrFormat and naming the file, anything but a complete, intact file of this
// architecture: a wrong magic, a header that does not parse, weights of other names or
// shapes, a file shorter or longer than its header announces (truncated), a SHA-256
// that does not match (corrupted).
func LoadFile(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("classifier: %w", err)
	}
	h, weights, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("classifier: %s: %w", path, err)
	}
	m, err := newModel(h.Set, h.Seed)
	if err != nil {
		return nil, err
	}
	m.Info = h.Info
	for i, p := range params {
		if err := m.store.GetVariable(p.path).SetValue(tensors.FromFlatDataAndDimensions(weights[i], p.dims...)); err != nil {
			return nil, fmt.Errorf("classifier: %s: setting %s: %w", path, p.path, err)
		}
	}
	return m, nil
}

// decode checks a weight file and returns its header and its weights in params order.
func decode(b []byte) (*header, [][]float32, error) {
	const minLen = len(Magic) + 4 + sha256.Size
	if len(b) < minLen || !bytes.Equal(b[:len(Magic)], []byte(Magic)) {
		if len(b) >= len(Magic) && !bytes.Equal(b[:len(Magic)], []byte(Magic)) {
			return nil, nil, fmt.Errorf("%w: starts with %q, want %q", ErrFormat, b[:len(Magic)], Magic)
		}
		return nil, nil, fmt.Errorf("%w: %d bytes, too short for even the header (truncated?)", ErrFormat, len(b))
	}
	hlen := int(binary.LittleEndian.Uint32(b[len(Magic):]))
	hEnd := len(Magic) + 4 + hlen
	if hlen > len(b)-minLen {
		return nil, nil, fmt.Errorf("%w: header of %d bytes announced, but the file has %d bytes (truncated?)", ErrFormat, hlen, len(b))
	}
	var h header
	if err := json.Unmarshal(b[len(Magic)+4:hEnd], &h); err != nil {
		return nil, nil, fmt.Errorf("%w: header: %v", ErrFormat, err)
	}
	if h.Arch != Arch {
		return nil, nil, fmt.Errorf("%w: architecture %q, want %q", ErrFormat, h.Arch, Arch)
	}
	if len(h.Params) != len(params) {
		return nil, nil, fmt.Errorf("%w: %d weight tensors, want %d", ErrFormat, len(h.Params), len(params))
	}
	n := 0
	for i, p := range params {
		if want := strings.TrimPrefix(p.path, "/"); h.Params[i].Name != want || !slices.Equal(h.Params[i].Dims, p.dims) {
			return nil, nil, fmt.Errorf("%w: weight tensor %d is %s %v, want %s %v", ErrFormat, i, h.Params[i].Name, h.Params[i].Dims, want, p.dims)
		}
		n += size(p.dims)
	}
	if want := hEnd + 4*n + sha256.Size; len(b) != want {
		what := "truncated"
		if len(b) > want {
			what = "trailing bytes"
		}
		return nil, nil, fmt.Errorf("%w: %d bytes, want %d for %d weights (%s)", ErrFormat, len(b), want, n, what)
	}
	body := b[:len(b)-sha256.Size]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], b[len(body):]) {
		return nil, nil, fmt.Errorf("%w: SHA-256 mismatch: the file is corrupted (restore it with git, or retrain with cmd/classifier)", ErrFormat)
	}
	weights := make([][]float32, len(params))
	off := hEnd
	for i, p := range params {
		w := make([]float32, size(p.dims))
		for j := range w {
			w[j] = math.Float32frombits(binary.LittleEndian.Uint32(b[off:]))
			off += 4
		}
		for j, x := range w {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, nil, fmt.Errorf("%w: weight %d of %s is %v", ErrFormat, j, h.Params[i].Name, x)
			}
		}
		weights[i] = w
	}
	return &h, weights, nil
}

func size(dims []int) int {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return n
}
