package content

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// MaxPreviewBytes bounds what ToCommonMark reads: a preview of a huge page
// shows its start and says the rest was left out.
const MaxPreviewBytes = 1 << 20

// maxCellRunes cuts long table cells in the preview.
const maxCellRunes = 40

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

// ToCommonMark turns Notion-flavoured markdown into CommonMark that Fyne's
// RichText (goldmark, no extensions) renders: headings, lists, to-dos (as
// "[x]"), quotes and callouts (as quotes), code, links and tables (as an
// aligned block of monospace text) are kept; Notion's tags are simplified
// to their text; links survive only when LinkURL accepts them; images
// become links, so a preview never fetches anything. Whatever the input,
// the output parses to no image, no raw HTML and no other link.
func ToCommonMark(md string) string {
	tail := ""
	if len(md) > MaxPreviewBytes {
		md = cut(md, MaxPreviewBytes)
		tail = "\n\n*(The rest of this page is too long to show here.)*\n"
	}
	out := renderCommonMark(parse(md)) + tail
	if !safeCommonMark(out) {
		// Belt and braces: a construct the converter missed. Show the
		// text with every punctuation mark escaped instead.
		return neutralAll(PlainText(md)) + tail
	}
	return out
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
					b.WriteString(inline(c, false))
				}
				b.WriteByte('\n')
			}
			continue
		default:
			b.WriteString(inline(bl.shown(), false))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func isList(k blockKind) bool { return k == kBullet || k == kNumber || k == kTodo }

func renderCommonMark(blocks []block) string {
	var b strings.Builder
	var parents [maxDepth + 1]blockKind // the last block's kind at each depth
	var eff [maxDepth + 1]int           // its nesting inside lists
	prev := blockKind(255)
	prevQuoted := false
	prevGroup := 0
	base := 0 // the level of the quote being written
	for _, bl := range blocks {
		// Children of list items nest (4 spaces a level, at most 6);
		// children of anything else are shown after it, at its level.
		level := 0
		if d := bl.depth; d > 0 && isList(parents[d-1]) {
			level = min(eff[d-1]+1, 6)
		} else if d > 0 {
			level = eff[d-1]
		}
		parents[bl.depth], eff[bl.depth] = bl.kind, level
		quote := ""
		if bl.quoted || bl.kind == kQuote {
			quote = "> "
		}
		// A quote sits at its first block's level (inside a list item if
		// that is where it is); the blocks in it nest relative to that.
		if quote != "" && !(prevQuoted && bl.group != 0 && bl.group == prevGroup) {
			base = level
		}
		outer, inner := "", strings.Repeat("    ", level)
		if quote != "" {
			outer, inner = strings.Repeat("    ", base), strings.Repeat("    ", max(level-base, 0))
		}
		// Consecutive list items form one list; everything else gets a
		// blank line before it.
		sameList := isList(bl.kind) && isList(prev) && prevQuoted == (quote != "")
		if b.Len() > 0 && !sameList {
			// Blocks of one callout stay in one quote; quotes are each their own.
			if quote != "" && prevQuoted && bl.group != 0 && bl.group == prevGroup {
				b.WriteString(outer + ">\n")
			} else {
				b.WriteString("\n")
			}
		}
		prev, prevQuoted, prevGroup = bl.kind, quote != "", bl.group
		lead := outer + quote + inner
		switch bl.kind {
		case kHeading:
			b.WriteString(lead + strings.Repeat("#", bl.level) + " " + oneLine(inline(bl.shown(), true)) + "\n")
		case kBullet:
			b.WriteString(lead + "- " + oneLine(inline(bl.shown(), true)) + "\n")
		case kNumber:
			b.WriteString(lead + bl.num + ". " + oneLine(inline(bl.shown(), true)) + "\n")
		case kTodo:
			box := "[ ] "
			if bl.checked {
				box = "[x] "
			}
			b.WriteString(lead + "- " + box + oneLine(inline(bl.shown(), true)) + "\n")
		case kSummary:
			if t := oneLine(inline(bl.shown(), true)); t != "" {
				b.WriteString(lead + "**" + t + "**\n")
			}
		case kRule:
			b.WriteString(lead + "---\n")
		case kCode:
			writeFence(&b, lead, bl.lang, bl.text)
		case kTable:
			writeFence(&b, lead, "", tableText(bl.rows))
		default:
			b.WriteString(lead + paraStart(oneLine(inline(bl.shown(), true))) + "\n")
		}
	}
	return b.String()
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// paraStart escapes what would make a paragraph line into another block:
// a list marker, a heading, a quote, a fence or a rule.
func paraStart(s string) string {
	s = strings.TrimLeft(s, " ")
	if s == "" {
		return s
	}
	c := s[0]
	spaced := len(s) > 1 && (s[1] == ' ' || s[1] == '\t')
	switch {
	case c == '>' || c == '#' && (spaced || strings.Trim(s, "#") == ""):
		return zwsp + s
	case (c == '-' || c == '+' || c == '*') && (spaced || len(s) == 1):
		return zwsp + s
	case (c == '-' || c == '*' || c == '_' || c == '`' || c == '~' || c == '=') && strings.HasPrefix(s, strings.Repeat(string(c), 3)):
		return zwsp + s
	case c == '[':
		// "[label]: url" would define a link reference.
		return zwsp + s
	}
	// "1. " and "1) " start ordered lists.
	i := 0
	for i < len(s) && i < 10 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + zwsp + s[i:]
	}
	return s
}

