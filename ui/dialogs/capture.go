package dialogs

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// Capture is "New page in…" (a title and a body) or "Append to…" (text):
// writing to Notion from the window or Quick Open. Enter sends from any
// field; Shift+Enter starts a new line in the text.
type Capture struct {
	Append bool   // append to Target; otherwise a new page under it
	Target string // the page's or database's title, as the person knows it
	// Fields are a database row's properties, the title first; none for
	// a page under a page.
	Fields []app.FormField
	// OnSubmit keeps the capture (the outbox sends it) and reports
	// through done: nil closes the dialog, an error shows in it and keeps
	// what was typed. props are a row's values as typed, by name.
	OnSubmit func(title, body string, props map[string]string, done func(error))
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
	var props func() map[string]string
	if len(d.Fields) > 0 {
		heading = "New row in “" + d.Target + "”"
		var form *widget.Form
		form, props = d.rowForm(m, title)
		fields = container.NewVBox(form, body, errLabel)
	}
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
		var values map[string]string
		if props != nil {
			values = props()
		}
		d.OnSubmit(t, b, values, func(err error) {
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

// AcceptsTab is false: Tab moves on to the next field, as in every other
// field of a dialog, instead of typing a tab into the text.
func (n *Note) AcceptsTab() bool { return false }

func (n *Note) TypedKey(k *fyne.KeyEvent) {
	if (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && widgets.ShiftHeld() {
		n.Entry.TypedKey(k)
		return
	}
	if !n.m.Key(k) {
		n.Entry.TypedKey(k)
	}
}

// rowForm is one field per property of a database row: the title (in
// title), drop-downs for a select or a status, a box for a checkbox, a
// line for the rest with a word on what it takes. values reads them back.
func (d Capture) rowForm(m *Modal, title *Entry) (form *widget.Form, values func() map[string]string) {
	form = widget.NewForm()
	var reads []func(map[string]string)
	// The title first, then what a row is usually filed by: its status, a
	// select, a date… (Notion's API gives no order of its own).
	fields := slices.Clone(d.Fields)
	slices.SortStableFunc(fields, func(a, b app.FormField) int { return fieldRank(a.Type) - fieldRank(b.Type) })
	for _, f := range fields {
		name := f.Name
		switch f.Type {
		case "title":
			title.SetPlaceHolder(name)
			form.Append(name, title)
		case "select", "status":
			sel := m.Select(f.Options)
			sel.PlaceHolder = "(none)"
			form.Append(name, sel)
			reads = append(reads, func(v map[string]string) { v[name] = sel.Selected })
		case "checkbox":
			c := m.Check("")
			form.Append(name, c)
			reads = append(reads, func(v map[string]string) {
				if c.Checked {
					v[name] = "true"
				}
			})
		default:
			e := m.Entry(false)
			e.SetPlaceHolder(fieldHint(f))
			form.Append(name, e)
			reads = append(reads, func(v map[string]string) { v[name] = strings.TrimSpace(e.Text) })
		}
	}
	return form, func() map[string]string {
		v := map[string]string{}
		for _, read := range reads {
			read(v)
		}
		return v
	}
}

// fieldRank orders a row form's fields.
func fieldRank(t string) int {
	if r := slices.Index([]string{"title", "status", "select", "date", "multi_select", "checkbox", "number"}, t); r >= 0 {
		return r
	}
	return 7
}

// fieldHint says what a property's line takes.
func fieldHint(f app.FormField) string {
	switch f.Type {
	case "multi_select":
		if len(f.Options) > 0 {
			return "comma-separated: " + strings.Join(f.Options[:min(len(f.Options), 4)], ", ")
		}
		return "comma-separated"
	case "date":
		return "2026-12-24, today or tomorrow"
	case "number":
		return "a number"
	case "url":
		return "https://…"
	case "email":
		return "name@example.com"
	case "phone_number":
		return "a phone number"
	}
	return ""
}
