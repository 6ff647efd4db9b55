package content

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// This file reads Notion-flavoured ("enhanced") markdown into a flat list
// of blocks: what CommonMark and plain text are both made from. It is one
// pass over the lines with bounded look-ahead, so hostile input costs time
// in proportion to its size.

type blockKind uint8

const (
	kPara blockKind = iota
	kHeading
	kBullet
	kNumber
	kTodo
	kQuote
	kCode
	kRule
	kTable
	kSummary // a toggle's title
)

type block struct {
	kind    blockKind
	depth   int    // Notion nesting (leading tabs)
	quoted  bool   // inside a callout: shown as a quote
	group   int    // which callout (0: none)
	level   int    // heading level
	num     string // list number as written
	checked bool
	lang    string
	icon    string // a callout's icon, on its first block
	text    string // inline markdown; raw code for kCode
	rows    [][]string
}

// shown is a block's inline text as shown: a callout's icon first.
func (b *block) shown() string {
	if b.icon == "" {
		return b.text
	}
	return strings.TrimSpace(b.icon + " " + b.text)
}

const (
	maxDepth     = 64  // deeper tabs count as this deep
	maxCallouts  = 64  // open callout tags whose children are moved out a level
	maxTableRows = 500 // rows kept of one table
	maxTableCols = 30  // columns kept of one table
	maxLineBytes = 64 << 10
)

