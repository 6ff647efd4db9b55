package ui

import (
	"errors"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/dialogs"
)

// confirmDisconnect asks, then revokes and forgets a workspace.
func (w *Window) confirmDisconnect(id string) {
	ws := w.workspace(id)
	if ws == nil {
		return
	}
	name := ws.Name
	msg := "Pagedeck will revoke its access at Notion and forget the cached list of " + name + ". Your pages in Notion are not touched."
	if ws.Auth == "token" {
		msg = "Pagedeck will forget the token and the cached list of " + name + ". To stop the internal connection itself, delete it in Notion."
	}
	dialogs.Confirm(w.views.modals, "Disconnect "+name+"?", msg, "Disconnect", func() { w.disconnect(id, name, true) })
}

// disconnect removes a workspace; when revoking at Notion fails (offline,
// a removed client secret) it offers to forget the workspace anyway.
func (w *Window) disconnect(id, name string, revoke bool) {
	w.background(func() {
		err := w.core.Disconnect(w.ctx, id, revoke)
		w.do(func() {
			switch {
			case err == nil:
				if w.st.Selected == id {
					w.selectWorkspace("")
				}
				w.views.status.confirm("Disconnected " + name)
			case revoke && errors.Is(err, app.ErrRevokeFailed):
				dialogs.Confirm(w.views.modals, "Could not revoke access to "+name,
					app.Explain(err)+"\n\nForget "+name+" here anyway? Then remove Pagedeck under Settings → Connections in Notion.",
					"Forget "+name, func() { w.disconnect(id, name, false) })
			default:
				w.showError("Could not disconnect "+name, err)
			}
		})
	})
}
