package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// searchEntry is the search box. It keeps the focus while Up, Down, Page
// Up/Down and Enter drive the list, as in a launcher, and Esc clears it.
type searchEntry struct {
	widget.Entry
	w *Window
}

func newSearchEntry(w *Window) *searchEntry {
	e := &searchEntry{w: w}
	e.ExtendBaseWidget(e)
	return e
}

func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyDown:
		e.w.moveSelection(1)
	case fyne.KeyUp:
		e.w.moveSelection(-1)
	case fyne.KeyPageDown:
		e.w.moveSelection(10)
	case fyne.KeyPageUp:
		e.w.moveSelection(-10)
	case fyne.KeyReturn, fyne.KeyEnter:
		e.w.openSelected()
	case fyne.KeyEscape:
		e.SetText("")
	default:
		e.Entry.TypedKey(k)
	}
}

// TypedShortcut lets the window's shortcuts work while the entry has focus:
// Fyne offers them to the focused widget only.
func (e *searchEntry) TypedShortcut(s fyne.Shortcut) {
	if e.w.handleShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

func (w *Window) moveSelection(delta int) {
	if len(w.results) == 0 {
		return
	}
	next := w.selectedRow() + delta
	next = max(0, min(next, len(w.results)-1))
	w.list.Select(next)
	w.list.ScrollTo(next)
}

// selectedRow is the list's selection; the list keeps it privately, so the
// window tracks it through OnSelected.
func (w *Window) selectedRow() int { return w.cursor }

func (w *Window) openSelected() {
	if w.cursor >= 0 && w.cursor < len(w.results) {
		w.openItem(w.results[w.cursor], w.settings.OpenIn)
	}
}
