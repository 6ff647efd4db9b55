package ui

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/dialogs"
)

// shortcuts are the window's keyboard shortcuts (Ctrl, or Cmd on macOS),
// and what keys do when no widget has the focus.
type shortcuts struct {
	acts    shortcutActions
	dialogs *dialogs.Stack
	table   map[string]func()
	keys    []desktop.CustomShortcut
}

// shortcutActions are what the shortcuts do; the window supplies them.
type shortcutActions struct {
	focusSearch     func()                 // focus the search box, its text selected
	search          func(k *fyne.KeyEvent) // a key for the search box
	typeRune        func(r rune)           // a character for the search box
	refresh         func(full bool)
	connect         func()
	settings        func()
	quit            func()
	close           func()
	copyLink        func()
	togglePin       func()
	togglePreview   func()
	capture         func(kind app.OutboxKind) // a new page under, or a note at the end of, the highlighted page
	openCurrent     func(mode app.OpenMode)
	selectWorkspace func(i int) // the i-th workspace; -1: all
}

func newShortcuts(dialogs *dialogs.Stack, acts shortcutActions) *shortcuts {
	return &shortcuts{acts: acts, dialogs: dialogs, table: map[string]func(){}}
}

// shortcutLabel is how a shortcut reads in a tip: "Ctrl+R" or "⌘R".
func shortcutLabel(key string) string {
	if runtime.GOOS == "darwin" {
		return "⌘" + key
	}
	return "Ctrl+" + key
}

// shiftShortcutLabel is a shortcut with Shift too: "Ctrl+Shift+N" or "⇧⌘N".
func shiftShortcutLabel(key string) string {
	if runtime.GOOS == "darwin" {
		return "⇧⌘" + key
	}
	return "Ctrl+Shift+" + key
}

func (k *shortcuts) add(key fyne.KeyName, mod fyne.KeyModifier, fn func()) {
	sc := desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault | mod}
	k.table[sc.ShortcutName()] = fn
	k.keys = append(k.keys, sc)
}

func (k *shortcuts) install(c fyne.Canvas) {
	a := k.acts
	k.add(fyne.KeyF, 0, a.focusSearch)
	k.add(fyne.KeyK, 0, a.focusSearch)
	k.add(fyne.KeyL, 0, a.focusSearch)
	k.add(fyne.KeyR, 0, func() { a.refresh(false) })
	k.add(fyne.KeyR, fyne.KeyModifierShift, func() { a.refresh(true) })
	k.add(fyne.KeyN, 0, a.connect)
	k.add(fyne.KeyComma, 0, a.settings)
	k.add(fyne.KeyQ, 0, a.quit)
	k.add(fyne.KeyW, 0, a.close)
	k.add(fyne.KeyC, fyne.KeyModifierShift, a.copyLink)
	k.add(fyne.KeyD, 0, a.togglePin)
	k.add(fyne.KeyN, fyne.KeyModifierShift, func() { a.capture(app.OutboxNew) })
	k.add(fyne.KeyA, fyne.KeyModifierShift, func() { a.capture(app.OutboxAppend) })
	// Ctrl+Y (Cmd+Y: Quick Look's key in the Finder) reads the page; Space,
	// as in Quick Look, types into the search box, which owns the keyboard.
	// Fyne reports Ctrl+Y as Redo.
	k.table[(&fyne.ShortcutRedo{}).ShortcutName()] = a.togglePreview
	k.add(fyne.KeyReturn, 0, func() { a.openCurrent(app.OpenInApp) })
	k.add(fyne.KeyEnter, 0, func() { a.openCurrent(app.OpenInApp) })
	k.add(fyne.Key0, 0, func() { a.selectWorkspace(-1) })
	for i, key := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9} {
		k.add(key, 0, func() { a.selectWorkspace(i) })
	}
	for i := range k.keys {
		sc := &k.keys[i]
		c.AddShortcut(sc, func(fyne.Shortcut) { k.run(sc) })
	}
	c.AddShortcut(&fyne.ShortcutRedo{}, func(s fyne.Shortcut) { k.run(s) })
	// With nothing focused (a click on empty space, or a dialog with no
	// field), keys still do what they would in the search box, and Esc and
	// Enter answer an open dialog.
	c.SetOnTypedKey(k.typedKey)
	c.SetOnTypedRune(func(r rune) {
		if !k.dialogs.Any() {
			a.typeRune(r)
		}
	})
}

// run runs a shortcut and reports whether it was one of the window's. A
// dialog keeps the window's shortcuts away from the window behind it.
func (k *shortcuts) run(s fyne.Shortcut) bool {
	fn, ok := k.table[s.ShortcutName()]
	if !ok || (k.dialogs.Any() && s.ShortcutName() != (&desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}).ShortcutName()) {
		return false
	}
	fn()
	return true
}

func (k *shortcuts) typedKey(e *fyne.KeyEvent) {
	if m := k.dialogs.Top(); m != nil {
		m.Key(e)
		return
	}
	switch e.Name {
	case fyne.KeyEscape, fyne.KeyTab:
		k.acts.focusSearch()
	default:
		k.acts.search(e)
	}
}
