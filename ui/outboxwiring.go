package ui

import (
	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/dialogs"
)

// The window's side of the outbox panel: what it lists, Retry, and Drop.

func (w *Window) newOutboxPanel() *outboxPanel {
	return newOutboxPanel(outboxActions{
		retry: w.retryOutbox,
		drop: func(it app.OutboxItem) {
			what := "the new page “" + it.Title + "”"
			if it.Kind == app.OutboxAppend {
				what = "this note"
			}
			dialogs.Confirm(w.views.modals, "Drop "+what+"?",
				"It has not reached Notion, and Pagedeck will forget what you typed.", "Drop", func() { w.dropCapture(it.ID) })
		},
	})
}

// reloadOutbox reads the outbox and redraws the panel. Reads run off the
// UI goroutine and may finish out of order: only the newest is drawn.
func (w *Window) reloadOutbox() {
	w.do(func() {
		w.outboxAsked++
		n := w.outboxAsked
		w.background(func() { w.readOutbox(n) })
	})
}

func (w *Window) readOutbox(n int) {
	items, err := w.core.Outbox().List()
	if err != nil {
		return // the panel keeps what it showed; the next change reads again
	}
	titles := map[string]string{}
	for _, it := range items {
		if h, err := w.core.Item(it.Parent); err == nil {
			titles[it.Parent] = app.DisplayTitle(h.Title)
		}
	}
	w.do(func() {
		if n != w.outboxAsked {
			return
		}
		w.views.outbox.set(items, func(id string) string { return titles[id] })
		w.views.main.Refresh()
	})
}

// retryOutbox sends every waiting capture now, those held for a
// permission too (the person may have granted it).
func (w *Window) retryOutbox() {
	w.views.status.confirm("Sending to Notion…")
	w.background(func() {
		sent, err := w.core.Outbox().Send(w.ctx, app.SendOptions{RetryHeld: true})
		done, held := 0, 0
		for _, s := range sent {
			if s.Done {
				done++
			} else {
				held++
			}
		}
		w.do(func() {
			switch {
			case err != nil:
				w.showError("Could not send the outbox", err)
			case held == 0:
				w.views.status.confirm("Sent " + app.Thousands(done) + " to Notion")
			default:
				w.views.status.confirm("Sent " + app.Thousands(done) + "; " + app.Thousands(held) + " still wait (see why above)")
			}
		})
	})
}

func (w *Window) dropCapture(id string) {
	w.background(func() {
		err := w.core.Outbox().Drop(w.ctx, id)
		w.do(func() {
			if err != nil {
				w.showError("Could not drop it", err)
				return
			}
			w.views.status.confirm("Dropped")
		})
	})
}
