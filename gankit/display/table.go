package display

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Table returns a Markdown table of the given headers and rows, with its columns padded
// so that it also reads as plain text. Columns whose cells are all numbers are
// right-aligned. Rows shorter than the widest row are padded with empty cells; "|" in
// cells is escaped and newlines become spaces.
func Table(headers []string, rows [][]string) string {
	cols := len(headers)
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return ""
	}
	cell := func(r []string, i int) string {
		if i >= len(r) {
			return ""
		}
		s := strings.ReplaceAll(r[i], "|", `\|`)
		return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
	}
	widths := make([]int, cols)
	numeric := make([]bool, cols)
	for i := range cols {
		widths[i] = max(3, utf8.RuneCountInString(cell(headers, i)))
		numeric[i] = len(rows) > 0
		for _, r := range rows {
			c := cell(r, i)
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
			if c != "" && !isNumber(c) {
				numeric[i] = false
			}
		}
	}
	var b strings.Builder
	line := func(r []string) {
		b.WriteString("|")
		for i := range cols {
			c := cell(r, i)
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if numeric[i] {
				b.WriteString(" " + pad + c + " |")
			} else {
				b.WriteString(" " + c + pad + " |")
			}
		}
		b.WriteString("\n")
	}
	line(headers)
	b.WriteString("|")
	for i := range cols {
		if numeric[i] {
			b.WriteString(" " + strings.Repeat("-", widths[i]-1) + ": |")
		} else {
			b.WriteString(" " + strings.Repeat("-", widths[i]) + " |")
		}
	}
	b.WriteString("\n")
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

// isNumber reports whether s is a number, optionally with a trailing "%".
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	return err == nil
}
