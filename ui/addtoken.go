package ui

import (
	"errors"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/dialogs"
)

// showAddToken checks and stores a pasted internal token.
func (w *Window) showAddToken() {
	dialogs.AddToken{OnSubmit: func(secret string, done func(error)) {
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
	}}.Show(w.views.modals)
}
