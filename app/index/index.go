// Package index is the in-memory search over cached items: every word of the
// query must occur in the title, ignoring case, accents, punctuation and word
// order; exact matches first, then prefixes, then word starts, then
// substrings; ties go to the most recent edit.
package index

import (
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/pagedeck/pagedeck/app/store"
)

// Entry is one searchable item.
type Entry struct {
	store.Item
	WorkspaceID string
	folded      string
}

// Index holds every cached item of every workspace. Safe for concurrent use:
// searches share a read lock, updates take turns.
type Index struct {
	mu sync.RWMutex
	// byWS owns the entries; snap is every entry laid out for scanning.
	byWS map[string]map[string]*Entry
	snap snapshot
}

// snapshot is every entry, newest edit first, with the folded titles in one
// contiguous string and the filters in small parallel arrays: a search is
// one cache-friendly pass with no sorting and no pointer chasing.
type snapshot struct {
	entries []*Entry
	titles  string   // folded titles, concatenated
	ends    []uint32 // title i is titles[ends[i-1]:ends[i]]
	ws      []uint16 // index into wsIDs
	kinds   []store.Kind
	wsIDs   []string
}

func (s *snapshot) title(i int) string {
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.titles[start:s.ends[i]]
}

// New returns an empty index.
func New() *Index { return &Index{byWS: map[string]map[string]*Entry{}} }

func newEntry(ws string, it store.Item) *Entry {
	return &Entry{Item: it, WorkspaceID: ws, folded: Fold(it.Title)}
}

// Replace sets a workspace's items.
func (ix *Index) Replace(ws string, items []store.Item) {
	m := make(map[string]*Entry, len(items))
	for _, it := range items {
		m[it.ID] = newEntry(ws, it)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.byWS[ws] = m
	ix.rebuild()
}

// Apply upserts and deletes within a workspace.
func (ix *Index) Apply(ws string, upserts []store.Item, deletes []string) {
	if len(upserts) == 0 && len(deletes) == 0 {
		return
	}
	entries := make([]*Entry, len(upserts))
	for i, it := range upserts {
		entries[i] = newEntry(ws, it)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	m := ix.byWS[ws]
	if m == nil {
		m = map[string]*Entry{}
		ix.byWS[ws] = m
	}
	for _, e := range entries {
		m[e.ID] = e
	}
	for _, id := range deletes {
		delete(m, id)
	}
	ix.rebuild()
}

// Remove forgets a workspace.
func (ix *Index) Remove(ws string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	delete(ix.byWS, ws)
	ix.rebuild()
}

func (ix *Index) rebuild() {
	n, size := 0, 0
	for _, m := range ix.byWS {
		n += len(m)
		for _, e := range m {
			size += len(e.folded)
		}
	}
	all := make([]*Entry, 0, n)
	for _, m := range ix.byWS {
		for _, e := range m {
			all = append(all, e)
		}
	}
	slices.SortFunc(all, func(a, b *Entry) int {
		if c := b.LastEdited.Compare(a.LastEdited); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	s := snapshot{entries: all, ends: make([]uint32, n), ws: make([]uint16, n), kinds: make([]store.Kind, n)}
	wsIndex := map[string]uint16{}
	var b strings.Builder
	b.Grow(size)
	for i, e := range all {
		b.WriteString(e.folded)
		s.ends[i] = uint32(b.Len())
		w, ok := wsIndex[e.WorkspaceID]
		if !ok {
			w = uint16(len(s.wsIDs))
			wsIndex[e.WorkspaceID] = w
			s.wsIDs = append(s.wsIDs, e.WorkspaceID)
		}
		s.ws[i], s.kinds[i] = w, e.Kind
	}
	s.titles = b.String()
	ix.snap = s
}

// Get finds an item by id in any workspace.
func (ix *Index) Get(id string) (*Entry, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for _, m := range ix.byWS {
		if e, ok := m[id]; ok {
			return e, true
		}
	}
	return nil, false
}

// Count is the number of items in a workspace, or in all when ws is "".
func (ix *Index) Count(ws string) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ws != "" {
		return len(ix.byWS[ws])
	}
	return len(ix.snap.entries)
}

// Query is one search.
type Query struct {
	Text      string
	Workspace string     // "" for all
	Kind      store.Kind // "" for both
	Limit     int        // 0 for no limit
}

// rank orders matches; lower is better.
type rank uint8

const (
	rankExact rank = iota
	rankPrefix
	rankWordStart
	rankSubstring
	nRanks
)

// parallelFrom is the size above which a search splits over the CPUs.
const parallelFrom = 16 << 10

// Search returns the matching entries, best first. The slice is the
// caller's; the entries are shared and must not be changed.
func (ix *Index) Search(q Query) []*Entry {
	folded := Fold(q.Text)
	words := dedupe(strings.Fields(folded))
	spaced := make([]string, len(words))
	for i, w := range words {
		spaced[i] = " " + w
	}

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s := &ix.snap
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

	if len(words) == 0 {
		// Everything, newest first: already in order.
		var out []*Entry
		for i := range s.entries {
			if keep(i) {
				out = append(out, s.entries[i])
				if q.Limit > 0 && len(out) == q.Limit {
					break
				}
			}
		}
		return out
	}

	// Each worker scans a contiguous range into its own buckets; ranges in
	// order and buckets in rank order keep recency within each rank.
	n := len(s.entries)
	workers := 1
	if n >= parallelFrom {
		workers = min(runtime.GOMAXPROCS(0), 4)
	}
	parts := make([][nRanks][]int32, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		scan := func() {
			b := &parts[w]
			for i := lo; i < hi; i++ {
				if !keep(i) {
					continue
				}
				if r, ok := match(s.title(i), folded, words, spaced); ok {
					b[r] = append(b[r], int32(i))
				}
			}
		}
		if workers == 1 {
			scan()
			continue
		}
		wg.Add(1)
		go func() { defer wg.Done(); scan() }()
	}
	wg.Wait()

	total := 0
	for _, p := range parts {
		for _, b := range p {
			total += len(b)
		}
	}
	if q.Limit > 0 {
		total = min(total, q.Limit)
	}
	out := make([]*Entry, 0, total)
	for r := range nRanks {
		for _, p := range parts {
			for _, i := range p[r] {
				if len(out) == total {
					return out
				}
				out = append(out, s.entries[i])
			}
		}
	}
	return out
}

// match decides whether title holds every word, and how well.
func match(title, query string, words, spaced []string) (rank, bool) {
	allStarts := true
	for i, w := range words {
		if !strings.Contains(title, w) {
			return 0, false
		}
		if allStarts && !strings.HasPrefix(title, w) && !strings.Contains(title, spaced[i]) {
			allStarts = false
		}
	}
	switch {
	case title == query:
		return rankExact, true
	case strings.HasPrefix(title, query):
		return rankPrefix, true
	case allStarts:
		return rankWordStart, true
	}
	return rankSubstring, true
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
