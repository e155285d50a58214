// Package kit names this release of the GAN kit. Its version is kept in one place, the file
// VERSION at the repository root, which the Makefile (make version), cmd/nbexec (each exported
// page's footer) and the tests of CITATION.cff and CHANGELOG.md read too; Go reads it here,
// embedded when the program is built, so a lesson prints the version of the kit it ran on.
package kit

import (
	_ "embed"
	"strings"
)

//go:embed VERSION
var versionFile string

// Version is the kit's semantic version (https://semver.org), for example "1.0.0", or with a
// pre-release suffix ("1.1.0-dev") between releases. Each lesson's first cell prints it next to
// the backend, so a grade or a bug report names what ran.
var Version = strings.TrimSpace(versionFile)
