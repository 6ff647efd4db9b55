package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/pagedeck/pagedeck/app"
)

// openHit opens an item; mode "" is the user's setting.
func (w *Window) openHit(h *app.Hit, mode app.OpenMode) {
	if mode == "" {
		mode = w.st.Settings.OpenIn
	}
	id, link := h.ID, h.URL
	w.background(func() {
		if err := w.core.Open(id, mode, w.deps.Opener); err != nil {
			w.do(func() { w.showOpenError(err, link) })
		}
	})
}

// openResult opens a result: a database shows its rows when they are
// stored; anything else, and a mode chosen on purpose, opens in Notion.
func (w *Window) openResult(h *app.Hit, mode app.OpenMode) {
	if h.Kind == app.KindDatabase && mode == "" {
		w.showRows(h, func() { w.openHit(h, mode) })
		return
	}
	w.openHit(h, mode)
}

// itemMenu is a row's right-click menu.
func (w *Window) itemMenu(h *app.Hit) *fyne.Menu {
	title := app.DisplayTitle(h.Title)
	pin := fyne.NewMenuItem("Pin", func() { w.setPinned(h, true) })
	if h.Pinned {
		pin = fyne.NewMenuItem("Unpin", func() { w.setPinned(h, false) })
	}
	pin.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault}
	preview := fyne.NewMenuItem("Preview", func() { w.views.preview.show(h, false); w.views.body.Refresh() })
	preview.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyY, Modifier: fyne.KeyModifierShortcutDefault}
	inApp := fyne.NewMenuItem("Open in Notion app", func() { w.openHit(h, app.OpenInApp) })
	inApp.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	copyLink := fyne.NewMenuItem("Copy link", func() { w.copyText(h.URL, "Copied the link to “"+title+"”") })
	copyLink.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyC, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	items := []*fyne.MenuItem{
		fyne.NewMenuItem("Open in browser", func() { w.openHit(h, app.OpenInBrowser) }),
		inApp,
		preview,
		pin,
	}
	if h.Kind == app.KindDatabase {
		rows := fyne.NewMenuItem("Show rows", func() {
			w.showRows(h, func() {
				w.views.status.confirm("No rows of “" + title + "” are stored yet; the next refresh brings them")
			})
		})
		newRow := fyne.NewMenuItem("New row in…", func() { w.capture(h, app.OutboxNew, w.views.modals, w.views.status.confirm) })
		newRow.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
		items = append([]*fyne.MenuItem{rows}, items...)
		items = append(items, fyne.NewMenuItemSeparator(), newRow)
	}
	if h.Kind == app.KindPage {
		newPage := fyne.NewMenuItem("New page in…", func() { w.capture(h, app.OutboxNew, w.views.modals, w.views.status.confirm) })
		newPage.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
		appendTo := fyne.NewMenuItem("Append to…", func() { w.capture(h, app.OutboxAppend, w.views.modals, w.views.status.confirm) })
		appendTo.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
		isTarget := w.st.CaptureTarget != nil && w.st.CaptureTarget.ID == h.ID
		target := fyne.NewMenuItem("Default for new pages", func() {
			if isTarget {
				w.setCaptureTarget(nil)
			} else {
				w.setCaptureTarget(h)
			}
		})
		target.Checked = isTarget
		items = append(items, fyne.NewMenuItemSeparator(), newPage, appendTo, target)
	}
	return fyne.NewMenu("", append(items,
		fyne.NewMenuItemSeparator(),
		copyLink,
		fyne.NewMenuItem("Copy title", func() { w.copyText(title, "Copied the title") }),
	)...)
}

// workspaceMenu is a workspace's menu in the sidebar. Refreshing a
// workspace does not change what the window shows.
func (w *Window) workspaceMenu(id string) *fyne.Menu {
	content := fyne.NewMenuItem("Search page content", func() { w.toggleContent(id) })
	if ws := w.workspace(id); ws != nil {
		content.Checked = ws.Content == app.ContentOn
	}
	return fyne.NewMenu("",
		fyne.NewMenuItem("Refresh", func() { w.refresh(id, false) }),
		fyne.NewMenuItem("Full sync", func() { w.refresh(id, true) }),
		content,
		fyne.NewMenuItem("Reconnect / choose more pages", w.startConnect),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Disconnect…", func() { w.confirmDisconnect(id) }),
	)
}

// togglePin pins the highlighted item, or unpins it.
func (w *Window) togglePin() {
	if h := w.views.results.current(); h != nil {
		w.setPinned(h, !h.Pinned)
	}
}

func (w *Window) setPinned(h *app.Hit, on bool) {
	id, title := h.ID, app.DisplayTitle(h.Title)
	w.background(func() {
		said := "Pinned “" + title + "”"
		if !on {
			said = "Unpinned “" + title + "”"
		}
		err := w.core.SetPinned(id, on)
		w.do(func() {
			if err != nil {
				w.showError("Could not change the pin", err)
				return
			}
			w.views.status.confirm(said)
			w.runSearch(false)
		})
	})
}

// copyCurrentLink copies the highlighted row's link.
func (w *Window) copyCurrentLink() {
	if h := w.views.results.current(); h != nil {
		w.copyText(h.URL, "Copied the link to “"+app.DisplayTitle(h.Title)+"”")
	}
}

// copyText puts text on the clipboard and says so in the status line.
func (w *Window) copyText(text, said string) {
	if text == "" {
		return
	}
	w.a.Clipboard().SetContent(text)
	w.views.status.confirm(said)
}

// openExternal opens a web page (help), reporting a failure.
func (w *Window) openExternal(u string) {
	w.background(func() {
		if err := w.deps.Opener.OpenURL(u); err != nil {
			w.do(func() { w.showOpenError(err, u) })
		}
	})
}

// quit ends Pagedeck.
func (w *Window) quit() {
	w.Close()
	w.deps.Quit()
}
