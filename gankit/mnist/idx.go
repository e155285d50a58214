package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// The IDX magic numbers of MNIST's files: two zero bytes, the element type (0x08,
// unsigned byte) and the number of dimensions.
const (
	MagicImages = 0x00000803 // [n, rows, cols] uint8
	MagicLabels = 0x00000801 // [n] uint8
)

// MaxIDXBytes bounds how much an IDX reader decompresses: the largest MNIST file (the
// 60,000 training images) is 47,040,016 bytes, so a file that says or holds more than
// this is refused rather than read into memory.
const MaxIDXBytes = 1 << 28

var (
	// ErrFormat is wrapped by every error about a file that is not a valid IDX file of
	// the kind asked for: truncated or corrupt gzip data, a bad magic number, header
	// dimensions that do not match the file's length, images and labels that do not
	// pair up, a label out of range.
	ErrFormat = errors.New("not a valid IDX file")
	// ErrChecksum is wrapped by the errors of Load, LoadDir and Download for a file
	// whose checksum is not the one recorded for it.
	ErrChecksum = errors.New("checksum mismatch")
	// ErrUnknownSet is wrapped by the errors of Load, ShippedSet, Download,
	// DefaultMirrors and FullMD5 for a data set name they do not know; the message lists
	// the names they do.
	ErrUnknownSet = errors.New("unknown data set")
)

// Images is the content of an IDX image file: N images of Rows×Cols bytes each, image
// after image, each row-major (MNIST: 0 is background, 255 full ink).
type Images struct {
	Pixels        []uint8 // len N*Rows*Cols
	N, Rows, Cols int
}

// ReadImages reads an IDX image file (magic 0x00000803), gzip-compressed or not (told
// apart by the gzip magic bytes), such as MNIST's train-images-idx3-ubyte.gz. Errors
// name the file and wrap os.ErrNotExist or ErrFormat.
func ReadImages(path string) (*Images, error) {
	b, err := readFile(path)
	if err != nil {
		return nil, err
	}
	im, err := decodeImages(b)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", path, err)
	}
	return im, nil
}

// ReadLabels reads an IDX label file (magic 0x00000801), gzip-compressed or not, such as
// MNIST's train-labels-idx1-ubyte.gz. It does not check the labels' range: ReadSet and
// NewSet do, against the number of classes.
func ReadLabels(path string) ([]uint8, error) {
	b, err := readFile(path)
	if err != nil {
		return nil, err
	}
	l, err := decodeLabels(b)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", path, err)
	}
	return l, nil
}

// DecodeImages is ReadImages on a stream of the file's bytes (compressed or not).
func DecodeImages(r io.Reader) (*Images, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxIDXBytes+1))
	if err != nil {
		return nil, fmt.Errorf("mnist: reading IDX images: %w", err)
	}
	im, err := decodeImages(b)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	return im, nil
}

// DecodeLabels is ReadLabels on a stream of the file's bytes (compressed or not).
func DecodeLabels(r io.Reader) ([]uint8, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxIDXBytes+1))
	if err != nil {
		return nil, fmt.Errorf("mnist: reading IDX labels: %w", err)
	}
	l, err := decodeLabels(b)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	return l, nil
}

// readFile reads a whole file, with an error that names it (and wraps os.ErrNotExist
// when it is missing).
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("mnist: %s: file missing: %w", path, err)
		}
		return nil, fmt.Errorf("mnist: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxIDXBytes+1))
	if err != nil {
		return nil, fmt.Errorf("mnist: reading %s: %w", path, err)
	}
	return b, nil
}

func decodeImages(b []byte) (*Images, error) {
	data, dims, err := decode(b, MagicImages)
	if err != nil {
		return nil, err
	}
	if dims[1] == 0 || dims[2] == 0 {
		return nil, fmt.Errorf("%w: images of %d×%d pixels", ErrFormat, dims[1], dims[2])
	}
	return &Images{Pixels: data, N: dims[0], Rows: dims[1], Cols: dims[2]}, nil
}

func decodeLabels(b []byte) ([]uint8, error) {
	data, _, err := decode(b, MagicLabels)
	return data, err
}

// decode decompresses b if it is gzip data, checks the IDX header against want and the
// data's length against the header's dimensions, and returns the data after the header.
func decode(b []byte, want uint32) ([]uint8, []int, error) {
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		var err error
		if b, err = gunzip(b); err != nil {
			return nil, nil, err
		}
	} else if len(b) > MaxIDXBytes {
		return nil, nil, fmt.Errorf("%w: more than %d bytes", ErrFormat, MaxIDXBytes)
	}
	if len(b) < 4 {
		return nil, nil, fmt.Errorf("%w: %d bytes, too short for an IDX header", ErrFormat, len(b))
	}
	magic := binary.BigEndian.Uint32(b)
	if magic != want {
		return nil, nil, fmt.Errorf("%w: bad magic number 0x%08x, want 0x%08x (%s)", ErrFormat, magic, want, describeMagic(want))
	}
	nd := int(want & 0xff)
	head := 4 + 4*nd
	if len(b) < head {
		return nil, nil, fmt.Errorf("%w: %d bytes, too short for the %d dimensions of the header", ErrFormat, len(b), nd)
	}
	dims := make([]int, nd)
	size := int64(1)
	for i := range dims {
		dims[i] = int(binary.BigEndian.Uint32(b[4+4*i:]))
		size *= int64(dims[i])
		if size > MaxIDXBytes {
			return nil, nil, fmt.Errorf("%w: header dimensions %v describe more than %d bytes", ErrFormat, dims[:i+1], MaxIDXBytes)
		}
	}
	if got := int64(len(b) - head); got != size {
		return nil, nil, fmt.Errorf("%w: header dimensions %v describe %d bytes of data, but the file holds %d after its %d-byte header", ErrFormat, dims, size, got, head)
	}
	return b[head:], dims, nil
}

func describeMagic(m uint32) string {
	switch m {
	case MagicImages:
		return "unsigned-byte images, 3 dimensions"
	case MagicLabels:
		return "unsigned-byte labels, 1 dimension"
	}
	return "IDX"
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: bad gzip header: %v", ErrFormat, err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, MaxIDXBytes+1))
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, fmt.Errorf("%w: truncated gzip data (the stream ends after %d decompressed bytes)", ErrFormat, len(out))
	case errors.Is(err, gzip.ErrChecksum):
		return nil, fmt.Errorf("%w: corrupt gzip data (CRC-32 or length mismatch)", ErrFormat)
	case err != nil:
		return nil, fmt.Errorf("%w: corrupt gzip data: %v", ErrFormat, err)
	case len(out) > MaxIDXBytes:
		return nil, fmt.Errorf("%w: decompresses to more than %d bytes", ErrFormat, MaxIDXBytes)
	}
	return out, nil
}
