package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// modal is an open dialog. Every dialog answers Esc with cancel and Enter
// with confirm (its default button), whatever has the focus inside it:
// Fyne's dialogs ignore both keys, so the fields and buttons that dialogs
// use here are small subclasses that pass the two keys on.
type modal struct {
	stack   *modals
	d       dialog.Dialog
	cancel  func() // Esc
	confirm func() // Enter; nil: Enter does what Esc does
	closed  bool
}

// key answers Esc and Enter for the dialog.
func (m *modal) key(e *fyne.KeyEvent) bool {
	switch e.Name {
	case fyne.KeyEscape:
		m.cancel()
		return true
	case fyne.KeyReturn, fyne.KeyEnter:
		if m.confirm != nil {
			m.confirm()
		} else {
			m.cancel()
		}
		return true
	}
	return false
}

// close hides the dialog; the focus goes back to where it was.
func (m *modal) close() {
	if m.closed {
		return
	}
	m.closed = true
	m.d.Hide()
	for i, o := range m.stack.open {
		if o == m {
			m.stack.open = append(m.stack.open[:i], m.stack.open[i+1:]...)
			break
		}
	}
}

// modals are a window's open dialogs, innermost last.
type modals struct {
	win  fyne.Window
	open []*modal
}

// any says whether a dialog is open.
func (s *modals) any() bool { return len(s.open) > 0 }

// top is the innermost open dialog, or nil.
func (s *modals) top() *modal {
	if len(s.open) == 0 {
		return nil
	}
	return s.open[len(s.open)-1]
}

// newModal prepares a dialog; its fields and buttons are made with its
// methods, and show opens it.
func (s *modals) newModal() *modal { return &modal{stack: s} }

// show opens the dialog with content and a row of buttons, and focuses
// first (a field, or the default button).
func (m *modal) show(title string, width float32, content fyne.CanvasObject, buttons []*dialogButton, first fyne.Focusable) {
	row := container.NewHBox(layout.NewSpacer())
	for _, b := range buttons {
		row.Add(b)
	}
	body := container.NewPadded(container.NewBorder(nil, row, nil, nil, content))
	m.d = dialog.NewCustomWithoutButtons(title, body, m.stack.win)
	m.d.Resize(fyne.NewSize(width, 0))
	m.stack.open = append(m.stack.open, m)
	m.d.Show()
	if first != nil {
		m.stack.win.Canvas().Focus(first)
	}
}

// button is a dialog button; Enter presses it when it has the focus.
func (m *modal) button(label string, imp widget.Importance, tapped func()) *dialogButton {
	b := &dialogButton{m: m}
	b.Text = label
	b.Importance = imp
	b.OnTapped = tapped
	b.ExtendBaseWidget(b)
	return b
}

// entry is a one-line field; Enter confirms, Esc cancels.
func (m *modal) entry(password bool) *dialogEntry {
	e := &dialogEntry{m: m}
	e.Password = password
	e.ExtendBaseWidget(e)
	return e
}

// selection is a drop-down list.
func (m *modal) selection(options []string) *dialogSelect {
	s := &dialogSelect{m: m}
	s.Options = options
	s.ExtendBaseWidget(s)
	return s
}

type dialogButton struct {
	widget.Button
	m *modal
}

func (b *dialogButton) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if !b.Disabled() {
			b.Tapped(nil)
		}
	case fyne.KeyEscape:
		b.m.cancel()
	default:
		b.Button.TypedKey(e)
	}
}

type dialogEntry struct {
	widget.Entry
	m *modal
}

func (e *dialogEntry) TypedKey(k *fyne.KeyEvent) {
	if !e.m.key(k) {
		e.Entry.TypedKey(k)
	}
}

// check is a checkbox.
func (m *modal) check(label string) *dialogCheck {
	c := &dialogCheck{m: m}
	c.Text = label
	c.ExtendBaseWidget(c)
	return c
}

type dialogCheck struct {
	widget.Check
	m *modal
}

func (c *dialogCheck) TypedKey(k *fyne.KeyEvent) {
	if !c.m.key(k) {
		c.Check.TypedKey(k)
	}
}

type dialogSelect struct {
	widget.Select
	m *modal
}

func (s *dialogSelect) TypedKey(k *fyne.KeyEvent) {
	if !s.m.key(k) {
		s.Select.TypedKey(k)
	}
}

// wrapped is a paragraph for a dialog.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// confirmDialog asks before something that cannot be undone. The button
// says what it does; Cancel is the default, so Enter never destroys.
func (w *Window) confirmDialog(title, msg, action string, run func()) {
	m := w.views.modals.newModal()
	cancel := m.button("Cancel", widget.HighImportance, m.close)
	do := m.button(action, widget.DangerImportance, func() {
		m.close()
		run()
	})
	m.cancel = m.close
	m.show(title, 460, wrapped(msg), []*dialogButton{do, cancel}, cancel)
}
