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
	})
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
