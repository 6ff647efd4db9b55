package content

import (
	"strings"
)

// inline is one block's rich text as plain text: Notion's tags become
// their text (mentions and page references their label), links and images
// their label, emphasis and code marks go.
func inline(s string) string {
	b := &writer{}
	b.Grow(len(s))
	inlineTo(b, s, 0)
	return b.String()
}

// writer collects inline output: plain text, or styled runs (see Runs).
type writer struct {
	strings.Builder
	rich *runs // non-nil: styled runs are collected
}

// scan remembers what a search found missing, so hostile runs of "[",
// "`" or "<" cost linear time: a search that failed from one position
// fails from every later one.
type scan struct {
	lastClose  int // last "]" in the text
	noBacktick map[int]bool
	noCloseTag map[string]bool
	noDelim    map[string]bool // emphasis delimiters with no closer left
}

// Link labels and URLs longer than these are not links.
const (
	maxLabelScan = 512
	maxURLScan   = 2048
)

// maxInlineNesting bounds link-text recursion ([a [b [c …]]]).
const maxInlineNesting = 2

func inlineTo(b *writer, s string, nest int) {
	sc := &scan{lastClose: strings.LastIndexByte(s, ']'), noBacktick: map[int]bool{}, noCloseTag: map[string]bool{}, noDelim: map[string]bool{}}
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '\\':
			// Notion escapes punctuation; the character itself is meant.
			if i+1 < len(s) && isPunct(s[i+1]) {
				b.WriteByte(s[i+1])
				i += 2
				continue
			}
			b.WriteByte('\\')
			i++
		case '`':
			n := run(s[i:], '`')
			if b.rich != nil && !sc.noBacktick[n] {
				if end := closingRun(s[i+n:], n); end >= 0 {
					b.styled(s[i+n:i+n+end], Code, "")
					i += n + end + n
					continue
				}
			}
			end := -1
			if !sc.noBacktick[n] {
				end = closingRun(s[i+n:], n)
				sc.noBacktick[n] = end < 0
			}
			if end < 0 {
				// An unmatched run is literal text in CommonMark too.
				b.WriteString(s[i : i+n])
				i += n
				continue
			}
			b.WriteString(s[i+n : i+n+end])
			i += n + end + n
		case '<':
			i += tag(b, s[i:], nest, sc)
		case '!':
			if i+1 < len(s) && s[i+1] == '[' {
				if n := link(b, s[i+1:], nest, true, i+1 > sc.lastClose); n > 0 {
					i += 1 + n
					continue
				}
				b.WriteByte('!')
				i++
				continue
			}
			b.WriteByte(c)
			i++
		case '[':
			if n := link(b, s[i:], nest, false, i > sc.lastClose); n > 0 {
				i += n
				continue
			}
			b.WriteByte(c)
			i++
		case '*':
			if b.rich != nil {
				n := run(s[i:], '*')
				b.emphasis(prevByte(s, i), s[i+n:], n, sc)
				i += n
				continue
			}
			i++
		case '~':
			if b.rich != nil {
				if n := run(s[i:], '~'); n >= 2 {
					b.strike(prevByte(s, i), s[i+n:], sc)
					i += n
					continue
				}
				b.WriteByte('~')
				i++
				continue
			}
			// Plain text has no strikethrough.
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
}

func isPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// closingRun finds a run of exactly n backticks in s.
func closingRun(s string, n int) int {
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '`')
		if j < 0 {
			return -1
		}
		i += j
		if r := run(s[i:], '`'); r == n {
			return i
		} else {
			i += r
		}
	}
	return -1
}

