package index

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold makes a title or query comparable: lower case, accents removed
// ("Crème" → "creme"), ß → ss, punctuation becomes spaces, runs of spaces
// become one, apostrophes vanish ("don't" → "dont"). Emoji and other
// non-ASCII symbols (★, €, →) stay, each a word of its own, so "launch 🚀"
// finds "🚀Launch plan"; their variation selectors, skin tones and joiners
// do not count, so "✈" and "✈️" are one word. ASCII symbols ($, +, <)
// separate words like punctuation.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drops leading spaces
	sep := func() {
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	var base rune // the last letter, for deciding about a combining mark
	keptMarks := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				b.WriteByte(c)
			case 'A' <= c && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
			case c == '\'':
				continue
			default:
				sep()
				base = 0
				continue
			}
			space, base = false, rune(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.Is(unicode.Mn, r) {
			// A combining mark already in the text.
			if !latinLike(base) {
				b.WriteRune(r)
				keptMarks = true
			}
			continue
		}
		f := foldRune(r)
		switch {
		case f.symbol:
			sep()
			b.WriteString(f.text)
			space = false
			sep()
			base = 0
		case f.text == "" && f.sep:
			sep()
			base = 0
		case f.text != "":
			b.WriteString(f.text)
			space, base = false, r
			keptMarks = keptMarks || f.marks
		}
	}
	out := strings.TrimSuffix(b.String(), " ")
	if keptMarks {
		// Scripts that keep their marks (Japanese ペ is not ヘ) are put
		// back together, so a query folds to the same bytes.
		out = norm.NFC.String(out)
	}
	return out
}

// latinLike: alphabets whose readers search without accents.
func latinLike(r rune) bool {
	return r < utf8.RuneSelf || unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic)
}

type folded struct {
	text  string // what the rune becomes; "" when it goes
	sep   bool   // it separates words
	marks bool   // text holds combining marks kept for its script
	// symbol: text is an emoji or symbol, a word by itself.
	symbol bool
}

var (
	foldMu    sync.RWMutex
	foldCache = map[rune]folded{}
)

// foldRune folds one non-ASCII rune, cached: titles repeat the same few.
func foldRune(r rune) folded {
	foldMu.RLock()
	f, ok := foldCache[r]
	foldMu.RUnlock()
	if ok {
		return f
	}
	f = foldRuneSlow(r)
	foldMu.Lock()
	if len(foldCache) < 1<<16 {
		foldCache[r] = f
	}
	foldMu.Unlock()
	return f
}

func foldRuneSlow(r rune) folded {
	switch r {
	case '’', 'ʼ', '‘':
		return folded{}
	case 'ß', 'ẞ':
		return folded{text: "ss"}
	case 'æ', 'Æ':
		return folded{text: "ae"}
	case 'œ', 'Œ':
		return folded{text: "oe"}
	case 'ø', 'Ø':
		return folded{text: "o"}
	case 'ł', 'Ł':
		return folded{text: "l"}
	case 'đ', 'Đ':
		return folded{text: "d"}
	case 'ı':
		return folded{text: "i"}
	case 'ς':
		// Greek final sigma: what a reader types at the end of a word may
		// be ς or σ, and ΟΔΟΣ lowers to σ.
		return folded{text: "σ"}
	}
	switch {
	case isModifier(r):
		return folded{} // part of the emoji before it
	case unicode.In(r, unicode.So, unicode.Sc, unicode.Sm):
		return folded{text: string(r), symbol: true}
	case !unicode.IsLetter(r) && !unicode.IsDigit(r):
		return folded{sep: true}
	}
	// Decompose (compatibility too: full-width letters, ligatures), drop the
	// marks of Latin-like letters, lower the rest.
	var b strings.Builder
	marks := false
	latin := latinLike(r)
	for _, d := range norm.NFKD.String(string(r)) {
		switch {
		case unicode.Is(unicode.Mn, d):
			if !latin {
				b.WriteRune(d)
				marks = true
			}
		case unicode.IsLetter(d) || unicode.IsDigit(d):
			b.WriteRune(unicode.ToLower(d))
		}
	}
	return folded{text: b.String(), marks: marks}
}

// isModifier: code points that only change how the emoji before them looks:
// variation selectors (☕︎ vs ☕️) and skin tones. A zero-width joiner, by
// contrast, separates: 👩‍💻 is "👩 💻".
func isModifier(r rune) bool {
	return r == '\uFE0E' || r == '\uFE0F' || (r >= 0x1F3FB && r <= 0x1F3FF)
}