// sanitize drops control characters (tabs and newlines stay), carriage
// returns and invalid UTF-8.
func sanitize(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\t' && c != '\n' || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError:
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			// Bidi overrides can disguise text ("exe.pdf"); drop them.
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var (
	reHeading = lazyRegexp(`^(#{1,6})\s+(.*)$`)
	reNumber  = lazyRegexp(`^(\d{1,9})[.)]\s+(.*)$`)
	reTodo    = lazyRegexp(`^[-*+]\s+\[([ xX])\]\s*(.*)$`)
	reBullet  = lazyRegexp(`^[-*+]\s+(.*)$`)
	reRule    = lazyRegexp(`^(?:-{3,}|\*{3,}|_{3,})$`)
	reAttrs   = lazyRegexp(`\s*\{(?:\s*[a-zA-Z_-]+="[^"]*")+\s*\}\s*$`)
	reCell    = lazyRegexp(`(?s)<t[dh]\b[^>]*>(.*?)</t[dh]>`)
	reOpenTag = lazyRegexp(`^<(callout|details|columns|column|synced_block|synced_block_reference|aside)\b[^>]*>(.*)$`)
	reClose   = lazyRegexp(`^</(callout|details|columns|column|synced_block|synced_block_reference|aside|summary)>\s*$`)
	reSummary = lazyRegexp(`^<summary>(.*?)(?:</summary>)?$`)
	reDivOpen = lazyRegexp(`^:{3,}\s*callout\b`)
	reDivEnd  = lazyRegexp(`^:{3,}\s*$`)
	rePipeSep = lazyRegexp(`^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$`)
	reSkip    = lazyRegexp(`^<(table_of_contents|empty-block|breadcrumb)\b[^>]*/?>\s*$`)
)

// lazyRegexp compiles expr on first use: every command links this
// package, and most never read a page.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

func tabs(line string) (int, string) {
	n := 0
	for n < len(line) && line[n] == '\t' {
		n++
	}
	return min(n, maxDepth), line[n:]
}

// parse reads Notion markdown into blocks.
func parse(md string) []block {
	md = sanitize(md)
	lines := splitLong(strings.Split(md, "\n"))
	var out []block
	callouts := 0 // open callouts: their blocks are shown as quotes
	icon := ""    // a callout's icon, put before its first line
	group := 0    // the innermost open callout's number
	opened := 0
	// Notion indents a <callout>'s children one tab deeper than the tag.
	// They are shown inside the callout's quote, at its level, so each
	// open tag's depth is taken off its children's (a capped stack:
	// hostile nesting costs no more than maxCallouts steps a block).
	var tagDepths []int
	unstacked := 0
	for i := 0; i < len(lines); i++ {
		depth, line := tabs(lines[i])
		trim := strings.TrimSpace(line)
		add := func(b block) {
			b.depth = depth
			for _, d := range tagDepths {
				if depth > d && b.depth > 0 {
					b.depth--
				}
			}
			b.quoted = b.quoted || callouts > 0
			if b.quoted {
				b.group = group
			}
			if icon != "" && b.quoted && b.kind != kCode && b.kind != kTable && b.kind != kRule {
				b.icon = icon
			}
			icon = ""
			out = append(out, b)
		}
		switch {
		case trim == "":
			continue
		case strings.HasPrefix(trim, "```") || trim == "$$" || strings.HasPrefix(trim, "$$") && !strings.HasSuffix(trim[2:], "$$"):
			fence := "```"
			lang := strings.TrimSpace(strings.TrimPrefix(trim, "```"))
			if strings.HasPrefix(trim, "$$") {
				fence, lang = "$$", "latex"
				if rest := strings.TrimSpace(trim[2:]); rest != "" {
					lines[i] = rest // an equation that starts on the fence line
					i--
				}
			}
			var code []string
			for i++; i < len(lines); i++ {
				l := lines[i]
				for k := 0; k < depth && strings.HasPrefix(l, "\t"); k++ {
					l = l[1:]
				}
				if strings.HasPrefix(strings.TrimSpace(l), fence) {
					break
				}
				code = append(code, l)
			}
			add(block{kind: kCode, lang: lang, text: strings.Join(code, "\n")})
		case strings.HasPrefix(trim, "$$") && strings.HasSuffix(trim, "$$") && len(trim) > 4:
			add(block{kind: kCode, lang: "latex", text: strings.TrimSpace(trim[2 : len(trim)-2])})
		case strings.HasPrefix(trim, "<table"):
			var sb strings.Builder
			sb.WriteString(trim)
			for closed := strings.Contains(trim, "</table>"); !closed && i+1 < len(lines) && sb.Len() < 4<<20; {
				i++
				l := strings.TrimSpace(lines[i])
				closed = strings.Contains(l, "</table>")
				sb.WriteString(l)
			}
			add(block{kind: kTable, rows: htmlRows(sb.String())})
		case trim[0] == '|' && i+1 < len(lines) && rePipeSep().MatchString(strings.TrimSpace(lines[i+1])):
			rows := [][]string{pipeCells(trim)}
			for i += 2; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
				if len(rows) < maxTableRows {
					rows = append(rows, pipeCells(strings.TrimSpace(lines[i])))
				}
			}
			i--
			add(block{kind: kTable, rows: rows})
		case trim[0] == '<' && reSkip().MatchString(trim):
		case trim[0] == ':' && reDivOpen().MatchString(trim):
			callouts++
			opened++
			group = opened
			if rest := reAttrs().ReplaceAllString(strings.TrimLeft(trim, ":"), ""); strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "callout")) != "" {
				add(block{kind: kPara, text: strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "callout"))})
			}
		case trim[0] == ':' && reDivEnd().MatchString(trim):
			callouts = max(callouts-1, 0)
		case strings.HasPrefix(trim, "</") && reClose().MatchString(trim):
			if strings.HasPrefix(trim, "</callout") || strings.HasPrefix(trim, "</aside") {
				callouts = max(callouts-1, 0)
				if unstacked > 0 {
					unstacked--
				} else if len(tagDepths) > 0 {
					tagDepths = tagDepths[:len(tagDepths)-1]
				}
			}
		case strings.HasPrefix(trim, "<summary>"):
			m := reSummary().FindStringSubmatch(trim)
			add(block{kind: kSummary, text: m[1]})
		case trim[0] == '<' && reOpenTag().MatchString(trim):
			m := reOpenTag().FindStringSubmatch(trim)
			if m[1] == "callout" || m[1] == "aside" {
				ic := attr(trim, "icon")
				callouts++
				opened++
				group = opened
				rest := strings.TrimSpace(strings.TrimSuffix(m[2], "</"+m[1]+">"))
				if !strings.HasSuffix(m[2], "</"+m[1]+">") {
					if len(tagDepths) < maxCallouts {
						tagDepths = append(tagDepths, depth)
					} else {
						unstacked++
					}
				}
				switch {
				case strings.HasSuffix(m[2], "</"+m[1]+">"):
					callouts--
					add(block{kind: kPara, quoted: true, icon: ic, text: rest})
				case rest != "":
					add(block{kind: kPara, icon: ic, text: rest})
				default:
					icon = ic
				}
			} else if rest := strings.TrimSpace(m[2]); rest != "" {
				lines[i] = strings.Repeat("\t", depth) + rest
				i--
			}
		case (trim[0] == '-' || trim[0] == '*' || trim[0] == '_') && reRule().MatchString(trim):
			add(block{kind: kRule})
		default:
			if trim[len(trim)-1] == '}' {
				trim = reAttrs().ReplaceAllString(trim, "")
				if trim == "" {
					continue
				}
			}
			c := trim[0]
			var m []string
			if c == '#' {
				m = reHeading().FindStringSubmatch(trim)
			}
			if m != nil {
				add(block{kind: kHeading, level: len(m[1]), text: m[2]})
			} else if c == '-' || c == '*' || c == '+' {
				if m := reTodo().FindStringSubmatch(trim); m != nil {
					add(block{kind: kTodo, checked: m[1] != " ", text: m[2]})
				} else if m := reBullet().FindStringSubmatch(trim); m != nil {
					add(block{kind: kBullet, text: m[1]})
				} else {
					add(block{kind: kPara, text: trim})
				}
			} else if m := numberItem(trim); m != nil {
				add(block{kind: kNumber, num: m[1], text: m[2]})
			} else if c == '>' {
				add(block{kind: kQuote, text: strings.TrimSpace(strings.TrimLeft(trim, "> "))})
			} else {
				add(block{kind: kPara, text: trim})
			}
		}
	}
	return out
}

