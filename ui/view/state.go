// Package view is what the window shows, as plain data: the selection, the
// query, the results, the progress, and the texts and states derived from
// them by pure functions. It imports no Fyne, so it is tested without a
// driver; the window binds it to widgets.
package view

import (
	"github.com/pagedeck/pagedeck/app"
)

// State is what the window shows. The window changes it on the UI
// goroutine only, then redraws from it.
type State struct {
	Workspaces []app.WorkspaceInfo
	Selected   string // workspace id, "" for all
	Kind       app.Kind
	Query      string
	Hits       []*app.Hit // the results listed now
	Notice     string     // why content matches may be missing

	Loaded     bool // workspaces read at least once
	IndexReady bool
	Configured bool // a way to connect is set up
	Settings   app.Settings
	// CaptureTarget is the page new pages from Quick Open go to when
	// none is picked; nil when none is set.
	CaptureTarget *app.Hit

	Progress map[string]app.Progress        // item syncs under way
	Indexing map[string]app.ContentProgress // content crawls under way
	Paused   map[string]app.Pause           // Notion's long pauses, until they end
}

// New is the state before anything has loaded.
func New() State {
	return State{Progress: map[string]app.Progress{}, Indexing: map[string]app.ContentProgress{}, Paused: map[string]app.Pause{}}
}

// Workspace is the listed workspace with id, or nil.
func (s *State) Workspace(id string) *app.WorkspaceInfo {
	for i := range s.Workspaces {
		if s.Workspaces[i].ID == id {
			return &s.Workspaces[i]
		}
	}
	return nil
}

// InScope is the workspaces the window shows now.
func (s *State) InScope() []app.WorkspaceInfo {
	if s.Selected == "" {
		return s.Workspaces
	}
	if ws := s.Workspace(s.Selected); ws != nil {
		return []app.WorkspaceInfo{*ws}
	}
	return nil
}

// inView says whether work on workspace id shows in the current scope.
func (s *State) inView(id string) bool { return s.Selected == "" || s.Selected == id }

// Activity is what the window is doing for the workspaces in view: an
// item sync (its end is not known ahead), or a content crawl with the
// share of its pages done (known; it moves only when a page arrives).
type Activity struct {
	Syncing  bool
	Crawling bool
	Done     float32 // 0…1, the crawl's share done
}

// Activity is what the workspaces in view are doing.
func (s *State) Activity() Activity {
	var a Activity
	for id := range s.Progress {
		a.Syncing = a.Syncing || s.inView(id)
	}
	done, total := 0, 0
	for id, p := range s.Indexing {
		if s.inView(id) {
			a.Crawling = true
			done, total = done+p.Done, total+p.Total
		}
	}
	if total > 0 {
		a.Done = float32(done) / float32(total)
	}
	return a
}

// Lost is the name of a workspace in view that needs reconnecting, or "".
func (s *State) Lost() string {
	for _, ws := range s.InScope() {
		if ws.Status == app.StatusNeedsReconnect {
			return ws.Name
		}
	}
	return ""
}
