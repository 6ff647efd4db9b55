package view

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pagedeck/pagedeck/app"
)

// StatusText is the status line for the workspaces in view: a long pause
// Notion asked for first (the list stays usable meanwhile), then sync
// progress, then an error, then the counts with when they were synced, whether
// they are live (live reports it per workspace), the content crawl, and why
// content matches may be missing.
func StatusText(s *State, now time.Time, live func(workspaceID string) bool) string {
	if p, ok := s.pause(now); ok {
		return p.String() + ", until " + p.Until.Local().Format("15:04:05")
	}
	var syncing []app.Progress
	for id, p := range s.Progress {
		if s.inView(id) {
			syncing = append(syncing, p)
		}
	}
	if len(syncing) > 0 {
		// Map order is random; the line must not shuffle between repaints.
		slices.SortFunc(syncing, func(a, b app.Progress) int { return strings.Compare(a.Workspace, b.Workspace) })
		items := 0
		names := make([]string, 0, len(syncing))
		for _, p := range syncing {
			items += p.Items
			names = append(names, p.Workspace)
		}
		return fmt.Sprintf("Syncing %s… %s items", strings.Join(names, ", "), app.Thousands(items))
	}
	if !s.Loaded {
		return "Loading…"
	}
	if len(s.Workspaces) == 0 {
		return "No workspaces connected"
	}
	var synced time.Time
	count := 0
	scope := s.InScope()
	for _, ws := range scope {
		if ws.LastError != "" {
			return ws.Name + ": " + ws.LastError
		}
		count += ws.Items
		if ws.Synced.After(synced) {
			synced = ws.Synced
		}
	}
	text := app.Thousands(count) + " items"
	if s.Query != "" || s.Kind != "" {
		text = app.Thousands(len(s.Hits)) + " of " + text
	}
	if !synced.IsZero() {
		text += " · synced " + app.Ago(now.Sub(synced))
	}
	if allLive(scope, live) {
		text += " · Live"
	}
	done, total, indexing := 0, 0, false
	for id, p := range s.Indexing {
		if s.inView(id) {
			done, total, indexing = done+p.Done, total+p.Total, true
		}
	}
	if indexing {
		text += " · " + app.ContentProgress{Done: done, Total: total}.Text()
	}
	if s.Notice != "" && s.Query != "" {
		text += " · " + s.Notice
	}
	return text
}

// allLive: every workspace in scope gets changes from Notion as they happen.
func allLive(scope []app.WorkspaceInfo, live func(string) bool) bool {
	if live == nil || len(scope) == 0 {
		return false
	}
	for _, ws := range scope {
		if !live(ws.ID) {
			return false
		}
	}
	return true
}

// pause is the pause in view that ends last, if one has not ended.
func (s *State) pause(now time.Time) (app.Pause, bool) {
	var last app.Pause
	for id, p := range s.Paused {
		if s.inView(id) && now.Before(p.Until) && p.Until.After(last.Until) {
			last = p
		}
	}
	return last, !last.Until.IsZero()
}
