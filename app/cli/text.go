package cli

import "strings"

// clean makes a string Notion sent (a title, a workspace name) safe to
// print on a terminal: C0 and C1 control characters and DEL go, except tab,
// so a title cannot move the cursor, retitle the window, or rewrite what was
// printed before it. Invalid UTF-8 becomes U+FFFD, so a lone 0x9B byte
// cannot act as an 8-bit CSI either. JSON output is not cleaned: it is exact,
// and the encoder escapes C0 itself.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t') || (r >= 0x7f && r <= 0x9f) {
			return -1
		}
		return r
	}, s)
}

// cell is clean for a column of a table, where a tab would start a new one.
func cell(s string) string { return strings.ReplaceAll(clean(s), "\t", " ") }
