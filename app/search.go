package app

import (
	"fmt"

	"github.com/pagedeck/pagedeck/app/index"
	"github.com/pagedeck/pagedeck/app/store"
)

// Scope is where a search looks.
type Scope string

const (
	ScopeAll     Scope = "all" // titles and paths first, then content
	ScopeTitle   Scope = "title"
	ScopeContent Scope = "content"
)

// SearchQuery is one search.
type SearchQuery struct {
	Text      string
	Workspace string     // "" for all
	Kind      store.Kind // "" for both
	Limit     int        // 0: no limit on title matches, DefaultContentHits content matches
	In        Scope      // "" means ScopeAll
	// BeforeContent, when set, runs before page content is searched, and
	// only then: a command prepares the content index (see
	// PrepareContent) for a query that reaches it, and a title search
	// never opens it.
	BeforeContent func()
}

// DefaultContentHits caps content matches when a search sets no limit: a
// snippet costs a read of the page.
const DefaultContentHits = 100

// Results are a search's hits, best first. Notice, when set, says why
// content matches may be missing (the index is busy in another Pagedeck,
// or being rebuilt); the title matches are there either way.
type Results struct {
	Hits   []*Hit
	Notice string
}

// Search runs a search: cached items with every word of the query in the
// title or the item's path, ignoring case, accents and order, ranked by
// app/index (match tier, then frecency, then recency; the empty query lists
// pins first); then pages whose stored content holds every word (the last
// as a prefix), best first, each with a snippet. The window and the command
// line both use this one ranking. A page matched by its title is not repeated.
// Content search never fails the search: its problems become the Notice.
//
// Words that are filters on a database's properties (status:doing,
// due<today+7; see app/rows) keep only the rows of data sources with those
// properties that pass them; a filter no data source can read is a
// *rows.FilterError.
func (c *Core) Search(q SearchQuery) (Results, error) {
	text, ids, active, err := c.searchFilters(q.Text, q.Workspace)
	if err != nil || !active {
		if err != nil {
			return Results{}, err
		}
		return c.search(q)
	}
	limit := q.Limit
	q.Text, q.Limit = text, 0
	r, err := c.search(q)
	if err != nil {
		return r, err
	}
	kept := r.Hits[:0]
	for _, h := range r.Hits {
		if ids[h.ID] && (limit <= 0 || len(kept) < limit) {
			kept = append(kept, h)
		}
	}
	r.Hits = kept
	return r, nil
}

func (c *Core) search(q SearchQuery) (Results, error) {
	if err := c.LoadIndex(); err != nil {
		return Results{}, err
	}
	var r Results
	if q.In != ScopeContent {
		res := c.titles.idx.Search(index.Query{Text: q.Text, Workspace: q.Workspace, Kind: q.Kind, Limit: q.Limit, Now: c.now()})
		hits := make([]Hit, len(res))
		r.Hits = make([]*Hit, len(res))
		for i, x := range res {
			hits[i] = titleHit(x)
			r.Hits[i] = &hits[i]
		}
	}
	if q.In == ScopeTitle || q.Kind == store.KindDatabase || len(index.Fold(q.Text)) == 0 {
		return r, nil
	}
	room := DefaultContentHits
	if q.Limit > 0 {
		room = q.Limit - len(r.Hits)
		if room <= 0 {
			return r, nil
		}
	}
	seen := make(map[string]bool, len(r.Hits))
	for _, h := range r.Hits {
		seen[h.ID] = true
	}
	if q.BeforeContent != nil {
		q.BeforeContent()
	}
	// Ask for a few more than room: some may be title matches already.
	matches, err := c.content.Search(q.Text, q.Workspace, room+len(r.Hits))
	if err != nil {
		c.log.Warn("app: content search", "err", err)
		r.Notice = "Content search is not available right now: " + err.Error()
		return r, nil
	}
	for _, m := range matches {
		if room <= 0 {
			break
		}
		if seen[m.ID] {
			continue
		}
		e, ok := c.titles.idx.Get(m.ID)
		if !ok || e.Kind != store.KindPage || (q.Workspace != "" && e.WorkspaceID != q.Workspace) {
			continue
		}
		h := hitOf(e, MatchContent, c.titles.idx.Usage(e.WorkspaceID, e.ID))
		h.Snippet = m.Snippet.Text
		r.Hits = append(r.Hits, &h)
		room--
	}
	return r, nil
}

// LoadIndex reads every cached item, and what the user opened and pinned,
// into the search index (once).
func (c *Core) LoadIndex() error {
	c.titles.mu.Lock()
	defer c.titles.mu.Unlock()
	if c.titles.loaded {
		return nil
	}
	all, err := c.store.AllItems()
	if err != nil {
		return err
	}
	usage, err := c.loadUsage()
	if err != nil {
		return err
	}
	for ws, items := range all {
		c.titles.idx.ReplaceOwned(ws, items) // read for the index alone
	}
	c.titles.idx.ReplaceUsage(usage)
	c.titles.loaded = true
	return nil
}

// Item finds a cached item by id.
func (c *Core) Item(id string) (*Hit, error) {
	if err := c.LoadIndex(); err != nil {
		return nil, err
	}
	e, ok := c.titles.idx.Get(id)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownItem, id)
	}
	h := hitOf(e, "", c.titles.idx.Usage(e.WorkspaceID, e.ID))
	return &h, nil
}
