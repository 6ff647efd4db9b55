// Package apptest holds what tests of the core and of its callers (the
// window, the command line) share when they check what the Core lists.
package apptest

import "github.com/pagedeck/pagedeck/app"

// SearchHits is the hits of the search the window and `pagedeck search` run.
func SearchHits(c *app.Core, query, ws string, kind app.Kind, limit int) ([]*app.Hit, error) {
	r, err := c.Search(app.SearchQuery{Text: query, Workspace: ws, Kind: kind, Limit: limit})
	return r.Hits, err
}

// ItemCount is how many cached items ws lists ("" for all).
func ItemCount(c *app.Core, ws string) int {
	h, _ := SearchHits(c, "", ws, "", 0)
	return len(h)
}
