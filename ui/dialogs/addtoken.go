package dialogs

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// AddToken asks for an internal connection's secret.
type AddToken struct {
	// OnSubmit gets the secret and reports back through done: nil closes
	// the dialog, an error shows under the field.
	OnSubmit func(secret string, done func(error))
}

// Show opens the dialog.
func (d AddToken) Show(s *Stack) {
	m := s.New()
	entry := m.Entry(true)
	entry.SetPlaceHolder("ntn_…")
	help := Wrapped("Paste the secret of an internal connection (Notion → Settings → Connections → Develop or manage connections → " +
		"your connection → Configuration). Share pages with that connection in Notion to see them here.")
	errLabel := Wrapped("")
	errLabel.Importance = widget.DangerImportance
	errLabel.Hide()
	spin := widget.NewActivity()
	spin.Hide()
	var add *Button
	busy := false
	run := func() {
		if busy || entry.Text == "" {
			return
		}
		busy = true
		add.Disable()
		spin.Show()
		spin.Start()
		errLabel.Hide()
		d.OnSubmit(entry.Text, func(err error) {
			busy = false
			spin.Stop()
			spin.Hide()
			add.Enable()
			if err == nil {
				m.Close()
				return
			}
			errLabel.SetText(err.Error())
			errLabel.Show()
		})
	}
	add = m.Button("Add", widget.HighImportance, run)
	cancel := m.Button("Cancel", widget.MediumImportance, m.Close)
	m.OnCancel, m.OnConfirm = m.Close, run
	m.Show("Add an internal connection", 520, container.NewVBox(help, entry, errLabel, spin), []*Button{cancel, add}, entry)
}
