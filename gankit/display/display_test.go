package display

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gankit/kit/gankit/plots"
	"github.com/gankit/kit/gankit/pointgan"
)

// pngOnly renders fixed bytes and no SVG.
type pngOnly []byte

func (p pngOnly) PNG() ([]byte, error) { return p, nil }

type failing struct{}

func (failing) PNG() ([]byte, error) { return nil, errors.New("boom") }

func figure(t *testing.T) *plots.Figure {
	t.Helper()
	xs := pointgan.Linspace(0, 1, 10)
	f, err := plots.Lines("test", "x", "y", plots.Series{Name: "x", X: xs, Y: xs})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestShowWritesFile(t *testing.T) {
	if InNotebook() {
		t.Skip("running in a notebook")
	}
	dir := filepath.Join(t.TempDir(), "sub")
	t.Setenv(FiguresEnv, dir)
	if err := Show(figure(t), "lines"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "lines.png"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\x89PNG")) {
		t.Errorf("lines.png is not a PNG")
	}
	if err := Show(failing{}, "fails"); err == nil {
		t.Error("failing renderer: want an error")
	}
	if _, err := os.Stat(filepath.Join(dir, "fails.png")); err == nil {
		t.Error("a failing render wrote a file")
	}
}

func TestShowDefaultDir(t *testing.T) {
	if InNotebook() {
		t.Skip("running in a notebook")
	}
	t.Chdir(t.TempDir())
	t.Setenv(FiguresEnv, "")
	if err := Show(pngOnly("\x89PNG fake"), "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(DefaultDir, "x.png")); err != nil {
		t.Error(err)
	}
}

func TestBadNames(t *testing.T) {
	t.Setenv(FiguresEnv, t.TempDir())
	for _, name := range []string{"", "  ", "a/b", `a\b`, "..", ".", "x.png", "x.SVG", "a\nb"} {
		if err := Show(pngOnly("x"), name); err == nil {
			t.Errorf("Show(%q): want an error", name)
		}
		if err := Save(pngOnly("x"), t.TempDir(), name); err == nil {
			t.Errorf("Save(%q): want an error", name)
		}
	}
	if err := Show(nil, "ok"); err == nil {
		t.Error("nil renderer: want an error")
	}
}

func TestSave(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "figures")
	if err := Save(figure(t), dir, "fig", "png", "svg"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"fig.png", "fig.svg"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if err := Save(figure(t), dir, "default"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "default.png")); err != nil {
		t.Error(err)
	}
	if err := Save(pngOnly("x"), dir, "nosvg", "svg"); err == nil {
		t.Error("SVG of a PNG-only renderer: want an error")
	}
	if err := Save(figure(t), dir, "gif", "gif"); err == nil {
		t.Error("unknown format: want an error")
	}
	if err := Save(figure(t), "", "x"); err == nil {
		t.Error("empty dir: want an error")
	}
}

func TestTable(t *testing.T) {
	got := Table([]string{"loss", "D*(x) error", "note"}, [][]string{
		{"minimax", "0.012", "a|b"},
		{"non-saturating", "1.5e-3"},
	})
	want := strings.Join([]string{
		"| loss           | D*(x) error | note |",
		"| -------------- | ----------: | ---- |",
		"| minimax        |       0.012 | a\\|b |",
		"| non-saturating |      1.5e-3 |      |",
		"",
	}, "\n")
	if got != want {
		t.Errorf("Table:\n%s\nwant:\n%s", got, want)
	}
	if Table(nil, nil) != "" {
		t.Error("empty table: want an empty string")
	}
}

func ExampleTable() {
	Markdown(Table([]string{"target", "KL"}, [][]string{{"gaussian", "0.01"}, {"bimodal", "0.20"}}))
	// Output:
	// | target   |   KL |
	// | -------- | ---: |
	// | gaussian | 0.01 |
	// | bimodal  | 0.20 |
}

func TestShowGIFWritesFile(t *testing.T) {
	if InNotebook() {
		t.Skip("running in a notebook")
	}
	dir := filepath.Join(t.TempDir(), "sub")
	t.Setenv(FiguresEnv, dir)
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	if err := ShowGIF(gif, "anim"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "anim.gif"))
	if err != nil || !bytes.Equal(data, gif) {
		t.Errorf("anim.gif: %q, %v; want the GIF's bytes", data, err)
	}
	if err := ShowGIF([]byte("\x89PNG"), "notgif"); err == nil {
		t.Error("PNG bytes: want an error")
	}
	if err := ShowGIF(gif, "a/b"); err == nil {
		t.Error("name with a separator: want an error")
	}
}
