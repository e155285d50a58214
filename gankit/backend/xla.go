//go:build cgo && !noxla

package backend

import (
	"fmt"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/go-xla/compute/xla" // XLA (CPU/GPU): needs cgo to load a PJRT plugin.
	"github.com/gomlx/go-xla/pjrt"
)

// XLABuilt reports whether this build includes GoMLX's XLA backend. It needs cgo, so a
// build with CGO_ENABLED=0 (or the build tag noxla) leaves it out and runs on the pure-Go
// backend alone, on any platform Go supports.
const XLABuilt = true

// describeXLA names an XLA backend by platform, PJRT C API version and (on a GPU) device
// count, without the plugin's path.
func describeXLA(b compute.Backend) (string, bool) {
	xb, ok := b.(*xla.Backend)
	if !ok || xb.IsFinalized() {
		return "", false
	}
	platform := "CPU"
	if xb.IsCUDA() {
		platform = "CUDA"
	} else if !xb.IsCPU() {
		platform = xb.PluginName()
	}
	api := ""
	if p, err := pjrt.GetPlugin(xb.PluginName()); err == nil { // the cached plugin: loads nothing
		major, minor := p.Version()
		api = fmt.Sprintf("PJRT C API %d.%d, ", major, minor)
	}
	if platform == "CPU" { // the CPU plugin's device count is not the number of cores: leave it out
		return fmt.Sprintf("XLA CPU (%s)", strings.TrimSuffix(api, ", ")), true
	}
	return fmt.Sprintf("XLA %s (%s%d device(s))", platform, api, xb.NumDevices()), true
}
