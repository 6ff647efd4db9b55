// Package index is the in-memory search over cached items: every word of the
// query must occur in the title or in the item's path (the titles of its
// visible ancestors), ignoring case, accents, punctuation and word order.
// Matches rank by tier (exact title, title prefix, word starts, substrings,
// then matches that needed the path, then one-typo matches) and within a
// tier by frecency (what the user opens, see frecency.go), then by the most
// recent edit.
package index

// This file holds the index's writers; snapshot.go the snapshot they
// build and searches read, swapped in whole so a running search never
// sees a write half done.

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pagedeck/pagedeck/app/store"
)

// Place is where an item lives: its workspace and the titles above it.
// A search result shares its entry's, so it is never written once made.
type Place struct {
	WorkspaceID string
	// Path is the titles of the item's visible ancestors, outermost first;
	// empty at the top of the workspace.
	Path []string
	// PathCut: an ancestor the connection cannot see (or a place Pagedeck
	// does not know, such as a block) ends Path; more lies above it.
	PathCut bool
}

// Entry is one searchable item. Entries are shared and their exported
// fields never change once made (an item whose path changes gets a new
// Entry): use them by pointer.
type Entry struct {
	// *store.Item: a loaded workspace's entries point into the slice
	// the store decoded (see ReplaceOwned) rather than copy it.
	*store.Item
	Place

	folded string

	// Scratch of the writers (under Index.wmu), never read by a search.
	place *place // where it lives, as resolved by the rebuild of generation gen
	kids  *place // where its children live, made on demand by that rebuild
	up    *Entry // its nearest visible ancestor, or nil
	gen   uint32
	pos   int32 // index in the snapshot
	// fresh: made by the update under way and not yet published, so its
	// path is set in place rather than on a copy.
	fresh bool
}

// Usage is what the user did with an item on this machine.
type Usage struct {
	Opens  int
	Recent []time.Time // the last opens, newest first
	Pinned bool
}

func (u Usage) zero() bool { return u.Opens == 0 && !u.Pinned }

type key struct{ ws, id string }

// Index holds every cached item of every workspace. Safe for concurrent use.
// Searches share a read lock. A change builds the next snapshot without
// holding that lock (writers take turns on their own), then swaps it in:
// a search never waits for a sync to lay out 100,000 items.
type Index struct {
	wmu sync.Mutex // writers, one at a time
	gen uint32     // rebuild generation; under wmu

	mu sync.RWMutex
	// byWS and snap are replaced, never edited, once published.
	byWS  map[string]*wsItems
	usage map[key]Usage
	snap  *snapshot

	noCache bool // benchmarks of a cold search: no word cache
	// vocabOnDemand: the typo vocabulary is built by the first search
	// that needs it, not ahead; under wmu.
	vocabOnDemand bool
}

// wsItems is one workspace's entries, by id and newest edit first.
type wsItems struct {
	byID   map[string]*Entry
	sorted []*Entry
}

// newestFirst orders entries: newest edit first, then by id and workspace
// so the order is total.
func newestFirst(a, b *Entry) int {
	if c := b.LastEdited.Compare(a.LastEdited); c != 0 {
		return c
	}
	if c := strings.Compare(a.ID, b.ID); c != 0 {
		return c
	}
	return strings.Compare(a.WorkspaceID, b.WorkspaceID)
}

// New returns an empty index.
func New() *Index {
	return &Index{byWS: map[string]*wsItems{}, usage: map[key]Usage{}, snap: &snapshot{}}
}

func newEntry(ws string, it store.Item) *Entry {
	return &Entry{Item: &it, Place: Place{WorkspaceID: ws}, folded: Fold(it.Title), fresh: true}
}

// VocabOnDemand makes the first search that needs typo matching build
// its vocabulary, instead of a goroutine after each change: for a
// command that searches once and exits, usually with no typo to match.
func (ix *Index) VocabOnDemand() {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	ix.vocabOnDemand = true
}

// Replace sets a workspace's items. Usage of items that are gone is
// forgotten.
func (ix *Index) Replace(ws string, items []store.Item) {
	ix.ReplaceOwned(ws, slices.Clone(items))
}

// ReplaceOwned is Replace for items that nothing changes afterwards (a
// fresh read from the store): the entries point into them, so loading a
// large workspace copies no item.
func (ix *Index) ReplaceOwned(ws string, items []store.Item) {
	m := make(map[string]*Entry, len(items))
	// One allocation for the lot: a workspace's entries are made and
	// dropped together (the next Replace makes them all anew).
	slab := make([]Entry, len(items))
	list := make([]*Entry, len(items))
	for i := range items {
		it := &items[i]
		slab[i] = Entry{Item: it, Place: Place{WorkspaceID: ws}, folded: Fold(it.Title), fresh: true}
		m[it.ID], list[i] = &slab[i], &slab[i]
	}
	ix.update(ws, func(map[string]*Entry) (map[string]*Entry, []string, []*Entry) { return m, nil, list })
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
	ix.update(ws, func(old map[string]*Entry) (map[string]*Entry, []string, []*Entry) {
		m := maps.Clone(old)
		if m == nil {
			m = map[string]*Entry{}
		}
		touched := make([]string, 0, len(entries)+len(deletes))
		for _, e := range entries {
			m[e.ID] = e
			touched = append(touched, e.ID)
		}
		for _, id := range deletes {
			delete(m, id)
			touched = append(touched, id)
		}
		return m, touched, nil
	})
}

