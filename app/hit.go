package app

import "github.com/pagedeck/pagedeck/app/index"

// Hit is one search result.
type Hit struct {
	*index.Entry        // the item, its workspace id and its path (Path, PathCut)
	Match        Match  // MatchTitle, MatchPath or MatchContent
	Snippet      string // content matches only: the words in context
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

func hitOf(r index.Result) Hit {
	h := Hit{Entry: r.Entry, Match: MatchTitle, Pinned: r.Pinned, Opened: r.Opens}
	if r.ViaPath {
		h.Match = MatchPath
	}
	return h
}
