package index

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// A search is bitset algebra over snapshot positions. Each query word is
// looked for once in all titles (end to end in one string), giving the
// entries whose title holds it and those where it starts a word; a walk
// down the tree gives those with it in an ancestor's title, their path; its
// typo alternatives give the same two again. The tiers then fall out of
// ANDs and ORs, 64 entries at a time, and only the entries returned are
// touched.

// wordHits is which entries hold one query word. typo and typoUp are nil
// when the word has no typo alternatives.
type wordHits struct {
	first  bitset // the title starts with it
	title  bitset // somewhere in the title
	starts bitset // at the start of a word of the title
	path   bitset // in an ancestor's title
	typo   bitset // an alternative starts a word of the title
	typoUp bitset // an alternative starts a word of an ancestor's title
}

// wordCache keeps the hits of the last words searched in one snapshot:
// typing "meeting notes" a letter at a time scans "meeting" once, and
// "meeti" narrows "meet" down instead of scanning every title.
type wordCache struct {
	mu    sync.Mutex
	m     map[string]*wordHits
	order []string // oldest first, for eviction
}

const wordCacheSize = 64

func (c *wordCache) get(w string) *wordHits {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[w]
}

// longestPrefix is the cached hits of the longest proper prefix of w.
func (c *wordCache) longestPrefix(w string) *wordHits {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(w) - 1; i > 0; i-- {
		if h := c.m[w[:i]]; h != nil {
			return h
		}
	}
	return nil
}

func (c *wordCache) put(w string, h *wordHits) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*wordHits{}
	}
	if _, ok := c.m[w]; ok {
		return
	}
	if len(c.order) == wordCacheSize {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.m[w] = h
	c.order = append(c.order, w)
}

// hits finds (or recalls) which entries hold w.
func (s *snapshot) hits(w string, workers int) *wordHits {
	if !s.noCache {
		if h := s.words.get(w); h != nil {
			return h
		}
	}
	n := len(s.entries)
	h := &wordHits{first: newBitset(n), title: newBitset(n), starts: newBitset(n)}
	alts := s.typoAltsFor(w)
	if alts != nil {
		h.typo = newBitset(n)
	}
	var narrow *wordHits
	if !s.noCache {
		narrow = s.words.longestPrefix(w)
	}
	parallel(n, workers, func(lo, hi int) {
		if narrow != nil {
			// A title that holds w holds its prefix too.
			s.filter(h, narrow.title, w, lo, hi)
		} else {
			s.scan(h, w, lo, hi)
		}
		for _, alt := range alts.list() {
			s.scan(&wordHits{starts: h.typo}, alt, lo, hi)
		}
	})
	h.path = s.below(h.title)
	if alts != nil {
		h.typoUp = s.below(h.typo)
	}
	if !s.noCache {
		s.words.put(w, h)
	}
	return h
}

// scan marks the entries in [lo, hi) whose title starts with w, holds w,
// and has w at the start of a word, in h's first, title and starts (first
// and title may be nil). Titles lie end to end, so this is one pass over
// one string rather than a call per title; it jumps between the places of
// the word's rarest byte, which strings.IndexByte finds at memory speed.
func (s *snapshot) scan(h *wordHits, w string, lo, hi int) {
	if lo >= hi || w == "" {
		return
	}
	t := s.titles[:s.ends[hi-1]]
	k := s.rarest(w)
	c := w[k]
	spaced := " " + w
	pos, i := s.start(lo)+k, lo
	for pos < len(t) {
		j := strings.IndexByte(t[pos:], c)
		if j < 0 {
			return
		}
		p := pos + j - k // where w would start
		if p+len(w) > len(t) {
			return
		}
		if t[p:p+len(w)] != w {
			pos += j + 1
			continue
		}
		for int(s.ends[i]) <= p {
			i++
		}
		start, end := s.start(i), int(s.ends[i])
		if h.title != nil {
			h.title.set(i)
		}
		switch {
		case p == start:
			if h.first != nil {
				h.first.set(i)
			}
			h.starts.set(i)
		case t[p-1] == ' ' || strings.Contains(t[p:end], spaced):
			h.starts.set(i)
		}
		pos = end + 1 + k
	}
}

// rarest is the index in w of its byte that is least common in the titles.
func (s *snapshot) rarest(w string) int {
	best := 0
	for i := 1; i < len(w); i++ {
		if s.freq[w[i]] < s.freq[w[best]] {
			best = i
		}
	}
	return best
}

