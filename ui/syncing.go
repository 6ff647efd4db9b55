package ui

import (
	"context"
	"errors"
	"time"

	"github.com/pagedeck/pagedeck/app"
)

// refresh syncs one workspace ("" for all) without changing what the
// window shows; full replaces the whole list.
func (w *Window) refresh(id string, full bool) {
	if len(w.st.Workspaces) == 0 {
		return
	}
	// A sync already under way covers this one.
	if _, busy := w.st.Progress[id]; busy || (id == "" && len(w.st.Progress) > 0) {
		return
	}
	w.background(func() {
		var err error
		var synced []app.SyncResult
		if id == "" {
			synced, err = w.core.SyncAll(w.ctx, full, nil)
		} else {
			var r app.SyncResult
			if r, err = w.core.Sync(w.ctx, id, full, nil); err == nil {
				synced = append(synced, r)
			}
		}
		// Then the content of the pages that changed.
		for _, r := range synced {
			w.crawl(r.Workspace.ID)
		}
		if err != nil && errors.Is(err, app.ErrKeychainUnavailable) {
			w.do(func() { w.showKeychainHelp(err) })
		}
		// Other failures show in the status line and the sidebar marks.
		if err == nil {
			w.do(func() { w.views.status.confirm(refreshedText(synced)) })
		}
	})
}

// refreshedText says what a refresh the person asked for did.
func refreshedText(synced []app.SyncResult) string {
	changed := 0
	for _, r := range synced {
		changed += r.Changed
	}
	what := "nothing changed"
	switch {
	case changed == 1:
		what = "1 item changed"
	case changed > 1:
		what = app.Thousands(changed) + " items changed"
	}
	if len(synced) == 1 {
		return "Refreshed " + synced[0].Workspace.Name + ": " + what
	}
	return "Refreshed " + app.Thousands(len(synced)) + " workspaces: " + what
}

// scheduleRefresh runs the background refresh every interval, replacing
// the schedule before it.
func (w *Window) scheduleRefresh() {
	if w.stopRefresh != nil {
		w.stopRefresh()
		w.stopRefresh = nil
	}
	every := w.st.Settings.RefreshInterval
	if every <= 0 {
		return
	}
	ctx, stop := context.WithCancel(w.ctx)
	w.stopRefresh = stop
	w.background(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				_ = w.core.AutoSync(ctx)
			}
		}
	})
}
