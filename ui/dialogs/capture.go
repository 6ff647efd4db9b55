package dialogs

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// Capture is "New page in…" (a title and a body) or "Append to…" (text):
// writing to Notion from the window or Quick Open. Enter sends from any
// field; Shift+Enter starts a new line in the text.
type Capture struct {
	Append bool   // append to Target; otherwise a new page under it
	Target string // the page's title, as the person knows it
	// OnSubmit keeps the capture (the outbox sends it) and reports
	// through done: nil closes the dialog, an error shows in it and keeps
	// what was typed.
	OnSubmit func(title, body string, done func(error))
}

// Show opens the dialog.
func (d Capture) Show(s *Stack) {
	m := s.New()
	title := m.Entry(false)
	title.SetPlaceHolder("Title")
	body := m.note()
	body.SetPlaceHolder("Text, in markdown (Shift+Enter: new line)")
	body.SetMinRowsVisible(4)
	errLabel := Wrapped("")
	errLabel.Importance = widget.DangerImportance
	errLabel.Hide()
	heading, action := "New page in “"+d.Target+"”", "Create"
	fields := fyne.CanvasObject(container.NewVBox(title, body, errLabel))
	first := fyne.Focusable(title)
	if d.Append {
		heading, action = "Append to “"+d.Target+"”", "Append"
		fields, first = container.NewVBox(body, errLabel), body
	}
	var send *Button
	busy := false
	run := func() {
		t, b := strings.TrimSpace(title.Text), strings.TrimSpace(body.Text)
		missing := ""
		switch {
		case busy:
			return
		case d.Append && b == "":
			missing = "Type the text to append."
		case !d.Append && t == "":
			missing = "A new page needs a title."
		}
		if missing != "" {
			errLabel.SetText(missing)
			errLabel.Show()
			return
		}
		busy = true
		send.Disable()
		d.OnSubmit(t, b, func(err error) {
			busy = false
			send.Enable()
			if err == nil {
				m.Close()
				return
			}
			errLabel.SetText(err.Error())
			errLabel.Show()
		})
	}
	send = m.Button(action, widget.HighImportance, run)
	cancel := m.Button("Cancel", widget.MediumImportance, m.Close)
	m.OnCancel, m.OnConfirm = m.Close, run
	m.Show(heading, 560, fields, []*Button{cancel, send}, first)
}

// Note is a text of several lines: Enter confirms the dialog as in every
// field, Shift+Enter starts a new line.
type Note struct {
	widget.Entry
	m *Modal
}

func (m *Modal) note() *Note {
	n := &Note{m: m}
	n.MultiLine = true
	n.Wrapping = fyne.TextWrapWord
	n.ExtendBaseWidget(n)
	return n
}

func (n *Note) TypedKey(k *fyne.KeyEvent) {
	if (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && widgets.ShiftHeld() {
		n.Entry.TypedKey(k)
		return
	}
	if !n.m.Key(k) {
		n.Entry.TypedKey(k)
	}
}
