package backend

import (
	"os/exec"
	_ "unsafe" // go:linkname, see goCapabilities

	"github.com/gomlx/compute"
)

// goCapabilities is the pure-Go backend's capabilities (compute's internal
// gobackend.Capabilities), which its Capabilities method returns.
//
//go:linkname goCapabilities github.com/gomlx/compute/internal/gobackend.Capabilities
var goCapabilities compute.Capabilities

// The pure-Go backend of compute v0.1.14 claims PreferConstantsForVariables, and GoMLX
// v0.28.16 then embeds every variable that has a value as a constant in each graph not
// marked as training (a sampler, an evaluation, a critic's map). Such a graph is compiled
// once, on its first call, so it would keep the values of that moment: after training
// steps it would still draw samples from the untrained generator. GAN training alternates
// training steps with such graphs, so gankit turns the preference off for the whole
// process: variables are graph parameters, read at each call, as on every other backend.
// compute offers no option for it (a wrapping backend does not work either: tensors
// remember the backend instance they live on). TestVariablesAreReadAtEachCall guards it.
func init() { goCapabilities.PreferConstantsForVariables = false }

var lookPath = exec.LookPath
