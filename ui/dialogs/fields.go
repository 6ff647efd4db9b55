package dialogs

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// The fields and buttons of a dialog: Fyne's own, passing Esc and Enter
// to the dialog.

// Button is a dialog button; Enter presses it when it has the focus.
type Button struct {
	widget.Button
	m *Modal
}

// Button makes a button of the dialog.
func (m *Modal) Button(label string, imp widget.Importance, tapped func()) *Button {
	b := &Button{m: m}
	b.Text = label
	b.Importance = imp
	b.OnTapped = tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *Button) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if !b.Disabled() {
			b.Tapped(nil)
		}
	case fyne.KeyEscape:
		b.m.OnCancel()
	default:
		b.Button.TypedKey(e)
	}
}

// Entry is a one-line field; Enter confirms, Esc cancels.
type Entry struct {
	widget.Entry
	m *Modal
}

// Entry makes a field of the dialog; a password field hides its text.
func (m *Modal) Entry(password bool) *Entry {
	e := &Entry{m: m}
	e.Password = password
	e.ExtendBaseWidget(e)
	return e
}

func (e *Entry) TypedKey(k *fyne.KeyEvent) {
	if !e.m.Key(k) {
		e.Entry.TypedKey(k)
	}
}

// Check is a checkbox.
type Check struct {
	widget.Check
	m *Modal
}

// Check makes a checkbox of the dialog.
func (m *Modal) Check(label string) *Check {
	c := &Check{m: m}
	c.Text = label
	c.ExtendBaseWidget(c)
	return c
}

func (c *Check) TypedKey(k *fyne.KeyEvent) {
	if !c.m.Key(k) {
		c.Check.TypedKey(k)
	}
}

// Select is a drop-down list.
type Select struct {
	widget.Select
	m *Modal
}

// Select makes a drop-down list of the dialog.
func (m *Modal) Select(options []string) *Select {
	s := &Select{m: m}
	s.Options = options
	s.ExtendBaseWidget(s)
	return s
}

func (s *Select) TypedKey(k *fyne.KeyEvent) {
	if !s.m.Key(k) {
		s.Select.TypedKey(k)
	}
}
