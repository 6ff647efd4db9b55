// Package dialogs holds the window's dialogs. Each one shows what it is
// given and reports what the person chose through callbacks (OnSubmit,
// OnCancel and the like); none of them knows the window or the core.
package dialogs

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Modal is an open dialog. Every dialog answers Esc with cancel and Enter
// with confirm (its default button), whatever has the focus inside it:
// Fyne's dialogs ignore both keys, so the fields and buttons that dialogs
// use here are small subclasses that pass the two keys on.
type Modal struct {
	stack     *Stack
	d         dialog.Dialog
	OnCancel  func() // Esc
	OnConfirm func() // Enter; nil: Enter does what Esc does
	closed    bool
}

// Key answers Esc and Enter for the dialog.
func (m *Modal) Key(e *fyne.KeyEvent) bool {
	switch e.Name {
	case fyne.KeyEscape:
		m.OnCancel()
		return true
	case fyne.KeyReturn, fyne.KeyEnter:
		if m.OnConfirm != nil {
			m.OnConfirm()
		} else {
			m.OnCancel()
		}
		return true
	}
	return false
}

// Close hides the dialog; the focus goes back to where it was.
func (m *Modal) Close() {
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

// Stack is a window's open dialogs, innermost last.
type Stack struct {
	win  fyne.Window
	open []*Modal
}

// NewStack is the dialogs of win.
func NewStack(win fyne.Window) *Stack { return &Stack{win: win} }

// Any says whether a dialog is open.
func (s *Stack) Any() bool { return len(s.open) > 0 }

// Top is the innermost open dialog, or nil.
func (s *Stack) Top() *Modal {
	if len(s.open) == 0 {
		return nil
	}
	return s.open[len(s.open)-1]
}

// New prepares a dialog; its fields and buttons are made with its
// methods, and Show opens it.
func (s *Stack) New() *Modal { return &Modal{stack: s} }

// Show opens the dialog with content and a row of buttons, and focuses
// first (a field, or the default button).
func (m *Modal) Show(title string, width float32, content fyne.CanvasObject, buttons []*Button, first fyne.Focusable) {
	row := container.NewHBox(layout.NewSpacer())
	for _, b := range buttons {
		row.Add(b)
	}
	// A form taller than the window scrolls, so its buttons stay on
	// screen however small the window is.
	if room := m.roomFor(row); content.MinSize().Height > room {
		scroll := container.NewVScroll(content)
		scroll.SetMinSize(fyne.NewSize(content.MinSize().Width, room))
		content = scroll
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

// roomFor is the height a dialog's content may take in the window: what is
// left after the dialog's title, its buttons and the paddings around them.
func (m *Modal) roomFor(buttons fyne.CanvasObject) float32 {
	win := m.stack.win.Canvas().Size().Height
	title := theme.TextSubHeadingSize() + 2*theme.Padding()
	room := win - title - buttons.MinSize().Height - 10*theme.Padding()
	return max(room, 3*buttons.MinSize().Height)
}

// Wrapped is a paragraph for a dialog.
func Wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
