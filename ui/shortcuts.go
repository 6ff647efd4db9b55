package ui

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/pagedeck/pagedeck/app"
)

// shortcuts are the window's keyboard shortcuts (Ctrl, or Cmd on macOS),
// and what keys do when no widget has the focus.
type shortcuts struct {
	w     *Window
	table map[string]func()
	keys  []desktop.CustomShortcut
}

func newShortcuts(w *Window) *shortcuts { return &shortcuts{w: w, table: map[string]func(){}} }

// shortcutLabel is how a shortcut reads in a tip: "Ctrl+R" or "⌘R".
func shortcutLabel(key string) string {
	if runtime.GOOS == "darwin" {
		return "⌘" + key
	}
	return "Ctrl+" + key
}

func (k *shortcuts) add(key fyne.KeyName, mod fyne.KeyModifier, fn func()) {
	sc := desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault | mod}
	k.table[sc.ShortcutName()] = fn
	k.keys = append(k.keys, sc)
}

func (k *shortcuts) install(c fyne.Canvas) {
	w := k.w
	focus := func() { w.bar.entry.focusAndSelect() }
	k.add(fyne.KeyF, 0, focus)
	k.add(fyne.KeyK, 0, focus)
	k.add(fyne.KeyL, 0, focus)
	k.add(fyne.KeyR, 0, func() { w.refresh(w.st.Selected, false) })
	k.add(fyne.KeyR, fyne.KeyModifierShift, func() { w.refresh(w.st.Selected, true) })
	k.add(fyne.KeyN, 0, w.startConnect)
	k.add(fyne.KeyComma, 0, w.showSettings)
	k.add(fyne.KeyQ, 0, w.quit)
	k.add(fyne.KeyW, 0, w.Close)
	k.add(fyne.KeyC, fyne.KeyModifierShift, w.copyCurrentLink)
	k.add(fyne.KeyD, 0, w.togglePin)
	// Ctrl+Y (Cmd+Y: Quick Look's key in the Finder) reads the page; Space,
	// as in Quick Look, types into the search box, which owns the keyboard.
	// Fyne reports Ctrl+Y as Redo.
	k.table[(&fyne.ShortcutRedo{}).ShortcutName()] = w.togglePreview
	k.add(fyne.KeyReturn, 0, func() { w.results.openCurrent(app.OpenInApp) })
	k.add(fyne.KeyEnter, 0, func() { w.results.openCurrent(app.OpenInApp) })
	k.add(fyne.Key0, 0, func() { w.selectWorkspace("") })
	for i, key := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9} {
		k.add(key, 0, func() {
			if i < len(w.st.Workspaces) {
				w.selectWorkspace(w.st.Workspaces[i].ID)
			}
		})
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
		if len(w.modals) > 0 {
			return
		}
		w.bar.entry.focusAndSelect()
		w.bar.entry.TypedRune(r)
	})
}

// run runs a shortcut and reports whether it was one of the window's. A
// dialog keeps the window's shortcuts away from the window behind it.
func (k *shortcuts) run(s fyne.Shortcut) bool {
	fn, ok := k.table[s.ShortcutName()]
	if !ok || (len(k.w.modals) > 0 && s.ShortcutName() != (&desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}).ShortcutName()) {
		return false
	}
	fn()
	return true
}

func (k *shortcuts) typedKey(e *fyne.KeyEvent) {
	w := k.w
	if m := w.topModal(); m != nil {
		m.key(e)
		return
	}
	switch e.Name {
	case fyne.KeyEscape, fyne.KeyTab:
		w.bar.entry.focusAndSelect()
	default:
		w.bar.entry.TypedKey(e)
	}
}
