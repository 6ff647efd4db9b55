package content

import "testing"

func TestPlainTextDropsMarkupKeepsText(t *testing.T) {
	in := "## Title\nSome **bold** and `code` with [link text](https://x.com) <span color=\"red\">kept</span> \\*literal\\*\n" +
		"<unknown url=\"https://x#1\" alt=\"bookmark\"/>\n"
	got := PlainText(in)
	want := "Title\nSome bold and code with link text kept *literal*\n\n"
	if got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
}
