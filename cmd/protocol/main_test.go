package main

import (
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/target"
)

// Every method the command advertises builds a configuration the trainer accepts.
func TestEveryMethodIsAValidConfig(t *testing.T) {
	defer func(m string) { *flagMethod = m }(*flagMethod)
	for _, m := range []*target.Mixture{target.Ring(8, 2, 0.02), target.Grid(5, 2, 0.05)} {
		for _, method := range []string{"gan", "pack", "unroll", "wgan", "wgangp", "lsgan", "hinge"} {
			*flagMethod = method
			cfg, err := config(m, 1)
			if err != nil {
				t.Fatalf("%s: %v", method, err)
			}
			if err := cfg.Validate(); err != nil {
				t.Errorf("%s on %s: %v", method, m.Name(), err)
			}
		}
	}
	*flagMethod = "nope"
	if _, err := config(target.Ring(8, 2, 0.02), 1); err == nil || !strings.Contains(err.Error(), "unknown method") {
		t.Errorf("unknown method: error %v", err)
	}
}
