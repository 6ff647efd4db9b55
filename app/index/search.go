package index

import (
	"cmp"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pagedeck/pagedeck/app/store"
)

// Query is one search.
type Query struct {
	Text      string
	Workspace string     // "" for all
	Kind      store.Kind // "" for both
	Limit     int        // 0 for no limit
	// Now is when frecency is measured; zero means time.Now().
	Now time.Time
}

// Result is one match.
type Result struct {
	*Entry
	// ViaPath: some query word is not in the title, only in the path (or,
	// with Typo, only near a word of the path).
	ViaPath bool
	// Typo: some query word matched only with one typo.
	Typo   bool
	Pinned bool
	Opens  int
}

// tier orders matches; lower is better.
type tier uint8

const (
	tierExact     tier = iota // the title is the query
	tierPrefix                // the title starts with the query
	tierWordStart             // every word starts a word of the title
	tierSubstring             // every word is somewhere in the title
	tierPath                  // some word is only in the path
	tierTypo                  // some word matched only with a typo, in the title
	tierTypoPath              // some word matched only with a typo, and some in the path
	nTiers
)

// parallelFrom is the size above which a scan splits over the CPUs.
const parallelFrom = 16 << 10

// Search returns the matching entries, best first: by tier, then frecency,
// then the most recent edit. An empty query lists pinned items, then the
// items opened before by frecency, then the rest by recency. The entries
// are shared and must not be changed.
func (ix *Index) Search(q Query) []Result {
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	folded := Fold(q.Text)
	words := dedupe(strings.Fields(folded))

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s := ix.snap
	wsFilter := -1
	if q.Workspace != "" {
		wsFilter = slices.Index(s.wsIDs, q.Workspace)
		if wsFilter < 0 {
			return nil
		}
	}
	keep := func(i int) bool {
		return (wsFilter < 0 || int(s.ws[i]) == wsFilter) && (q.Kind == "" || s.kinds[i] == q.Kind)
	}
	used := ix.usageView(s, now)
	if len(words) == 0 {
		return browse(s, used, keep, q.Limit)
	}
	workers := 1
	if len(s.entries) >= parallelFrom {
		workers = min(runtime.GOMAXPROCS(0), 4)
	}
	m := s.newMatcher(folded, words, workers)
	var keepBits bitset
	if wsFilter >= 0 || q.Kind != "" {
		keepBits = newBitset(len(s.entries))
		for i := range s.entries {
			if keep(i) {
				keepBits.set(i)
			}
		}
	}
	tiers := m.tiers(keepBits)

	total := 0
	for _, b := range tiers {
		total += b.count()
	}
	if q.Limit > 0 {
		total = min(total, q.Limit)
	}
	out := make([]Result, 0, total)
	add := func(t tier, pos int32) {
		r := used.result(s, pos)
		r.Typo = t >= tierTypo
		r.ViaPath = t == tierPath || t == tierTypoPath
		out = append(out, r)
	}
	for t, b := range tiers {
		// What the user opens first, then the rest newest first (the
		// snapshot's order).
		var scored []int32
		for pos, u := range used.at {
			if u.score > 0 && b.has(int(pos)) {
				scored = append(scored, pos)
			}
		}
		used.sort(scored)
		for _, pos := range scored {
			if len(out) == total {
				return out
			}
			add(tier(t), pos)
		}
		for wi, x := range b {
			for ; x != 0; x &= x - 1 {
				pos := int32(wi*64 + bits.TrailingZeros64(x))
				if used.score(pos) > 0 {
					continue
				}
				if len(out) == total {
					return out
				}
				add(tier(t), pos)
			}
		}
	}
	return out
}

// parallel runs f over [0, n) split into workers ranges, each starting at a
// multiple of 64 so bitset words are never shared.
func parallel(n, workers int, f func(lo, hi int)) {
	if workers == 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := (n*w/workers)&^63, (n*(w+1)/workers)&^63
		if w == workers-1 {
			hi = n
		}
		wg.Add(1)
		go func() { defer wg.Done(); f(lo, hi) }()
	}
	wg.Wait()
}

// browse is the empty query: pinned items, then opened ones by frecency,
// then everything else newest first.
func browse(s *snapshot, used *usageView, keep func(int) bool, limit int) []Result {
	var pinned, opened []int32
	for pos, u := range used.at {
		switch {
		case !keep(int(pos)):
		case u.Pinned:
			pinned = append(pinned, pos)
		case u.score > 0:
			opened = append(opened, pos)
		}
	}
	used.sort(pinned)
	used.sort(opened)
	var out []Result
	full := func() bool { return limit > 0 && len(out) >= limit }
	for _, list := range [][]int32{pinned, opened} {
		for _, pos := range list {
			if full() {
				return out
			}
			out = append(out, used.result(s, pos))
		}
	}
	for i := range s.entries {
		if full() {
			break
		}
		if u := used.get(int32(i)); keep(i) && (u == nil || (!u.Pinned && u.score == 0)) {
			out = append(out, used.result(s, int32(i)))
		}
	}
	return out
}

func dedupe(words []string) []string {
	out := words[:0:0]
	for i, w := range words {
		redundant := false
		for j, o := range words {
			if i != j && strings.Contains(o, w) && (len(o) > len(w) || j < i) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, w)
		}
	}
	return out
}

// usageView is the usage of one search's snapshot, scored at its time.
type usageView struct {
	has []uint64 // a bit per snapshot position with usage
	at  map[int32]*usedEntry
}

type usedEntry struct {
	Usage
	score float64
}

func (ix *Index) usageView(s *snapshot, now time.Time) *usageView {
	v := &usageView{}
	if len(ix.usage) == 0 {
		return v
	}
	v.has = make([]uint64, (len(s.entries)+63)/64)
	v.at = make(map[int32]*usedEntry, len(ix.usage))
	for k, u := range ix.usage {
		w := ix.byWS[k.ws]
		if w == nil || w.byID[k.id] == nil {
			continue
		}
		pos := s.find(w.byID[k.id])
		if pos < 0 {
			continue
		}
		v.has[pos/64] |= 1 << (pos % 64)
		v.at[pos] = &usedEntry{Usage: u, score: Frecency(u, now)}
	}
	return v
}

func (v *usageView) get(pos int32) *usedEntry {
	if v.has == nil || v.has[pos/64]&(1<<(pos%64)) == 0 {
		return nil
	}
	return v.at[pos]
}

func (v *usageView) result(s *snapshot, pos int32) Result {
	r := Result{Entry: s.entries[pos]}
	if u := v.get(pos); u != nil {
		r.Pinned, r.Opens = u.Pinned, u.Opens
	}
	return r
}

// sort orders positions by frecency, then recency (snapshot order).
func (v *usageView) sort(list []int32) {
	slices.SortFunc(list, func(a, b int32) int {
		if c := cmp.Compare(v.score(b), v.score(a)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
}

func (v *usageView) score(pos int32) float64 {
	if u := v.get(pos); u != nil {
		return u.score
	}
	return 0
}
