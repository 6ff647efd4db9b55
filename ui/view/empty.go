package view

import "strings"

// EmptyKind says what the body shows instead of results.
type EmptyKind int

const (
	// NotEmpty: the results list shows.
	NotEmpty EmptyKind = iota
	// Starting: nothing is loaded yet; the body stays blank for a moment.
	Starting
	// Welcome: no workspace is connected.
	Welcome
	// NoResults: the query matches nothing.
	NoResults
	// Loading: a first sync is under way (Names, Items so far).
	Loading
	// FirstSyncFailed: the one workspace in view never synced (Names, Err).
	FirstSyncFailed
	// NothingShared: synced, and Notion shares nothing with the connection.
	NothingShared
)

// Empty is the state the body shows, with what its card says.
type Empty struct {
	Kind  EmptyKind
	Names string // the workspaces a card is about, comma-separated
	Items int    // items fetched so far, for Loading
	Err   string // why the first sync failed
}

// EmptyState is what the body shows. "Nothing shared" needs a finished sync
// that found nothing: while a first sync runs, the body says it is loading.
func EmptyState(s *State) Empty {
	switch {
	case !s.Loaded || !s.IndexReady:
		return Empty{Kind: Starting}
	case len(s.Workspaces) == 0:
		return Empty{Kind: Welcome}
	case len(s.Hits) > 0:
		return Empty{Kind: NotEmpty}
	case s.Query != "":
		return Empty{Kind: NoResults}
	}
	scope := s.InScope()
	var loading []string
	items := 0
	for _, ws := range scope {
		if !ws.Synced.IsZero() {
			continue
		}
		if p, ok := s.Progress[ws.ID]; ok || ws.Syncing || ws.LastError == "" {
			loading = append(loading, ws.Name)
			items += p.Items
		} else if len(scope) == 1 {
			return Empty{Kind: FirstSyncFailed, Names: ws.Name, Err: ws.LastError}
		}
	}
	if len(loading) > 0 {
		return Empty{Kind: Loading, Names: strings.Join(loading, ", "), Items: items}
	}
	return Empty{Kind: NothingShared}
}
