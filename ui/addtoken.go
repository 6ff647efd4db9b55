package ui

import (
	"errors"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
)

// addTokenDialog asks for an internal connection's secret. It hands the
// secret to submit, which reports back through done: nil closes it, an
// error shows under the field.
func (w *Window) addTokenDialog(submit func(secret string, done func(error))) {
	m := w.views.modals.newModal()
	entry := m.entry(true)
	entry.SetPlaceHolder("ntn_…")
	help := wrapped("Paste the secret of an internal connection (Notion → Settings → Connections → Develop or manage connections → " +
		"your connection → Configuration). Share pages with that connection in Notion to see them here.")
	errLabel := wrapped("")
	errLabel.Importance = widget.DangerImportance
	errLabel.Hide()
	spin := widget.NewActivity()
	spin.Hide()
	var add *dialogButton
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
		submit(entry.Text, func(err error) {
			busy = false
			spin.Stop()
			spin.Hide()
			add.Enable()
			if err == nil {
				m.close()
				return
			}
			errLabel.SetText(err.Error())
			errLabel.Show()
		})
	}
	add = m.button("Add", widget.HighImportance, run)
	cancel := m.button("Cancel", widget.MediumImportance, m.close)
	m.cancel, m.confirm = m.close, run
	m.show("Add an internal connection", 520, container.NewVBox(help, entry, errLabel, spin), []*dialogButton{cancel, add}, entry)
}

// showAddToken checks and stores a pasted internal token.
func (w *Window) showAddToken() {
	w.addTokenDialog(func(secret string, done func(error)) {
		w.background(func() {
			ws, err := w.core.Connect(w.ctx, app.ConnectOptions{InternalToken: secret})
			w.do(func() {
				var fse *app.FirstSyncError
				switch {
				case err != nil && errors.Is(err, app.ErrKeychainUnavailable):
					done(nil)
					w.showKeychainHelp(err)
					return
				case err != nil && !errors.As(err, &fse):
					done(errors.New(app.Explain(err)))
					return
				}
				done(nil)
				w.selectWorkspace(ws.ID)
				w.background(w.reloadWorkspaces)
				if fse != nil {
					w.showError("Connected, but the first sync failed", fse.Err)
					return
				}
				// As after a browser connect: the pages' content follows.
				w.crawl(ws.ID)
			})
		})
	})
}
