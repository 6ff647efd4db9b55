package index

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Typo matching: a query word of at least minTypoLen letters may match with
// one wrong, missing, extra or swapped letter (optimal string alignment
// distance 1), at the start of a word. Rather than compare the query with
// every title, it is compared once with the vocabulary, the distinct words
// of all titles (ancestors' titles are titles too, so paths are covered);
// each near word's prefix becomes an alternative spelling, and titles and
// paths are scanned for those like for the word itself.

const (
	minTypoLen = 5
	maxTypoLen = 48 // longer words are pasted, not typed
	maxAlts    = 64 // alternatives kept per word
)

// typoAlts are a query word's alternative spellings.
type typoAlts struct {
	alts []string
}

// list is the alternatives; none for nil.
func (a *typoAlts) list() []string {
	if a == nil {
		return nil
	}
	return a.alts
}

// typoCandidate reports whether a folded query word is long enough, and
// wordy enough, for typo matching.
func typoCandidate(w string) bool {
	n := utf8.RuneCountInString(w)
	if n < minTypoLen || n > maxTypoLen {
		return false
	}
	for _, r := range w {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// buildVocab lists the distinct words of the snapshot's titles that a typo
// could reach: at least minTypoLen-1 runes, with a letter.
func (s *snapshot) buildVocab() {
	seen := map[string]struct{}{}
	for i := range s.entries {
		for t := s.title(i); t != ""; {
			w := t
			if j := strings.IndexByte(t, ' '); j >= 0 {
				w, t = t[:j], t[j+1:]
			} else {
				t = ""
			}
			if len(w) >= minTypoLen-1 {
				seen[w] = struct{}{}
			}
		}
	}
	s.vocab = make([]string, 0, len(seen))
	for w := range seen {
		if utf8.RuneCountInString(w) >= minTypoLen-1 && hasLetter(w) {
			s.vocab = append(s.vocab, w)
		}
	}
}

func hasLetter(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return strings.IndexFunc(w, unicode.IsLetter) >= 0
		}
		if c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}

// typoAltsFor finds the alternative spellings of a query word: the prefixes
// of vocabulary words that are one edit away from it. Nil when there are
// none (or the word is not a candidate).
func (s *snapshot) typoAltsFor(w string) *typoAlts {
	if !typoCandidate(w) {
		return nil
	}
	s.vocabOnce.Do(s.buildVocab)
	q := []rune(w)
	var buf [maxTypoLen + 2]rune
	seen := map[string]bool{}
	a := &typoAlts{}
	for _, v := range s.vocab {
		if !quickNear(q, v) {
			continue
		}
		vr := buf[:0]
		for _, r := range v {
			if len(vr) == len(q)+1 {
				break
			}
			vr = append(vr, r)
		}
		lengths := oneEditPrefixes(q, vr)
		if lengths == 0 {
			continue
		}
		for j := len(q) - 1; j <= len(q)+1; j++ {
			if lengths&(1<<(j-len(q)+1)) == 0 {
				continue
			}
			if alt := string(vr[:j]); !seen[alt] {
				seen[alt] = true
				a.alts = append(a.alts, alt)
			}
		}
	}
	if len(a.alts) == 0 {
		return nil
	}
	// The vocabulary's order is a map's: sort so the same alternatives are
	// kept every time. An alternative that extends another adds nothing (a
	// word that starts with "roadma" starts with "roadm"), and each costs
	// a scan: keep the shortest.
	slices.Sort(a.alts)
	kept := a.alts[:0]
	for _, alt := range a.alts {
		if len(kept) == 0 || !strings.HasPrefix(alt, kept[len(kept)-1]) {
			kept = append(kept, alt)
		}
	}
	a.alts = kept[:min(len(kept), maxAlts)]
	return a
}

// quickNear is a cheap necessary condition for a prefix of v to be one edit
// from q: one edit leaves one of q's first two runes at one of the first
// two positions.
func quickNear(q []rune, v string) bool {
	v0, n := utf8.DecodeRuneInString(v)
	v1, _ := utf8.DecodeRuneInString(v[n:])
	return v0 == q[0] || v1 == q[1] || v0 == q[1] || v1 == q[0]
}

// oneEditPrefixes compares q with the prefixes of v of length len(q)-1,
// len(q) and len(q)+1 and returns a bit mask (bit k for length len(q)-1+k)
// of those exactly one edit away (optimal string alignment: a substitution,
// an insertion, a deletion or a swap of neighbours). It returns 0 when v
// starts with q itself: that is an exact match, not a typo. Only cells near
// the diagonal matter, and distances are capped at 2.
func oneEditPrefixes(q, v []rune) uint8 {
	const inf = 2
	m, l := len(q), len(v)
	if l < m-1 {
		return 0
	}
	var rows [3][maxTypoLen + 3]uint8
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= l; j++ {
		prev[j] = uint8(min(j, inf))
	}
	for i := 1; i <= m; i++ {
		for j := 0; j <= l; j++ {
			cur[j] = inf
		}
		if i <= 1 {
			cur[0] = uint8(i)
		}
		best := cur[0]
		for j := max(1, i-1); j <= min(l, i+1); j++ {
			cost := uint8(1)
			if q[i-1] == v[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && q[i-1] == v[j-2] && q[i-2] == v[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = min(d, inf)
			best = min(best, cur[j])
		}
		if best >= inf {
			return 0
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if m <= l && prev[m] == 0 {
		return 0
	}
	var mask uint8
	for j := m - 1; j <= min(l, m+1); j++ {
		if prev[j] == 1 {
			mask |= 1 << (j - m + 1)
		}
	}
	return mask
}
