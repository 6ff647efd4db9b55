package content

import (
	"net/url"
	"strings"
)

// LinkURL is the URL a preview link may open: https only, no user info.
// Notion's own pages are https on its domains, so they pass too.
func LinkURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.User != nil || u.Host == "" || strings.ContainsAny(raw, " <>\n\"") {
		return "", false
	}
	return u.String(), true
}

// PlainText is the text of Notion markdown as a person reads it: no
// markup, no tags, no URLs; one line per block. It is what is indexed and
// what snippets quote.
func PlainText(md string) string {
	var b strings.Builder
	for _, bl := range parse(md) {
		switch bl.kind {
		case kCode:
			b.WriteString(bl.text)
		case kRule:
			continue
		case kTable:
			for _, row := range bl.rows {
				for j, c := range row {
					if j > 0 {
						b.WriteString("  ")
					}
					b.WriteString(inline(c))
				}
				b.WriteByte('\n')
			}
			continue
		default:
			b.WriteString(inline(bl.shown()))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func isList(k blockKind) bool { return k == kBullet || k == kNumber || k == kTodo }
