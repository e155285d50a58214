package vae

import (
	"testing"

	"github.com/gankit/kit/gankit/internal/testkit"
	"github.com/gankit/kit/gankit/mnist"
	"github.com/gankit/kit/gankit/train"
)

// TestFingerprint trains a small VAE, CVAE, β-VAE and auto-encoder and hashes the exact
// bits of their histories, samples, reconstructions and codes: a refactoring that keeps
// the numbers of a run leaves every hash as recorded in
// testdata/fingerprint-<backend>.txt. Run with -fingerprint=check (or =update on the
// code whose numbers are the reference).
func TestFingerprint(t *testing.T) {
	b, finish := testkit.Fingerprints(t)
	runs := map[string]func(c *Config){
		"vae":         func(c *Config) {},
		"cvae":        func(c *Config) { c.Conditional = true },
		"beta-vae":    func(c *Config) { c.Beta = 4; c.Optimizer = train.Adam(3e-3, 0.9, 0.999) },
		"autoencoder": func(c *Config) { c.Autoencoder = true },
	}
	set := testSet(t)
	images := make([]float32, 5*mnist.Pixels)
	for i, v := range set.Images[:5*mnist.Pixels] {
		images[i] = float32(v)/127.5 - 1
	}
	got := map[string]string{}
	for name, change := range runs {
		cfg := Config{Set: set, Latent: 4, Width: 8, EncoderWidth: 4, BatchSize: 16, Seed: 5}
		change(&cfg)
		tr, err := New(b, cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := tr.Run(30); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var h testkit.Hash
		for _, r := range tr.History() {
			h.Int(r.Iteration)
			h.Float64(r.Loss, r.Reconstruction, r.KL)
		}
		var labels []int
		if cfg.Conditional {
			labels = []int{0, 1, 2, 3, 4}
		}
		samples, err := tr.Sample(tr.PriorNoise(5), labels)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h.Float32(samples...)
		mu, logVar, err := tr.Encode(images, labels)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h.Float32(mu...)
		h.Float32(logVar...)
		rec, err := tr.Reconstruct(images, labels)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h.Float32(rec...)
		got[name] = h.String()
	}
	finish(got)
}
