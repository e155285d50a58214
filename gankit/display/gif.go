package display

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"

	"github.com/janpfeifer/gonb/gonbui"
)

// ShowGIF displays an animated GIF (the bytes of plots.GIF): inline in a GoNB notebook
// (as an HTML <img>, since GoNB has no GIF output of its own); otherwise it writes
// <dir>/<name>.gif, dir chosen as in Show, and prints the path written. name follows
// Show's rules.
func ShowGIF(gif []byte, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if !bytes.HasPrefix(gif, []byte("GIF8")) {
		return fmt.Errorf("display: ShowGIF(%q): the data is not a GIF", name)
	}
	if !gonbui.IsNotebook {
		dir := os.Getenv(FiguresEnv)
		if dir == "" {
			dir = DefaultDir
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("display: creating figures directory: %w", err)
		}
		path := filepath.Join(dir, name+".gif")
		if err := os.WriteFile(path, gif, 0o644); err != nil {
			return fmt.Errorf("display: writing GIF: %w", err)
		}
		fmt.Printf("figure written to %s\n", path)
		return nil
	}
	gonbui.DisplayHTML(fmt.Sprintf(`<img alt="%s" src="data:image/gif;base64,%s">`, name, base64.StdEncoding.EncodeToString(gif)))
	if err := gonbui.Error(); err != nil {
		return fmt.Errorf("display: showing %q in the notebook: %w", name, err)
	}
	return nil
}
