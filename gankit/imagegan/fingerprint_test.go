package imagegan

import (
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
)

// TestFingerprint trains a tiny GAN of each Mode for 25 iterations and hashes the exact
// bits of its history, its snapshots and a few generated images: a refactoring that keeps
// the numbers of a run leaves every hash as recorded in testdata/fingerprint-<backend>.txt.
// Run with -fingerprint=check (or =update on the code whose numbers are the reference).
func TestFingerprint(t *testing.T) {
	b, finish := testkit.Fingerprints(t)
	got := map[string]string{}
	for name, mode := range map[string]Mode{"unconditional": Unconditional, "conditional": Conditional, "infogan": InfoGAN} {
		cfg := Config{Set: digits(t), Mode: mode, NoiseDim: 8, GWidth: 8, DWidth: 4, BatchSize: 16, Seed: 7, SnapshotSamples: 10}
		tr, err := New(b, cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := tr.Run(25, 0, 10, 25); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var h testkit.Hash
		for _, r := range tr.History() {
			h.Int(r.Iteration)
			h.Float64(r.DLoss, r.GLoss, r.DReal, r.DFake, r.Info)
		}
		for _, s := range tr.Snapshots() {
			h.Int(s.Iteration)
			h.Float32(s.Images...)
			h.Float32(s.Codes.Continuous...)
		}
		imgs, err := tr.Generate(tr.FixedNoise(4), tr.FixedCodes(4))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h.Float32(imgs...)
		got[name] = h.String()
	}
	finish(got)
}