// filter marks, among the entries in [lo, hi) of from, those whose title
// holds w, and where it starts a word.
func (s *snapshot) filter(h *wordHits, from bitset, w string, lo, hi int) {
	spaced := " " + w
	for wi := lo / 64; wi*64 < hi; wi++ {
		for x := from[wi]; x != 0; x &= x - 1 {
			i := wi*64 + bits.TrailingZeros64(x)
			if i < lo || i >= hi {
				continue
			}
			title := s.title(i)
			k := strings.Index(title, w)
			if k < 0 {
				continue
			}
			h.title.set(i)
			switch {
			case k == 0:
				h.first.set(i)
				h.starts.set(i)
			case title[k-1] == ' ' || strings.Contains(title[k:], spaced):
				h.starts.set(i)
			}
		}
	}
}

// titleStarts marks the titles that begin with q, and those that are q,
// among those that begin with its first word.
func (s *snapshot) titleStarts(q string, firstWord *wordHits) (prefix, exact bitset) {
	prefix, exact = newBitset(len(s.entries)), newBitset(len(s.entries))
	for wi, x := range firstWord.first {
		for ; x != 0; x &= x - 1 {
			i := wi*64 + bits.TrailingZeros64(x)
			if title := s.title(i); strings.HasPrefix(title, q) {
				prefix.set(i)
				if len(title) == len(q) {
					exact.set(i)
				}
			}
		}
	}
	return prefix, exact
}

// below marks the entries with an ancestor in t: one pass down the tree.
func (s *snapshot) below(t bitset) bitset {
	b := newBitset(len(s.entries))
	if t.empty() {
		return b
	}
	for _, i := range s.down {
		if p := int(s.up[i]); t.has(p) || b.has(p) {
			b.set(int(i))
		}
	}
	return b
}

// matcher holds one query's hits.
type matcher struct {
	s             *snapshot
	hits          []*wordHits
	prefix, exact bitset
}

func (s *snapshot) newMatcher(folded string, words []string, workers int) *matcher {
	m := &matcher{s: s, hits: make([]*wordHits, len(words))}
	for i, w := range words {
		m.hits[i] = s.hits(w, workers)
	}
	// A title that starts with the query starts with its first word (which
	// dedupe may have dropped: "road roadmap").
	first, _, _ := strings.Cut(folded, " ")
	var h *wordHits
	if i := slices.Index(words, first); i >= 0 {
		h = m.hits[i]
	} else {
		h = s.hits(first, workers)
	}
	m.prefix, m.exact = s.titleStarts(folded, h)
	return m
}

// tiers sorts the matching entries (among keep, unless nil) into tiers.
func (m *matcher) tiers(keep bitset) [nTiers]bitset {
	n := len(m.s.entries)
	var t [nTiers]bitset
	for i := range t {
		t[i] = newBitset(n)
	}
	for wi := range t[0] {
		cand, inTitle, near, titleish, starts := ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)
		for _, h := range m.hits {
			c := h.title[wi] | h.path[wi]
			near &= c
			ti := h.title[wi]
			if h.typo != nil {
				c |= h.typo[wi] | h.typoUp[wi]
				ti |= h.typo[wi]
			}
			cand &= c
			inTitle &= h.title[wi]
			titleish &= ti
			starts &= h.starts[wi]
		}
		if keep != nil {
			cand &= keep[wi]
		}
		titled := cand & inTitle
		exact := titled & m.exact[wi]
		prefix := titled & m.prefix[wi] &^ exact
		wordStart := titled & starts &^ (exact | prefix)
		t[tierExact][wi] = exact
		t[tierPrefix][wi] = prefix
		t[tierWordStart][wi] = wordStart
		t[tierSubstring][wi] = titled &^ (exact | prefix | wordStart)
		t[tierPath][wi] = cand &^ inTitle & near
		t[tierTypo][wi] = cand &^ near & titleish
		t[tierTypoPath][wi] = cand &^ near &^ titleish
	}
	return t
}

// bitset is a set of small non-negative ints.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }
func (b bitset) set(i int)   { b[i/64] |= 1 << (i % 64) }
func (b bitset) has(i int) bool {
	return i >= 0 && i/64 < len(b) && b[i/64]&(1<<(i%64)) != 0
}

func (b bitset) empty() bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

func (b bitset) count() int {
	n := 0
	for _, x := range b {
		n += bits.OnesCount64(x)
	}
	return n
}
