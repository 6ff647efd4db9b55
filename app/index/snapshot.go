package index

import (
	"slices"
	"strings"
	"sync"

	"github.com/pagedeck/pagedeck/app/store"
)

// The snapshot searches read: built whole by a writer, then swapped in, so
// a running search never sees a write half done.

// snapshot is every entry, newest edit first, with the folded titles in one
// contiguous string and the filters and the tree in small parallel arrays:
// a search scans the titles once per word and walks the tree once to see
// which words lie in paths, with no sorting and no pointer chasing.
type snapshot struct {
	entries []*Entry
	titles  string   // folded titles, each followed by '\n' (never in a folded text)
	ends    []uint32 // title i is titles[ends[i-1]+1:ends[i]]
	ws      []uint16 // index into wsIDs
	kinds   []store.Kind
	wsIDs   []string
	up      []int32 // position of entry i's nearest visible ancestor, or -1
	down    []int32 // positions of entries with an ancestor, ancestors first

	freq [256]uint32 // how often each byte occurs in titles

	vocabOnce sync.Once
	vocab     []string // distinct title words, for typo matching
	words     wordCache
	posMu     sync.Mutex
	pos       map[*Entry]int32 // positions of entries with usage, found on demand
	noCache   bool             // benchmarks of a cold search
}

func (s *snapshot) start(i int) int {
	if i == 0 {
		return 0
	}
	return int(s.ends[i-1]) + 1
}

func (s *snapshot) title(i int) string { return s.titles[s.start(i):s.ends[i]] }

// find is the position of e, or -1: entries are ordered by newestFirst.
// Positions of the entries asked for (those with usage) are remembered.
func (s *snapshot) find(e *Entry) int32 {
	s.posMu.Lock()
	p, ok := s.pos[e]
	s.posMu.Unlock()
	if ok {
		return p
	}
	p = -1
	if i, ok := slices.BinarySearchFunc(s.entries, e, newestFirst); ok && s.entries[i] == e {
		p = int32(i)
	}
	s.posMu.Lock()
	if s.pos == nil {
		s.pos = map[*Entry]int32{}
	}
	s.pos[e] = p
	s.posMu.Unlock()
	return p
}

// newSnapshot lays out every workspace's entries, merging their newest
// first orders. It writes only the entries' private pos, which no search
// reads.
func newSnapshot(byWS map[string]*wsItems) *snapshot {
	n, size := 0, 0
	lists := make([][]*Entry, 0, len(byWS))
	for _, w := range byWS {
		n += len(w.sorted)
		for _, e := range w.sorted {
			size += len(e.folded) + 1
		}
		if len(w.sorted) > 0 { // a workspace that shares nothing
			lists = append(lists, w.sorted)
		}
	}
	s := &snapshot{entries: make([]*Entry, 0, n), ends: make([]uint32, n), ws: make([]uint16, n), kinds: make([]store.Kind, n), up: make([]int32, n)}
	for len(lists) > 0 {
		best := 0
		for i := 1; i < len(lists); i++ {
			if newestFirst(lists[i][0], lists[best][0]) < 0 {
				best = i
			}
		}
		s.entries = append(s.entries, lists[best][0])
		if lists[best] = lists[best][1:]; len(lists[best]) == 0 {
			lists = slices.Delete(lists, best, best+1)
		}
	}
	wsIndex := map[string]uint16{}
	var b strings.Builder
	b.Grow(size)
	for i, e := range s.entries {
		e.pos = int32(i)
		b.WriteString(e.folded)
		s.ends[i] = uint32(b.Len())
		b.WriteByte('\n')
		w, ok := wsIndex[e.WorkspaceID]
		if !ok {
			w = uint16(len(s.wsIDs))
			wsIndex[e.WorkspaceID] = w
			s.wsIDs = append(s.wsIDs, e.WorkspaceID)
		}
		s.ws[i], s.kinds[i] = w, e.Kind
	}
	s.titles = b.String()
	for i := 0; i < len(s.titles); i++ {
		s.freq[s.titles[i]]++
	}
	s.placeTree()
	return s
}

// placeTree lays out the tree: each entry's nearest visible ancestor, and
// the entries below the top ordered by depth, so one pass in that order
// sees every ancestor before its descendants.
func (s *snapshot) placeTree() {
	var byDepth [][]int32
	for i, e := range s.entries {
		s.up[i] = -1
		if e.up != nil {
			s.up[i] = e.up.pos
			d := e.place.depth
			for len(byDepth) <= d {
				byDepth = append(byDepth, nil)
			}
			byDepth[d] = append(byDepth[d], int32(i))
		}
	}
	s.down = make([]int32, 0, len(s.entries))
	for _, level := range byDepth {
		s.down = append(s.down, level...)
	}
}
