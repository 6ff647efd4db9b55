package ui

import (
	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/dialogs"
)

// toggleContent turns a workspace's page content on (and starts fetching
// it) or off (which deletes it, so it asks first). A workspace whose
// connection cannot read content says how to allow it.
func (w *Window) toggleContent(id string) {
	ws := w.workspace(id)
	if ws == nil {
		return
	}
	name := ws.Name
	switch ws.Content {
	case app.ContentOn:
		dialogs.Confirm(w.views.modals, "Stop searching the content of "+name+"?",
			"Pagedeck deletes the copies of "+name+"'s pages it keeps on this computer for searching and reading offline. Titles stay searchable. You can turn it on again from this menu.",
			"Delete and turn off", func() { w.setContent(id, false) })
	case app.ContentNoAccess:
		w.showMessage("Notion does not let Pagedeck read "+name+"'s pages",
			app.Explain(app.ErrNoContentAccess)+"\n\nPagedeck will try again when you turn content on after that.")
		w.setContent(id, true)
	default:
		w.setContent(id, true)
	}
}

func (w *Window) setContent(id string, on bool) {
	w.background(func() {
		err := w.core.SetContent(id, on)
		if err == nil && on {
			w.crawl(id)
		}
		w.do(func() {
			if err != nil {
				w.showError("Could not change the content setting", err)
				return
			}
			w.background(w.reloadWorkspaces)
		})
	})
}

// crawl fetches the content of a workspace's pages edited since their
// stored copy, in the background; progress and the end arrive as events.
// Close waits for it, so nothing writes to the data directory after.
func (w *Window) crawl(id string) {
	w.background(func() { _, _ = w.core.CrawlContent(w.ctx, id, nil) })
}
