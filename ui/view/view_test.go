package view

import (
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
)

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func ws(id, name string, items int, synced time.Duration) app.WorkspaceInfo {
	w := app.WorkspaceInfo{}
	w.ID, w.Name, w.Items = id, name, items
	if synced > 0 {
		w.Synced = now.Add(-synced)
	}
	return w
}

func TestStatusText(t *testing.T) {
	acme, home := ws("a", "Acme", 1200, 2*time.Minute), ws("h", "Home", 34, time.Hour)
	never := func(string) bool { return false }
	cases := []struct {
		name string
		st   func(s *State)
		live func(string) bool
		want string
	}{
		{"before anything loads", func(s *State) {}, never, "Loading…"},
		{"nothing connected", func(s *State) { s.Loaded = true }, never, "No workspaces connected"},
		{"counts and the newest sync", func(s *State) { s.Loaded, s.Workspaces = true, []app.WorkspaceInfo{acme, home} }, never,
			"1,234 items · synced 2 min ago"},
		{"one workspace in view", func(s *State) { s.Loaded, s.Workspaces, s.Selected = true, []app.WorkspaceInfo{acme, home}, "h" }, never,
			"34 items · synced 1 h ago"},
		{"a query counts what it found", func(s *State) {
			s.Loaded, s.Workspaces, s.Query, s.Hits = true, []app.WorkspaceInfo{acme}, "plan", make([]*app.Hit, 3)
		}, never, "3 of 1,200 items · synced 2 min ago"},
		{"live when every workspace in view is", func(s *State) { s.Loaded, s.Workspaces = true, []app.WorkspaceInfo{acme, home} },
			func(id string) bool { return true }, "1,234 items · synced 2 min ago · Live"},
		{"not live when one is not", func(s *State) { s.Loaded, s.Workspaces = true, []app.WorkspaceInfo{acme, home} },
			func(id string) bool { return id == "a" }, "1,234 items · synced 2 min ago"},
		{"syncs first, in a stable order", func(s *State) {
			s.Loaded, s.Workspaces = true, []app.WorkspaceInfo{acme, home}
			s.Progress["h"] = app.Progress{Workspace: "Home", Items: 30}
			s.Progress["a"] = app.Progress{Workspace: "Acme", Items: 1000}
		}, never, "Syncing Acme, Home… 1,030 items"},
		{"a sync elsewhere does not show", func(s *State) {
			s.Loaded, s.Workspaces, s.Selected = true, []app.WorkspaceInfo{acme, home}, "h"
			s.Progress["a"] = app.Progress{Workspace: "Acme", Items: 1000}
		}, never, "34 items · synced 1 h ago"},
		{"an error names its workspace", func(s *State) {
			bad := home
			bad.LastError = "Notion is unreachable"
			s.Loaded, s.Workspaces = true, []app.WorkspaceInfo{acme, bad}
		}, never, "Home: Notion is unreachable"},
		{"the notice only while searching", func(s *State) {
			s.Loaded, s.Workspaces, s.Notice = true, []app.WorkspaceInfo{acme}, "content search is rebuilding"
		}, never, "1,200 items · synced 2 min ago"},
	}
	for _, c := range cases {
		s := New()
		c.st(&s)
		if got := StatusText(&s, now, c.live); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestStatusTextAddsTheCrawl(t *testing.T) {
	s := New()
	s.Loaded, s.Workspaces = true, []app.WorkspaceInfo{ws("a", "Acme", 10, time.Minute)}
	s.Indexing["a"] = app.ContentProgress{Done: 3, Total: 9}
	want := "10 items · synced 1 min ago · " + app.ContentProgress{Done: 3, Total: 9}.Text()
	if got := StatusText(&s, now, nil); got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if a := s.Activity(); !a.Crawling || a.Syncing || a.Done != 3.0/9 {
		t.Errorf("a crawl in view: %+v", a)
	}
	s.Progress["a"] = app.Progress{Workspace: "Acme"}
	if a := s.Activity(); !a.Syncing || !a.Crawling {
		t.Errorf("a sync and a crawl in view: %+v", a)
	}
	s.Selected = "elsewhere"
	if a := s.Activity(); a != (Activity{}) {
		t.Errorf("work out of view: %+v", a)
	}
}

func TestEmptyState(t *testing.T) {
	synced, first := ws("a", "Acme", 10, time.Minute), ws("n", "New", 0, 0)
	failed := first
	failed.LastError = "access denied"
	cases := []struct {
		name string
		st   func(s *State)
		want Empty
	}{
		{"before the index", func(s *State) { s.Loaded = true }, Empty{Kind: Starting}},
		{"no workspace", func(s *State) { s.Loaded, s.IndexReady = true, true }, Empty{Kind: Welcome}},
		{"results", func(s *State) {
			s.Loaded, s.IndexReady, s.Workspaces, s.Hits = true, true, []app.WorkspaceInfo{synced}, make([]*app.Hit, 1)
		}, Empty{Kind: NotEmpty}},
		{"a query with none", func(s *State) {
			s.Loaded, s.IndexReady, s.Workspaces, s.Query = true, true, []app.WorkspaceInfo{synced}, "zzz"
		}, Empty{Kind: NoResults}},
		{"a first sync under way is loading, not nothing shared", func(s *State) {
			s.Loaded, s.IndexReady, s.Workspaces = true, true, []app.WorkspaceInfo{synced, first}
			s.Progress["n"] = app.Progress{Items: 200}
		}, Empty{Kind: Loading, Names: "New", Items: 200}},
		{"a first sync that failed, in view alone", func(s *State) {
			s.Loaded, s.IndexReady, s.Workspaces, s.Selected = true, true, []app.WorkspaceInfo{synced, failed}, "n"
		}, Empty{Kind: FirstSyncFailed, Names: "New", Err: "access denied"}},
		{"synced and empty", func(s *State) {
			s.Loaded, s.IndexReady, s.Workspaces = true, true, []app.WorkspaceInfo{synced}
		}, Empty{Kind: NothingShared}},
	}
	for _, c := range cases {
		s := New()
		c.st(&s)
		if got := EmptyState(&s); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestLostNamesAWorkspaceInView(t *testing.T) {
	s := New()
	lost := ws("l", "Lost", 1, time.Minute)
	lost.Status = app.StatusNeedsReconnect
	s.Workspaces = []app.WorkspaceInfo{ws("a", "Acme", 1, time.Minute), lost}
	if got := s.Lost(); got != "Lost" {
		t.Errorf("all workspaces: %q", got)
	}
	s.Selected = "a"
	if got := s.Lost(); got != "" {
		t.Errorf("Acme alone: %q", got)
	}
}

func TestStatusTextSaysALongPauseUntilItEnds(t *testing.T) {
	s := New()
	s.Loaded, s.Workspaces = true, []app.WorkspaceInfo{ws("a", "Acme", 10, time.Minute), ws("h", "Home", 5, time.Minute)}
	p := app.Pause{Until: now.Add(2 * time.Minute), For: 2 * time.Minute, Reason: "public_api_request_rate_limit"}
	s.Paused["a"] = p
	s.Progress["a"] = app.Progress{Workspace: "Acme", Items: 100}
	want := p.String() + ", until " + p.Until.Local().Format("15:04:05")
	if got := StatusText(&s, now, nil); got != want {
		t.Errorf("during the pause: %q, want %q", got, want)
	}
	s.Selected = "h"
	if got := StatusText(&s, now, nil); got != "5 items · synced 1 min ago" {
		t.Errorf("another workspace in view: %q", got)
	}
	s.Selected = ""
	if got := StatusText(&s, now.Add(3*time.Minute), nil); got != "Syncing Acme… 100 items" {
		t.Errorf("after the pause: %q", got)
	}
}

func TestCaptureOutcome(t *testing.T) {
	held := app.Sent{Item: app.OutboxItem{State: app.OutboxNeedsPermission, Error: "The connection lacks the Insert content capability."}}
	rejected := app.Sent{Item: app.OutboxItem{State: app.OutboxRejected, Error: "Title is too long."}}
	cases := []struct {
		kind app.OutboxKind
		sent *app.Sent
		want string
	}{
		{app.OutboxNew, &app.Sent{Done: true}, "Created “Idea” in “Inbox”"},
		{app.OutboxAppend, &app.Sent{Done: true}, "Added to “Inbox”"},
		{app.OutboxNew, nil, QueuedText},
		{app.OutboxNew, &app.Sent{Item: app.OutboxItem{State: app.OutboxWaiting}}, QueuedText},
		{app.OutboxNew, &held, "Not sent: The connection lacks the Insert content capability. It waits in the outbox."},
		{app.OutboxNew, &rejected, "Notion refused it: Title is too long. It stays in the outbox; drop it there."},
	}
	for _, c := range cases {
		if got := CaptureOutcome(c.kind, "Idea", "Inbox", c.sent); got != c.want {
			t.Errorf("%s %+v: %q, want %q", c.kind, c.sent, got, c.want)
		}
	}
}

func TestOutboxLine(t *testing.T) {
	cases := []struct {
		it     app.OutboxItem
		parent string
		want   string
	}{
		{app.OutboxItem{Kind: app.OutboxNew, Title: "Idea", State: app.OutboxWaiting}, "Inbox", "New page “Idea” in “Inbox” · waiting to be sent"},
		{app.OutboxItem{Kind: app.OutboxAppend, State: app.OutboxWaiting, Attempts: 2, Error: "Notion is unavailable."}, "Inbox", "Note for “Inbox” · waiting: Notion is unavailable."},
		{app.OutboxItem{Kind: app.OutboxNew, Title: "Idea", State: app.OutboxNeedsPermission, Error: "No Insert content."}, "", "New page “Idea” in “a page no longer listed” · needs permission: No Insert content."},
		{app.OutboxItem{Kind: app.OutboxAppend, State: app.OutboxRejected, Error: "Bad."}, "Inbox", "Note for “Inbox” · refused by Notion: Bad."},
	}
	for _, c := range cases {
		if got := OutboxLine(c.it, c.parent); got != c.want {
			t.Errorf("%+v: %q, want %q", c.it, got, c.want)
		}
	}
	if OutboxHead(1) != "1 capture waits to be sent" || OutboxHead(1200) != "1,200 captures wait to be sent" {
		t.Errorf("heads: %q, %q", OutboxHead(1), OutboxHead(1200))
	}
}
