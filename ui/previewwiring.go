package ui

import (
	"net/url"

	"github.com/pagedeck/pagedeck/app"
)

// The window's side of the preview: what the pane loads, when it follows
// the highlight, and where its links go.

func (w *Window) newPreview() *previewPane {
	return newPreviewPane(w.views.tips, previewActions{
		ctx:        w.ctx,
		background: w.background,
		do:         w.do,
		load: func(id string, refresh bool, done func(app.PageContent, error)) {
			w.background(func() {
				var pc app.PageContent
				var err error
				if refresh {
					pc, err = w.core.RefreshPage(w.ctx, id)
				} else {
					pc, err = w.core.PageContent(id)
				}
				w.do(func() { done(pc, err) })
			})
		},
		open:  func(h *app.Hit) { w.openHit(h, "") },
		link:  w.openPreviewLink,
		close: w.togglePreview,
		now:   w.now,
	})
}

// togglePreview shows the highlighted page's stored copy, or hides it.
func (w *Window) togglePreview() {
	if w.views.preview.visible() {
		w.views.preview.hide()
	} else {
		w.views.preview.show(w.views.results.current(), false)
	}
	w.views.body.Refresh()
}

// previewFollows keeps an open preview on the highlighted row.
func (w *Window) previewFollows() {
	if w.views.preview.visible() {
		if h := w.views.results.current(); h != nil && (w.views.preview.hit == nil || h.ID != w.views.preview.hit.ID) {
			w.views.preview.show(h, false)
		}
	}
}

// openPreviewLink opens a link from a page's text: https only, through the
// same checks as items.
func (w *Window) openPreviewLink(raw string) {
	u, err := w.core.Config().PreviewLinkURL(raw)
	if err != nil {
		w.showError("Could not open the link", err)
		return
	}
	if parsed, perr := url.Parse(u); perr == nil && parsed.Host != "" {
		w.openExternal(u)
	}
}
