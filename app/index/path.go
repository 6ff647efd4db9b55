package index

import (
	"maps"
	"slices"

	"github.com/pagedeck/pagedeck/app/store"
)

// Paths are rebuilt from the cached items on every change, so a renamed or
// moved ancestor shows in its descendants' paths as soon as the refresh that
// brings it lands: nothing about an item's path is stored with it.

// maxDepth bounds a path: deeper chains (hostile ones) show their nearest
// maxDepth ancestors, cut.
const maxDepth = 32

// place is where an entry lives. Siblings share one place, so its slices
// are shared too.
type place struct {
	path  []string
	cut   bool
	depth int // visible ancestors, all of them (path keeps maxDepth)
}

var (
	placeTop = &place{}          // at the top of the workspace
	placeCut = &place{cut: true} // somewhere the connection cannot see
)

// resolver finds the places of one workspace's entries.
type resolver struct {
	gen   uint32
	m     map[string]*Entry
	dbs   map[string]*Entry // database container id → its data source; nil when it has several
	chain []*Entry
}

// placeAll gives every entry of m its place, and a new Entry to each whose
// path changed (entries are shared, so they are never edited). list, when
// not nil, is m's entries, all fresh, in the order they lie in memory:
// walked in that order rather than the map's, a loaded workspace is placed
// with far fewer cache misses.
func (ix *Index) placeAll(m map[string]*Entry, list []*Entry) {
	r := &resolver{gen: ix.gen, m: m, dbs: map[string]*Entry{}}
	if list == nil {
		list = slices.Collect(maps.Values(m))
	}
	for _, e := range list {
		if e.Kind != store.KindDatabase {
			continue
		}
		db := e.DatabaseID
		if e.ParentType == store.ParentNone && db == "" {
			db = e.ParentID // cached before parent types: a data source's parent is its database
		}
		if db == "" {
			continue
		}
		if _, dup := r.dbs[db]; dup {
			r.dbs[db] = nil
		} else {
			r.dbs[db] = e
		}
	}
	for _, e := range list {
		r.resolve(e)
	}
	var moved map[*Entry]*Entry
	for _, e := range list {
		p := e.place
		if e.fresh {
			// Not published yet: no search can see it change, and a
			// copy of every entry of a loaded workspace is most of the
			// cost of loading it.
			e.Path, e.PathCut, e.fresh = p.path, p.cut, false
			continue
		}
		if e.PathCut != p.cut || !slices.Equal(e.Path, p.path) {
			c := *e
			c.Path, c.PathCut = p.path, p.cut
			m[e.ID] = &c
			if moved == nil {
				moved = map[*Entry]*Entry{}
			}
			moved[e] = &c
		}
	}
	if moved != nil {
		for _, e := range m {
			if c, ok := moved[e.up]; ok {
				e.up = c
			}
		}
	}
}

// resolved reports whether e has a place from this rebuild; a nil place
// from this rebuild means it is being resolved (a loop).
func (r *resolver) resolved(e *Entry) bool { return e.gen == r.gen && e.place != nil }

func (r *resolver) resolve(e *Entry) {
	if r.resolved(e) {
		return
	}
	// Walk up to the first ancestor already placed, the top, a place the
	// connection cannot see, or a loop.
	chain := r.chain[:0]
	cur := e
	var top *place
	for {
		chain = append(chain, cur)
		cur.gen, cur.place, cur.kids, cur.up = r.gen, nil, nil, nil
		anc, cut := r.parentOf(cur)
		switch {
		case anc == nil && cut:
			top = placeCut
		case anc == nil:
			top = placeTop
		case anc.gen == r.gen && anc.place == nil: // on this chain: a loop
			top = placeCut
		case r.resolved(anc):
			top = kidsOf(anc)
			cur.up = anc
		}
		if top != nil {
			break
		}
		cur = anc
	}
	last := len(chain) - 1
	chain[last].place = top
	for i := last - 1; i >= 0; i-- {
		chain[i].place = kidsOf(chain[i+1])
		chain[i].up = chain[i+1]
	}
	r.chain = chain[:0]
}

// kidsOf is the place of e's children: e's path and e's own title. It is
// made once per rebuild, so siblings share it.
func kidsOf(e *Entry) *place {
	p := e.place
	if e.kids == nil {
		k := &place{cut: p.cut, depth: p.depth + 1}
		outer := p.path
		if len(outer) == maxDepth {
			outer, k.cut = outer[1:], true
		}
		k.path = make([]string, len(outer)+1)
		copy(k.path, outer)
		k.path[len(outer)] = displayTitle(e.Title)
		e.kids = k
	}
	return e.kids
}

// parentOf finds the entry e lives in. cut is true when that is somewhere
// the cache does not hold: an item not shared with the connection, a block,
// an unknown kind of parent.
func (r *resolver) parentOf(e *Entry) (anc *Entry, cut bool) {
	typ, id := e.ParentType, e.ParentID
	if e.Kind == store.KindDatabase {
		switch {
		case e.DatabaseParentType != store.ParentNone:
			// A data source's parent is its database container, which
			// search never returns; the container's place is this.
			typ, id = e.DatabaseParentType, e.DatabaseParentID
		case typ == store.ParentDatabase:
			return nil, true
		}
	}
	found := func(a *Entry) (*Entry, bool) {
		if a == nil || a == e {
			return nil, true
		}
		return a, false
	}
	switch typ {
	case store.ParentWorkspace:
		return nil, false
	case store.ParentPage, store.ParentDataSource:
		return found(r.m[id])
	case store.ParentDatabase:
		// An older database object has the container's id; a data source
		// stands for its database when it is the only one.
		if a := r.m[id]; a != nil {
			return found(a)
		}
		return found(r.dbs[id])
	case store.ParentNone:
		// Cached before parent types: the id names a page, a data source or
		// a database, or nothing at the top.
		if id == "" {
			return nil, false
		}
		if a := r.m[id]; a != nil {
			return found(a)
		}
		return found(r.dbs[id])
	}
	return nil, true // a block, or a kind of parent Pagedeck does not know
}

func displayTitle(t string) string {
	for _, r := range t {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return t
		}
	}
	return "Untitled"
}