// Remove forgets a workspace.
func (ix *Index) Remove(ws string) {
	ix.update(ws, func(map[string]*Entry) (map[string]*Entry, []string, []*Entry) { return nil, nil, nil })
}

// update makes a workspace's entries change(old) (nil: no workspace), then
// places them, lays out the next snapshot and swaps it in. change also
// returns the ids it added, replaced or removed, or nil when it replaced
// everything.
func (ix *Index) update(ws string, change func(old map[string]*Entry) (m map[string]*Entry, touched []string, list []*Entry)) {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	ix.mu.RLock()
	cur := ix.byWS
	ix.mu.RUnlock()
	var old map[string]*Entry
	var prev []*Entry
	if w := cur[ws]; w != nil {
		old, prev = w.byID, w.sorted
	}
	next := maps.Clone(cur)
	m, touched, list := change(old)
	if m == nil {
		delete(next, ws)
	} else {
		ix.gen++
		// Paths stay within a workspace: only this one is placed again.
		ix.placeAll(m, list)
		next[ws] = &wsItems{byID: m, sorted: resort(prev, m, touched, list)}
	}
	s := newSnapshot(next)
	s.noCache = ix.noCache
	// The vocabulary for typo matching is ready before the first typo,
	// rather than built during someone's keystroke.
	if !ix.vocabOnDemand {
		go s.vocabOnce.Do(s.buildVocab)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.byWS, ix.snap = next, s
	for k := range ix.usage {
		if k.ws == ws && m[k.id] == nil {
			delete(ix.usage, k)
		}
	}
}

// SetUsage records what the user did with one item (the zero Usage
// forgets it). It does not rebuild anything: ranking reads usage per search.
func (ix *Index) SetUsage(ws, id string, u Usage) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if u.zero() {
		delete(ix.usage, key{ws, id})
		return
	}
	ix.usage[key{ws, id}] = u
}

// ReplaceUsage sets every item's usage at once: workspace → item → usage.
func (ix *Index) ReplaceUsage(all map[string]map[string]Usage) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.usage = map[key]Usage{}
	for ws, m := range all {
		for id, u := range m {
			if !u.zero() {
				ix.usage[key{ws, id}] = u
			}
		}
	}
}

// Usage is what is known of one item's use.
func (ix *Index) Usage(ws, id string) Usage {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.usage[key{ws, id}]
}

// resort orders m newest first. After a few changes it keeps prev's order
// for the entries not touched (looked up again: they may be new copies,
// with the same keys) and merges the touched ones in, instead of sorting
// everything again. list, when not nil, is m's entries (see placeAll).
func resort(prev []*Entry, m map[string]*Entry, touched []string, list []*Entry) []*Entry {
	if touched == nil || len(touched) > len(m)/8 {
		if list == nil {
			list = slices.Collect(maps.Values(m))
		}
		return sortNewestFirst(list)
	}
	gone := make(map[string]bool, len(touched))
	var fresh []*Entry
	for _, id := range touched {
		if gone[id] {
			continue
		}
		gone[id] = true
		if e := m[id]; e != nil {
			fresh = append(fresh, e)
		}
	}
	slices.SortFunc(fresh, newestFirst)
	out := make([]*Entry, 0, len(m))
	i := 0
	for _, e := range prev {
		if gone[e.ID] {
			continue
		}
		cur := m[e.ID]
		for i < len(fresh) && newestFirst(fresh[i], cur) < 0 {
			out = append(out, fresh[i])
			i++
		}
		out = append(out, cur)
	}
	return append(out, fresh[i:]...)
}

// sortNewestFirst is list's entries in newestFirst order, in a new slice. It sorts on the
// edit time as one integer first: comparing time.Times dominated loading
// a large workspace (a command's whole run).
func sortNewestFirst(list []*Entry) []*Entry {
	type keyed struct {
		at int64
		e  *Entry
	}
	ks := make([]keyed, 0, len(list))
	for _, e := range list {
		ks = append(ks, keyed{e.LastEdited.UnixNano(), e})
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.at != b.at {
			if a.at > b.at {
				return -1
			}
			return 1
		}
		return newestFirst(a.e, b.e)
	})
	out := make([]*Entry, len(ks))
	for i, k := range ks {
		out[i] = k.e
	}
	return out
}

// Get finds an item by id in any workspace.
func (ix *Index) Get(id string) (*Entry, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for _, w := range ix.byWS {
		if e, ok := w.byID[id]; ok {
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
		if w := ix.byWS[ws]; w != nil {
			return len(w.byID)
		}
		return 0
	}
	return len(ix.snap.entries)
}
