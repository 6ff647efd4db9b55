package ui

import (
	"context"
	"errors"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/dialogs"
)

// connectOpener hands the consent URL to the dialog, then to the real
// opener, and tells the dialog what happened.
type connectOpener struct {
	cd   *dialogs.Connect
	next app.Opener
	do   func(func())
}

func (o connectOpener) OpenURL(u string) error {
	o.do(func() { o.cd.Opening(u) })
	err := o.next.OpenURL(u)
	o.do(func() {
		switch {
		case err == nil:
			o.cd.Opened()
		case errors.Is(err, app.ErrNoOpener):
			o.cd.NotOpened("No program is set up to open web links on this computer.")
		default:
			o.cd.NotOpened(app.Explain(err))
		}
	})
	return err
}

// startConnect runs the browser flow for a new workspace, or to choose
// more pages of one already connected.
func (w *Window) startConnect() {
	if w.connect != nil {
		return // the dialog is open; it is the only flow
	}
	ctx, cancel := context.WithCancel(w.ctx)
	cd := &dialogs.Connect{OnCancel: cancel, OnCopy: func(link string) { w.copyText(link, "Copied the link") }}
	cd.Show(w.views.modals)
	w.connect = cd
	op := connectOpener{cd: cd, next: w.deps.Opener, do: w.do}
	w.background(func() {
		ws, err := w.core.Connect(ctx, app.ConnectOptions{Opener: op, NoSync: true})
		w.do(func() {
			cd.Close()
			w.connect = nil
			cancel()
			switch {
			case err == nil:
				// The dialog is done once the grant is kept; the first sync
				// shows its progress in the window like any other.
				w.st.Configured = true
				w.selectWorkspace(ws.ID)
				w.background(w.reloadWorkspaces)
				w.syncNew(ws.ID)
			case errors.Is(err, context.Canceled):
			default:
				w.showConnectError(err)
			}
		})
	})
}

// syncNew runs a newly connected workspace's first sync in the background.
func (w *Window) syncNew(id string) {
	w.background(func() {
		if _, err := w.core.Sync(w.ctx, id, true, nil); err != nil {
			if !errors.Is(err, context.Canceled) {
				w.do(func() { w.showError("Connected, but the first sync failed", err) })
			}
			return
		}
		w.crawl(id)
	})
}

func (w *Window) showConnectError(err error) {
	title, msg := "Could not connect", app.Explain(err)
	switch {
	case errors.Is(err, app.ErrDenied):
		title, msg = "Not connected", "You cancelled on Notion's page, so nothing was connected. Click Connect again if you change your mind."
	case errors.Is(err, app.ErrTimeout):
		title, msg = "Timed out", "The browser did not come back within five minutes. Click Connect to try again; if no browser opens, use Copy link."
	case errors.Is(err, app.ErrPortInUse):
		title = "The callback port is busy"
		msg = app.Explain(err) + ". Another program (or another Pagedeck) is using it; choose another port in Settings and register it in Notion."
	case errors.Is(err, app.ErrNotConfigured):
		title = "Set up a Notion connection first"
		msg = "Pagedeck needs the client ID and secret of a Notion connection you registered, or a token broker. Enter them in Settings; the README explains how to register one."
	case errors.Is(err, app.ErrKeychainUnavailable):
		w.showKeychainHelp(err)
		return
	}
	w.showMessage(title, msg)
}
