package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// trayItems is how many pinned and recent pages the tray menu lists.
const trayItems = 10

// prefTrayTold: the first close to the tray said what happened.
const prefTrayTold = "tray.told"

// prefKeepInTray: closing the window keeps Pagedeck in the tray ("off"
// turns it off; the default is on).
const prefKeepInTray = "tray.keep"

// trayMenu builds the tray's menu: the window, Quick Open with its
// hotkey, the pinned and most used pages, Refresh all and Quit.
func (w *Window) trayMenu(hits []*app.Hit) *fyne.Menu {
	quick := "Quick Open"
	if w.launch.hotkeyLabel != "" {
		quick += " (" + w.launch.hotkeyLabel + ")"
	}
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Open Pagedeck", w.showMain),
		fyne.NewMenuItem(quick, w.showQuick),
		fyne.NewMenuItemSeparator(),
	}
	for _, h := range hits[:min(len(hits), trayItems)] {
		label := widgets.Ellipsize(app.DisplayTitle(h.Title), 48)
		if h.Pinned {
			label = "★ " + label
		}
		items = append(items, fyne.NewMenuItem(label, func() { w.openHit(h, "") }))
	}
	if len(hits) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
	}
	items = append(items,
		fyne.NewMenuItem("Refresh all", func() { w.refresh("", false) }),
		fyne.NewMenuItem("Quit", w.quit))
	m := fyne.NewMenu("Pagedeck", items...)
	return m
}

// updateTray rebuilds the tray menu (pins, opens and the items changed).
func (w *Window) updateTray() {
	if !w.launch.hasTray || !w.st.IndexReady {
		return
	}
	r, err := w.core.Search(app.SearchQuery{Limit: trayItems})
	hits := r.Hits
	if err != nil {
		return
	}
	w.launch.trayShown = w.trayMenu(hits)
	if desk, ok := w.a.(desktop.App); ok {
		// No SetSystemTrayIcon: the tray shows the app's icon (run sets
		// it) once it is up. Set before that, as the first menu starts the
		// tray, it failed on Windows with "tray not ready yet" (.ci/wine).
		desk.SetSystemTrayMenu(w.launch.trayShown)
	}
}

// trayNote is what the first close to the tray says.
func (w *Window) trayNote() string {
	if w.launch.hotkeyLabel != "" {
		return "It stays in the tray; Quick Open is on " + w.launch.hotkeyLabel + ". Quit it from the tray's menu."
	}
	return "It stays in the tray. Quit it from the tray's menu."
}

func (w *Window) hotkeyLabelOr(def string) string {
	if w.launch.hotkeyLabel != "" {
		return w.launch.hotkeyLabel
	}
	return def
}