func writeFence(b *strings.Builder, lead, lang, code string) {
	fence := "```"
	for strings.Contains(code, fence) {
		fence += "`"
	}
	lang = strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '_') {
			return r
		}
		return -1
	}, lang)
	b.WriteString(lead + fence + lang + "\n")
	for _, l := range strings.Split(code, "\n") {
		b.WriteString(lead + l + "\n")
	}
	b.WriteString(lead + fence + "\n")
}

// tableText lays a table out in columns, for a monospace block.
func tableText(rows [][]string) string {
	cols := 0
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = make([]string, len(r))
		for j, c := range r {
			t := oneLine(inline(c, false))
			if utf8.RuneCountInString(t) > maxCellRunes {
				t = string([]rune(t)[:maxCellRunes-1]) + "…"
			}
			cells[i][j] = t
		}
		cols = max(cols, len(r))
	}
	width := make([]int, cols)
	for _, r := range cells {
		for j, c := range r {
			width[j] = max(width[j], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for i, r := range cells {
		b.WriteString("|")
		for j := range cols {
			c := ""
			if j < len(r) {
				c = r[j]
			}
			b.WriteString(" " + c + strings.Repeat(" ", width[j]-utf8.RuneCountInString(c)) + " |")
		}
		b.WriteString("\n")
		if i == 0 && len(cells) > 1 {
			b.WriteString("|")
			for j := range cols {
				b.WriteString(strings.Repeat("-", width[j]+2) + "|")
			}
			b.WriteString("\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// safeCommonMark parses out as Fyne will and checks the promises
// ToCommonMark makes.
func safeCommonMark(out string) bool {
	src := []byte(out)
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	ok := true
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Image, *ast.RawHTML, *ast.HTMLBlock:
			ok = false
		case *ast.Link:
			_, ok = LinkURL(string(t.Destination))
		case *ast.AutoLink:
			_, ok = LinkURL(string(t.URL(src)))
		}
		if !ok {
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return ok
}

// neutralAll makes plain text into paragraphs that cannot be markup: a
// zero width space starts every line and follows every "<" and "]".
func neutralAll(s string) string {
	var b strings.Builder
	r := strings.NewReplacer("<", "<"+zwsp, "]", "]"+zwsp, "`", "'")
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		b.WriteString(zwsp + r.Replace(line) + "\n\n")
	}
	return b.String()
}
