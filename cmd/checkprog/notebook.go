package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// notebook is the part of a Jupyter notebook checkprog reads: its code cells, with the
// gankit markup of their metadata ({"gankit": {"solution": id}} or {"check": id, ...}).
type notebook struct {
	Cells []cell `json:"cells"`
}

type cell struct {
	Type     string       `json:"cell_type"`
	Source   sourceText   `json:"source"`
	Metadata cellMetadata `json:"metadata"`
}

type cellMetadata struct {
	Gankit struct {
		Solution string `json:"solution"`
		Check    string `json:"check"`
	} `json:"gankit"`
}

// sourceText is a cell's source, stored either as one string or as a list of lines.
type sourceText string

func (s *sourceText) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = sourceText(one)
		return nil
	}
	var lines []string
	if err := json.Unmarshal(b, &lines); err != nil {
		return fmt.Errorf("a cell's source is neither a string nor a list of strings")
	}
	*s = sourceText(strings.Join(lines, ""))
	return nil
}

// maxNotebookBytes bounds what readNotebook reads (the grader rejects larger files first).
const maxNotebookBytes = 50 << 20

func readNotebook(path string) (*notebook, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() > maxNotebookBytes {
		return nil, fmt.Errorf("%s is larger than %d MB", path, maxNotebookBytes>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, fmt.Errorf("%s: not a notebook: %v", path, err)
	}
	return &nb, nil
}

// solutions maps each exercise id to the source of the first solution cell marked with it.
func (nb *notebook) solutions() map[string]string {
	out := map[string]string{}
	for _, c := range nb.Cells {
		if id := c.Metadata.Gankit.Solution; c.Type == "code" && id != "" {
			if _, seen := out[id]; !seen {
				out[id] = string(c.Source)
			}
		}
	}
	return out
}

// splitCell separates a GoNB cell into its declarations and the body of its main function
// (after a "%%" line), dropping GoNB's magic ("%...") and shell ("!...") lines, which it
// returns in dropped. Both parts keep the cell's line numbers (other lines left blank), so
// that errors name the line of the cell.
func splitCell(src string) (decls, body string, hasBody bool, dropped []string) {
	var d, b []string
	inBody := false
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "%%" || t == "%main":
			inBody, hasBody = true, true
			d, b = append(d, ""), append(b, "")
			continue
		case strings.HasPrefix(t, "%") || strings.HasPrefix(t, "!"):
			dropped = append(dropped, t)
			d, b = append(d, ""), append(b, "")
			continue
		}
		if inBody {
			b = append(b, line)
			d = append(d, "")
		} else {
			d = append(d, line)
			b = append(b, "")
		}
	}
	return strings.Join(d, "\n"), strings.Join(b, "\n"), hasBody, dropped
}
