package main

import (
	"runtime"
	"runtime/debug"
)

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }

// buildExperiment is the GOEXPERIMENT the binary was built with (what selects the pure-Go
// backend's SIMD matmul), read from its build information, not from the environment.
func buildExperiment() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "GOEXPERIMENT" {
				return s.Value
			}
		}
	}
	return ""
}