func numberItem(s string) []string {
	if s[0] < '0' || s[0] > '9' {
		return nil
	}
	return reNumber().FindStringSubmatch(s)
}

func htmlRows(table string) [][]string {
	var rows [][]string
	for _, tr := range strings.Split(table, "<tr")[1:] {
		var cells []string
		for _, m := range reCell().FindAllStringSubmatch(tr, maxTableCols) {
			cells = append(cells, strings.TrimSpace(m[1]))
		}
		if len(cells) > 0 {
			rows = append(rows, cells)
		}
		if len(rows) == maxTableRows {
			break
		}
	}
	return rows
}

func pipeCells(line string) []string {
	line = strings.TrimSuffix(strings.TrimPrefix(line, "|"), "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
		if len(cells) == maxTableCols {
			return cells
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// attr reads name="value" from a tag.
func attr(tag, name string) string {
	i := strings.Index(tag, name+`="`)
	for i > 0 && tag[i-1] != ' ' && tag[i-1] != '\t' {
		j := strings.Index(tag[i+1:], name+`="`)
		if j < 0 {
			return ""
		}
		i += 1 + j
	}
	if i < 0 {
		return ""
	}
	v := tag[i+len(name)+2:]
	if j := strings.IndexByte(v, '"'); j >= 0 {
		return v[:j]
	}
	return ""
}

// cut shortens s to at most n bytes on a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// splitLong breaks lines longer than maxLineBytes into lines of at most
// that, at a space where there is one, each with the first one's
// indentation: every word is kept (indexed and shown), and the inline
// parser never sees a huge line.
func splitLong(lines []string) []string {
	long := false
	for _, l := range lines {
		long = long || len(l) > maxLineBytes
	}
	if !long {
		return lines
	}
	out := make([]string, 0, len(lines)+8)
	for _, l := range lines {
		if len(l) <= maxLineBytes {
			out = append(out, l)
			continue
		}
		indent := l[:len(l)-len(strings.TrimLeft(l, "\t"))]
		rest := l[len(indent):]
		for len(rest) > 0 {
			piece := cut(rest, maxLineBytes)
			if len(piece) < len(rest) {
				if sp := strings.LastIndexByte(piece, ' '); sp > 0 {
					piece = piece[:sp+1]
				}
			}
			out = append(out, indent+piece)
			rest = rest[len(piece):]
		}
	}
	return out
}
