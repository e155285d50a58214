package pix2pix

import (
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/mnist"
)

// TestFingerprint trains a tiny model of each Objective for 25 iterations and hashes the
// exact bits of its history and of the translations of a few inputs: a refactoring that
// keeps the numbers of a run leaves every hash as recorded in
// testdata/fingerprint-<backend>.txt. Run with -fingerprint=check (or =update on the code
// whose numbers are the reference).
func TestFingerprint(t *testing.T) {
	b, finish := testkit.Fingerprints(t)
	pairs, err := MakePairs(testSet(t), Inpaint)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for name, obj := range map[string]Objective{"cgan+l1": CGANAndL1, "l1-only": L1Only, "cgan-only": CGANOnly} {
		tr, err := New(b, Config{Pairs: pairs, Objective: obj, Width: 4, DWidth: 4, BatchSize: 8, Seed: 7})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := tr.Run(25); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var h testkit.Hash
		for _, r := range tr.History() {
			h.Int(r.Iteration)
			h.Float64(r.DLoss, r.GAN, r.L1, r.DReal, r.DFake)
		}
		out, err := tr.Translate(pairs.Inputs[:4*mnist.Pixels])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h.Float32(out...)
		got[name] = h.String()
	}
	finish(got)
}
