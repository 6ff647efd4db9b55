package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// searchActions are what the search bar asks the window for.
type searchActions struct {
	query   func(string)
	kind    func(app.Kind)
	refresh func()
	escape  func() // Esc in an empty box
}

// navigator is what the search box drives while it keeps the focus, as in
// a launcher: the results.
type navigator interface {
	move(delta int)
	jump(toEnd bool)
	openCurrent(mode app.OpenMode)
	page() int
	// showMenu shows the highlighted row's menu: every action on it, with
	// its key (the Menu key, or Shift+F10).
	showMenu()
}

// searchPlaceholder is what the empty search box says over the results.
const searchPlaceholder = "Search pages and databases"

// searchBar is the search box, the kind switch and the refresh button.
type searchBar struct {
	entry   *searchEntry
	kinds   map[app.Kind]*widget.Button
	refresh *widgets.TipButton
	root    fyne.CanvasObject
}

func newSearchBar(tips *widgets.Tooltips, keys *shortcuts, acts searchActions) *searchBar {
	b := &searchBar{kinds: map[app.Kind]*widget.Button{}}
	b.entry = &searchEntry{keys: keys, escape: acts.escape}
	b.entry.ExtendBaseWidget(b.entry)
	b.entry.SetPlaceHolder(searchPlaceholder)
	b.entry.OnChanged = acts.query

	var row []fyne.CanvasObject
	for _, k := range []struct {
		kind  app.Kind
		label string
	}{{"", "All"}, {app.KindPage, "Pages"}, {app.KindDatabase, "Databases"}} {
		btn := widget.NewButton(k.label, func() { acts.kind(k.kind) })
		b.kinds[k.kind] = btn
		row = append(row, btn)
	}
	b.refresh = widgets.NewTipButton(theme.ViewRefreshIcon(), "Refresh ("+shortcutLabel("R")+")", tips, acts.refresh)
	b.setKind("")
	b.root = container.NewVBox(b.entry, container.NewBorder(nil, nil, container.NewHBox(row...), b.refresh))
	return b
}

func (b *searchBar) object() fyne.CanvasObject { return b.root }

// drive lets the box's arrows, Enter and paging keys move through nav.
func (b *searchBar) drive(nav navigator) { b.entry.nav = nav }

// setKind highlights the chosen kind.
func (b *searchBar) setKind(k app.Kind) {
	for kind, btn := range b.kinds {
		imp := widget.MediumImportance
		if kind == k {
			imp = widget.HighImportance
		}
		if btn.Importance != imp {
			btn.Importance = imp
			btn.Refresh()
		}
	}
}

// searchEntry is the search box. It keeps the focus while the arrow keys,
// Page Up/Down, Home, End and Enter drive the results; Esc clears it.
type searchEntry struct {
	widget.Entry
	nav    navigator
	keys   *shortcuts
	escape func()
}

func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	if driveResults(e.nav, k) {
		return
	}
	switch k.Name {
	case fyne.KeyHome:
		e.nav.jump(false)
	case fyne.KeyEnd:
		e.nav.jump(true)
	case fyne.KeyEscape:
		if e.Text != "" {
			e.SetText("")
			return
		}
		if e.escape != nil {
			e.escape()
		}
	default:
		e.Entry.TypedKey(k)
	}
}

// driveResults moves the highlight, or opens the highlighted result, for
// the keys that do so in a search box; it reports whether k was one.
func driveResults(nav navigator, k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyDown:
		nav.move(1)
	case fyne.KeyUp:
		nav.move(-1)
	case fyne.KeyPageDown:
		nav.move(nav.page())
	case fyne.KeyPageUp:
		nav.move(-nav.page())
	case fyne.KeyReturn, fyne.KeyEnter:
		nav.openCurrent("")
	case desktop.KeyMenu:
		nav.showMenu()
	case fyne.KeyF10:
		if !widgets.ShiftHeld() {
			return false
		}
		nav.showMenu()
	default:
		return false
	}
	return true
}

// TypedShortcut lets the window's shortcuts work while the box has focus:
// Fyne offers shortcuts to the focused widget only.
func (e *searchEntry) TypedShortcut(s fyne.Shortcut) {
	if e.keys.run(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// focusAndSelect puts the focus in the box with its text selected, so the
// next keystroke replaces the query.
func (e *searchEntry) focusAndSelect() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil {
		c.Focus(e)
	}
	e.Entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}
