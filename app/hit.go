package app

import "github.com/pagedeck/pagedeck/app/index"

// Hit is one search result.
type Hit struct {
	// The item and where it lives (its workspace and the titles above it)
	// are shared with the search index, never copied per result (a
	// keystroke can match 20,000): read them, never write them.
	*Item
	*Place
	Match   Match  // MatchTitle, MatchPath or MatchContent
	Snippet string // content matches only: the words in context
	// Pinned and Opened are what the user did with it on this machine: a
	// pin, and the count of recorded opens.
	Pinned bool
	Opened int
}

// Match says where a hit's query words were found.
type Match string

const (
	// MatchTitle: every word is in the title (one may hold a typo).
	MatchTitle Match = "title"
	// MatchPath: some word is only in the item's path.
	MatchPath Match = "path"
	// MatchContent: the words are in the page's stored content.
	MatchContent Match = "content"
)

// hitOf is what a search shows of an index entry: the index's own
// bookkeeping stays behind.
func hitOf(e *index.Entry, m Match, u index.Usage) Hit {
	return Hit{Item: e.Item, Place: &e.Place, Match: m, Pinned: u.Pinned, Opened: u.Opens}
}

func titleHit(r index.Result) Hit {
	m := MatchTitle
	if r.ViaPath {
		m = MatchPath
	}
	return hitOf(r.Entry, m, index.Usage{Pinned: r.Pinned, Opens: r.Opens})
}
