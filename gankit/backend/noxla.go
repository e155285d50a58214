//go:build !cgo || noxla

package backend

import "github.com/gomlx/compute"

// XLABuilt reports whether this build includes GoMLX's XLA backend. It needs cgo, so a
// build with CGO_ENABLED=0 (or the build tag noxla) leaves it out and runs on the pure-Go
// backend alone, on any platform Go supports.
const XLABuilt = false

func describeXLA(compute.Backend) (string, bool) { return "", false }
