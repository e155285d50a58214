package testkit

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute"
)

// fingerprint is the -fingerprint flag of every test binary that imports testkit:
// "update" records the fingerprints of a package's runs, "check" compares them; empty
// (the default) skips the fingerprint tests, whose bit patterns depend on the backend
// and the CPU.
var fingerprint = flag.String("fingerprint", "", `fingerprint tests: "update" records testdata/fingerprint-<backend>.txt, "check" compares with it`)

// Hash accumulates the exact bits of a run's numbers: a refactoring that keeps every
// floating-point operation in its order leaves it unchanged.
type Hash struct{ sum []byte }

// Float64 adds the bits of each value.
func (h *Hash) Float64(vs ...float64) {
	for _, v := range vs {
		h.sum = binary.LittleEndian.AppendUint64(h.sum, math.Float64bits(v))
	}
}

// Float32 adds the bits of each value.
func (h *Hash) Float32(vs ...float32) {
	for _, v := range vs {
		h.sum = binary.LittleEndian.AppendUint32(h.sum, math.Float32bits(v))
	}
}

// Int adds integers (iteration numbers, sizes).
func (h *Hash) Int(vs ...int) {
	for _, v := range vs {
		h.sum = binary.LittleEndian.AppendUint64(h.sum, uint64(v))
	}
}

// String is the SHA-256 of everything added, in hex.
func (h *Hash) String() string {
	s := sha256.Sum256(h.sum)
	return hex.EncodeToString(s[:])
}

// Fingerprints skips the test unless -fingerprint is given; otherwise it returns the
// backend to run on and the function that finishes the test with the fingerprint of each
// named configuration: "update" writes them to testdata/fingerprint-<backend>.txt (one
// "name hash" line each), "check" fails for every one that differs from that file.
func Fingerprints(t *testing.T) (compute.Backend, func(map[string]string)) {
	t.Helper()
	mode := *fingerprint
	switch mode {
	case "":
		t.Skip("fingerprints depend on the backend and the CPU: run with -fingerprint=check or -fingerprint=update")
	case "check", "update":
	default:
		t.Fatalf("-fingerprint=%q: want check or update", mode)
	}
	b := Backend(t)
	t.Logf("Backend: %s", b.Description())
	file := filepath.Join("testdata", "fingerprint-"+backendKey(b)+".txt")
	return b, func(got map[string]string) {
		t.Helper()
		names := slices.Sorted(func(yield func(string) bool) {
			for k := range got {
				if !yield(k) {
					return
				}
			}
		})
		if mode == "update" {
			var sb strings.Builder
			for _, n := range names {
				fmt.Fprintf(&sb, "%s %s\n", n, got[n])
			}
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte(sb.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s:\n%s", file, sb.String())
			return
		}
		f, err := os.Open(file)
		if err != nil {
			t.Fatalf("no recorded fingerprints for this backend (run -fingerprint=update on the code to compare with): %v", err)
		}
		defer f.Close()
		want := map[string]string{}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if name, hash, ok := strings.Cut(sc.Text(), " "); ok {
				want[name] = hash
			}
		}
		for _, n := range names {
			switch w, ok := want[n]; {
			case !ok:
				t.Errorf("%s: no recorded fingerprint in %s", n, file)
			case w != got[n]:
				t.Errorf("%s: fingerprint %s, recorded %s: the run's numbers changed", n, got[n], w)
			default:
				t.Logf("%s: %s matches", n, got[n])
			}
		}
		for n := range want {
			if _, ok := got[n]; !ok {
				t.Errorf("%s: recorded in %s but not run", n, file)
			}
		}
	}
}

// backendKey is the first word of the backend's name in lower case ("go", "xla"), letters
// and digits only.
func backendKey(b compute.Backend) string {
	name := strings.ToLower(b.Name())
	if f := strings.Fields(name); len(f) > 0 {
		name = f[0]
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, name)
}
