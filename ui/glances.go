package ui

import "github.com/pagedeck/pagedeck/app"

// glances keeps the values a database row shows on its result line. They
// are read off the UI goroutine (the first read of a data source loads its
// rows from the store); until then the line shows without them, and the
// list is drawn again when they arrive.
type glances struct {
	got   map[string][]string
	asked map[string]bool
}

// glance is what h's line shows, nil while it is read.
func (w *Window) glance(h *app.Hit) []string {
	if h.Kind != app.KindPage || h.ParentID == "" {
		return nil
	}
	if g, ok := w.glanceCache.got[h.ID]; ok {
		return g
	}
	if w.glanceCache.asked[h.ID] {
		return nil
	}
	if w.glanceCache.got == nil {
		w.glanceCache.got, w.glanceCache.asked = map[string][]string{}, map[string]bool{}
	}
	w.glanceCache.asked[h.ID] = true
	w.background(func() {
		g := w.core.Databases().Glance(h)
		w.do(func() {
			if w.glanceCache.asked[h.ID] {
				w.glanceCache.got[h.ID] = g
				if len(g) > 0 {
					w.views.results.refresh()
				}
			}
		})
	})
	return nil
}

// forgetGlances drops what was read: rows changed.
func (w *Window) forgetGlances() { w.glanceCache = glances{} }
