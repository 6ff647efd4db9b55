package content

import "strings"

// This file reads a block's inline markdown into styled runs, for the
// window's reader: the same walk as inline's, with emphasis, code spans,
// strikethrough and links kept as styles instead of markup.

// Style is a run's look; the bits combine.
type Style uint8

// The inline styles.
const (
	Bold Style = 1 << iota
	Italic
	Code
	Strike
)

// Run is text in one style. Link is set only to a URL LinkURL accepted:
// images and files become links too, so the reader never fetches one.
type Run struct {
	Text  string
	Style Style
	Link  string
}

// runs is what a writer in rich mode collects.
type runs struct {
	out   []Run
	style Style
}

// Runs reads inline Notion markdown into styled runs.
func Runs(s string) []Run {
	b := &writer{rich: &runs{}}
	b.Grow(len(s))
	inlineTo(b, s, 0)
	b.flush()
	return b.rich.out
}

// flush ends the text written so far as a run in the current style.
func (w *writer) flush() {
	if w.Len() == 0 {
		return
	}
	w.add(Run{Text: w.String(), Style: w.rich.style})
	w.Reset()
}

func (w *writer) add(r Run) {
	out := w.rich.out
	if n := len(out); n > 0 && out[n-1].Style == r.Style && out[n-1].Link == r.Link {
		out[n-1].Text += r.Text
		return
	}
	w.rich.out = append(out, r)
}

// styled writes text with extra on top of the current style, as a link
// to u when u is set.
func (w *writer) styled(text string, extra Style, u string) {
	w.flush()
	if text != "" {
		w.add(Run{Text: text, Style: w.rich.style | extra, Link: u})
	}
}

// emphasis handles a run of n "*" after prev: odd toggles italic, two or
// more bold. As in CommonMark, a run opens only before a non-space and
// closes only after one, and a style is turned on only when the same
// delimiter comes again in rest (a search that failed is not repeated:
// rest only shrinks, so hostile runs cost linear time).
func (w *writer) emphasis(prev byte, rest string, n int, sc *scan) {
	var flip Style
	if n%2 == 1 {
		flip |= Italic
	}
	if n >= 2 {
		flip |= Bold
	}
	delim := strings.Repeat("*", min(n, 3))
	opening := w.rich.style&flip != flip
	if opening && (rest == "" || isSpace(rest[0]) || !w.closes(rest, delim, sc)) || !opening && isSpace(prev) {
		w.WriteString(strings.Repeat("*", n))
		return
	}
	w.flush()
	w.rich.style ^= flip
}

// strike handles "~~", as emphasis does "*".
func (w *writer) strike(prev byte, rest string, sc *scan) {
	opening := w.rich.style&Strike == 0
	if opening && (rest == "" || isSpace(rest[0]) || !w.closes(rest, "~~", sc)) || !opening && isSpace(prev) {
		w.WriteString("~~")
		return
	}
	w.flush()
	w.rich.style ^= Strike
}

func (w *writer) closes(rest, delim string, sc *scan) bool {
	if sc.noDelim[delim] {
		return false
	}
	// A closer follows a non-space.
	for i := 1; i < len(rest); {
		j := strings.Index(rest[i:], delim)
		if j < 0 {
			break
		}
		if i += j; !isSpace(rest[i-1]) {
			return true
		}
		i += len(delim)
	}
	sc.noDelim[delim] = true
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }
