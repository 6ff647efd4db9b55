package content

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pagedeck/pagedeck/app/index"
)

// MaxSnippetRunes is the longest snippet, ellipses included.
const MaxSnippetRunes = 200

// Range is a byte range [Start, End) of a text.
type Range struct{ Start, End int }

// Snippet is the part of a page that matched: plain text and where the
// matched words are in it.
type Snippet struct {
	Text   string
	Ranges []Range
}

// Highlight finds the words of text that a query matched: words equal to
// a query word once folded (case and accents ignored, as in search), or,
// for the query's last word, starting with it. Ranges are in byte offsets
// of text, in order.
func Highlight(text, query string) []Range {
	words := strings.Fields(index.Fold(query))
	if len(words) == 0 {
		return nil
	}
	var out []Range
	eachWord(text, func(start, end int) {
		for _, f := range strings.Fields(index.Fold(text[start:end])) {
			if matchWord(f, words) {
				out = append(out, Range{start, end})
				return
			}
		}
	})
	return out
}

func matchWord(folded string, words []string) bool {
	for i, w := range words {
		if folded == w || i == len(words)-1 && strings.HasPrefix(folded, w) {
			return true
		}
	}
	return false
}

// eachWord calls fn with the byte range of every word of s, cut as Fold
// cuts: letters and digits (with their combining marks and apostrophes)
// make words, anything else separates them.
func eachWord(s string, fn func(start, end int)) {
	start := -1
	for i, r := range s {
		in := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '\'') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '’' || r == 'ʼ' || r == '‘')
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			fn(start, i)
			start = -1
		}
	}
	if start >= 0 {
		fn(start, len(s))
	}
}

// MakeSnippet picks the line of plain that matches the most query words
// (the first such), adds lines with words it lacks while there is room,
// and cuts the result to MaxSnippetRunes around the first match.
func MakeSnippet(plain, query string) Snippet {
	words := strings.Fields(index.Fold(query))
	type line struct {
		text  string
		found map[int]bool
	}
	var lines []line
	first := ""
	for l := range strings.SplitSeq(plain, "\n") {
		if first == "" {
			first = strings.Join(strings.Fields(l), " ")
		}
		// A cheap test first: lines whose folded text holds no query word
		// as a substring cannot match.
		fl := index.Fold(l)
		hit := false
		for _, w := range words {
			hit = hit || strings.Contains(fl, w)
		}
		if !hit {
			continue
		}
		l = strings.Join(strings.Fields(l), " ")
		found := map[int]bool{}
		eachWord(l, func(s, e int) {
			for _, f := range strings.Fields(index.Fold(l[s:e])) {
				for i, w := range words {
					if f == w || i == len(words)-1 && strings.HasPrefix(f, w) {
						found[i] = true
					}
				}
			}
		})
		lines = append(lines, line{l, found})
		if len(found) == len(words) {
			break // no line can do better than the first with every word
		}
	}
	if len(lines) == 0 {
		if first == "" {
			return Snippet{}
		}
		return Snippet{Text: windowN(first, query, MaxSnippetRunes)}
	}
	best := 0
	for i, l := range lines {
		if len(l.found) > len(lines[best].found) {
			best = i
		}
	}
	have := lines[best].found
	// Leave room for another line when this one lacks a word another has.
	n := MaxSnippetRunes
	for _, l := range lines {
		for i := range l.found {
			if !have[i] {
				n = MaxSnippetRunes * 6 / 10
			}
		}
	}
	text := windowN(lines[best].text, query, n)
	for _, l := range lines {
		if utf8.RuneCountInString(text) >= MaxSnippetRunes-10 {
			break
		}
		adds := false
		for i := range l.found {
			adds = adds || !have[i]
		}
		if !adds {
			continue
		}
		room := MaxSnippetRunes - utf8.RuneCountInString(text) - 3
		if room < 20 {
			break
		}
		text += " … " + windowN(l.text, query, room)
		for i := range l.found {
			have[i] = true
		}
	}
	return Snippet{Text: text, Ranges: Highlight(text, query)}
}

// windowN cuts s to at most n runes, keeping its first match in view with
// some context before it, at word boundaries, with "…" where it was cut.
func windowN(s, query string, n int) string {
	runes := []rune(s)
	if len(runes) <= n {
		return s
	}
	first := 0
	if r := Highlight(s, query); len(r) > 0 {
		first = utf8.RuneCountInString(s[:r[0].Start])
	}
	start := max(0, first-n/3)
	// Leave room for the ellipses.
	end := min(len(runes), start+n-2)
	if end == len(runes) {
		start = max(0, end-(n-2))
	}
	// Prefer word boundaries.
	for k := 0; k < 15 && start > 0 && start < first && runes[start-1] != ' '; k++ {
		start++
	}
	for k := 0; k < 15 && end < len(runes) && end > start+1 && runes[end] != ' '; k++ {
		end--
	}
	out := strings.TrimSpace(string(runes[start:end]))
	if start > 0 {
		out = "…" + out
	}
	if end < len(runes) {
		out += "…"
	}
	return out
}
