package cli

import (
	"encoding/json"
	"io"
	"strings"
)

// clean makes a string Notion sent (a title, a workspace name) safe to
// print on a terminal: C0 and C1 control characters and DEL go, except tab,
// so a title cannot move the cursor, retitle the window, or rewrite what was
// printed before it. Invalid UTF-8 becomes U+FFFD, so a lone 0x9B byte
// cannot act as an 8-bit CSI either. Bidirectional overrides and isolates
// go too, so a name cannot make the rest of the line read backwards. JSON
// output is not cleaned: it is exact, and the encoder escapes C0 itself.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return r
		case r < 0x20, r >= 0x7f && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return -1
		}
		return r
	}, s)
}

// cleanBlock is clean for text of several lines (a page's markdown),
// keeping the line breaks.
func cleanBlock(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = clean(l)
	}
	return strings.Join(lines, "\n")
}

// cell is clean for a column of a table, where a tab would start a new one.
func cell(s string) string { return strings.ReplaceAll(clean(s), "\t", " ") }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
