package display

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
)

// Renderer is what Show and Save draw: *plots.Figure is one.
type Renderer interface {
	PNG() ([]byte, error)
}

// SVGRenderer is a Renderer that also renders SVG.
type SVGRenderer interface {
	Renderer
	SVG() ([]byte, error)
}

// FiguresEnv is the environment variable naming the directory where Show writes
// figures outside a notebook.
const FiguresEnv = "GANKIT_FIGURES"

// DefaultDir is where Show writes figures outside a notebook when FiguresEnv is unset,
// relative to the current directory.
const DefaultDir = "figures"

// InNotebook reports whether the program runs in a GoNB notebook cell.
func InNotebook() bool { return gonbui.IsNotebook }

// Show displays r: inline as a PNG in a GoNB notebook; otherwise it writes
// <dir>/<name>.png, where dir is $GANKIT_FIGURES if set, else "figures" relative to
// the current directory (created if needed), and prints the path written.
// name must be a plain file name without extension (see Save).
func Show(r Renderer, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if r == nil {
		return fmt.Errorf("display: Show(%q): nil renderer", name)
	}
	if !gonbui.IsNotebook {
		dir := os.Getenv(FiguresEnv)
		if dir == "" {
			dir = DefaultDir
		}
		paths, err := save(r, dir, name, []string{"png"})
		if err != nil {
			return err
		}
		fmt.Printf("figure written to %s\n", paths[0])
		return nil
	}
	data, err := r.PNG()
	if err != nil {
		return fmt.Errorf("display: rendering %q: %w", name, err)
	}
	gonbui.DisplayPng(data)
	if err := gonbui.Error(); err != nil {
		return fmt.Errorf("display: showing %q in the notebook: %w", name, err)
	}
	return nil
}

// Save writes r to dir (created if needed) as <name>.<format> for each format, "png"
// or "svg" (SVG needs an SVGRenderer); with no format it writes PNG. name must be
// non-empty, without path separators and without a .png or .svg extension.
func Save(r Renderer, dir, name string, formats ...string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if r == nil {
		return fmt.Errorf("display: Save(%q): nil renderer", name)
	}
	if dir == "" {
		return fmt.Errorf("display: Save(%q): empty directory", name)
	}
	if len(formats) == 0 {
		formats = []string{"png"}
	}
	_, err := save(r, dir, name, formats)
	return err
}

// save renders every format first, so that a failure writes nothing, then writes the
// files and returns their paths.
func save(r Renderer, dir, name string, formats []string) ([]string, error) {
	type file struct {
		path string
		data []byte
	}
	var files []file
	for _, f := range formats {
		var (
			data []byte
			err  error
		)
		switch strings.ToLower(strings.TrimPrefix(f, ".")) {
		case "png":
			data, err = r.PNG()
		case "svg":
			s, ok := r.(SVGRenderer)
			if !ok {
				return nil, fmt.Errorf("display: %q: %T cannot render SVG", name, r)
			}
			data, err = s.SVG()
		default:
			return nil, fmt.Errorf("display: %q: unknown format %q (want png or svg)", name, f)
		}
		if err != nil {
			return nil, fmt.Errorf("display: rendering %q as %s: %w", name, f, err)
		}
		files = append(files, file{filepath.Join(dir, name+"."+strings.ToLower(strings.TrimPrefix(f, "."))), data})
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("display: creating figures directory: %w", err)
	}
	paths := make([]string, len(files))
	for i, f := range files {
		if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
			return nil, fmt.Errorf("display: writing figure: %w", err)
		}
		paths[i] = f.path
	}
	return paths, nil
}

// checkName validates a figure's name: a plain, non-empty file name without extension.
func checkName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("display: empty figure name")
	case strings.ContainsAny(name, `/\`) || strings.ContainsRune(name, os.PathSeparator):
		return fmt.Errorf("display: figure name %q has a path separator: give a plain name (the directory comes from $%s or the dir argument)", name, FiguresEnv)
	case name == "." || name == "..":
		return fmt.Errorf("display: %q is not a figure name", name)
	case strings.ContainsRune(name, 0) || strings.ContainsFunc(name, func(r rune) bool { return r < ' ' }):
		return fmt.Errorf("display: figure name %q has control characters", name)
	case slices.Contains([]string{".png", ".svg"}, strings.ToLower(filepath.Ext(name))):
		return fmt.Errorf("display: figure name %q has an extension: give it without, the format adds it", name)
	}
	return nil
}

// Markdown displays s as Markdown in a GoNB notebook (math in $...$ is rendered), and
// prints it otherwise.
func Markdown(s string) {
	if gonbui.IsNotebook {
		gonbui.DisplayMarkdown(s)
		return
	}
	fmt.Println(strings.TrimRight(s, "\n"))
}
