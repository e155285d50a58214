package kit

import (
	"regexp"
	"testing"
)

// semver is the regular expression semver.org suggests for a version (2.0.0).
var semver = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

func TestVersionIsSemantic(t *testing.T) {
	if !semver.MatchString(Version) {
		t.Fatalf("VERSION holds %q, not a semantic version such as 1.0.0 or 1.1.0-dev", Version)
	}
	if Version != versionFile[:len(versionFile)-1] || versionFile[len(versionFile)-1] != '\n' {
		t.Fatalf("VERSION must be the version and one newline, got %q", versionFile)
	}
}