func run(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

// Tags whose text is a link to their url (or source) attribute.
var linkTags = map[string]string{
	"mention-page": "url", "mention-database": "url", "mention-data-source": "url", "mention-link": "url",
	"page": "url", "database": "url", "data-source": "url",
	"image": "source", "video": "source", "audio": "source", "file": "source", "pdf": "source",
}

// tag handles s starting with "<" and returns how much it consumed.
func tag(b *writer, s string, nest int, sc *scan) int {
	end := strings.IndexAny(s[1:], "<>\n") + 1
	if end > 0 && s[end] != '>' {
		end = -1
	}
	name := tagName(s)
	if end <= 0 || name == "" {
		// Not a tag: an autolink, or a lone "<".
		if end > 0 {
			if u, ok := LinkURL(s[1:end]); ok && !strings.ContainsAny(s[1:end], " <") {
				writeLink(b, u, u)
				return end + 1
			}
		}
		b.WriteByte('<')
		return 1
	}
	open := s[:end+1]
	closing := strings.HasPrefix(s, "</")
	selfClosing := strings.HasSuffix(open, "/>")
	if closing {
		return end + 1
	}
	if name == "br" {
		b.WriteByte(' ')
		return end + 1
	}
	if name == "unknown" || name == "table_of_contents" || name == "empty-block" {
		n := end + 1
		if rest := s[n:]; strings.HasPrefix(rest, "</"+name+">") {
			n += len(name) + 3
		}
		return n
	}
	// The text up to the matching close tag, for tags that make links.
	inner, consumed := "", end+1
	if !selfClosing && !sc.noCloseTag[name] && (linkTags[name] != "" || strings.HasPrefix(name, "mention-")) {
		if j := strings.Index(s[end+1:], "</"+name+">"); j >= 0 {
			inner, consumed = s[end+1:end+1+j], end+1+j+len(name)+3
		} else {
			sc.noCloseTag[name] = true
		}
	}
	switch {
	case linkTags[name] != "":
		target := attr(open, linkTags[name])
		label := plainLabel(inner, nest)
		if label == "" {
			label = map[bool]string{true: "attachment", false: "page"}[linkTags[name] == "source"]
		}
		if u, ok := LinkURL(target); ok && nest == 0 {
			writeLink(b, label, u)
		} else {
			inlineTo(b, label, nest+1)
		}
		return consumed
	case name == "mention-user":
		label := plainLabel(inner, nest)
		if label == "" {
			label = "someone"
		}
		b.WriteString("@")
		inlineTo(b, label, nest+1)
		return consumed
	case name == "mention-date":
		d := attr(open, "start")
		if e := attr(open, "end"); e != "" {
			d += " – " + e
		}
		if d == "" {
			d = inner
		}
		inlineTo(b, d, nest+1)
		return consumed
	case strings.HasPrefix(name, "mention-"):
		inlineTo(b, inner, nest+1)
		return consumed
	}
	// Any other tag (span, u, mark, colours…): drop it, keep what it holds.
	return end + 1
}

func tagName(s string) string {
	i := 1
	if i < len(s) && s[i] == '/' {
		i++
	}
	start := i
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9' && i > start || (s[i] == '-' || s[i] == '_') && i > start) {
		i++
	}
	if i == start || i < len(s) && s[i] != ' ' && s[i] != '>' && s[i] != '/' && s[i] != '\t' {
		return ""
	}
	return strings.ToLower(s[start:i])
}

func plainLabel(s string, nest int) string {
	if nest > maxInlineNesting {
		return ""
	}
	b := &writer{}
	inlineTo(b, s, nest+1)
	return strings.TrimSpace(b.String())
}

// link handles "[text](url)" at the start of s (image: "![text](url)"
// with the "!" already consumed) and returns how much it consumed, 0 when
// s does not start a link.
func link(b *writer, s string, nest int, image, pastLastClose bool) int {
	if pastLastClose {
		return 0
	}
	// The matching "]", skipping escapes.
	depth, i := 0, 0
	for ; i < len(s) && i < maxLabelScan; i++ {
		switch s[i] {
		case '\\':
			i++
			continue
		case '[':
			depth++
		case ']':
			depth--
		}
		if depth == 0 {
			break
		}
	}
	if depth != 0 || i+1 >= len(s) || s[i+1] != '(' {
		return 0
	}
	label := s[1:i]
	// The matching ")", allowing balanced parentheses in the URL.
	j, parens := i+2, 1
	for ; j < len(s) && j < i+maxURLScan && parens > 0; j++ {
		switch s[j] {
		case '\\':
			j++
		case '(':
			parens++
		case ')':
			parens--
		}
	}
	if parens != 0 {
		return 0
	}
	dest := strings.TrimSpace(s[i+2 : j-1])
	if sp := strings.IndexAny(dest, " \t"); sp >= 0 {
		dest = dest[:sp] // drop a "title"
	}
	dest = strings.TrimSuffix(strings.TrimPrefix(dest, "<"), ">")
	text := plainLabel(label, nest)
	if text == "" {
		text = map[bool]string{true: "image", false: "link"}[image]
	}
	if u, ok := LinkURL(dest); ok && nest == 0 {
		writeLink(b, text, u)
	} else {
		inlineTo(b, text, nest+1)
	}
	return j
}

// writeLink writes a link whose text is plain text and whose URL has
// passed LinkURL: a link run, or its text.
func writeLink(b *writer, text, u string) {
	if b.rich != nil {
		b.styled(text, 0, u)
		return
	}
	b.WriteString(text)
}

// prevByte is the byte before s[i], a space at the start.
func prevByte(s string, i int) byte {
	if i == 0 {
		return ' '
	}
	return s[i-1]
}
