package cyclegan

import (
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/mnist"
)

// TestFingerprint trains a tiny CycleGAN, with and without the identity term, for 25
// iterations and hashes the exact bits of its history and of a few translations and
// their reconstructions in both directions: a refactoring that keeps the numbers of a
// run leaves every hash as recorded in testdata/fingerprint-<backend>.txt. Run with
// -fingerprint=check (or =update on the code whose numbers are the reference).
func TestFingerprint(t *testing.T) {
	b, finish := testkit.Fingerprints(t)
	d, err := ThinThick(testSet(t))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for name, identity := range map[string]float64{"default": 0, "identity": 0.5} {
		tr, err := New(b, Config{Domains: d, Identity: identity, Width: 4, DWidth: 4, BatchSize: 8, Seed: 7})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := tr.Run(25); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var h testkit.Hash
		for _, r := range tr.History() {
			h.Int(r.Iteration)
			h.Float64(r.DA, r.DB, r.GAN, r.Cycle, r.Identity)
		}
		for dir, images := range [][]float32{d.A[:3*mnist.Pixels], d.B[:3*mnist.Pixels]} {
			translated, reconstructed, err := tr.Cycle(Direction(dir), images)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			h.Float32(translated...)
			h.Float32(reconstructed...)
		}
		got[name] = h.String()
	}
	finish(got)
}
