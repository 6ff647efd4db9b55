package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
)

// connectDialog is "Finish in your browser": it says whether the browser
// opened, offers the link to copy when it did not, and Cancel ends the
// flow. The window runs the flow; the dialog only shows it.
type connectDialog struct {
	m      *modal
	spin   *widget.Activity
	lead   *widget.Label
	info   *widget.Label
	link   *widget.Label
	copy   *dialogButton
	url    string
	cancel context.CancelFunc
}

func (w *Window) newConnectDialog(cancel context.CancelFunc) *connectDialog {
	cd := &connectDialog{m: w.views.modals.newModal(), cancel: cancel}
	cd.spin = widget.NewActivity()
	cd.spin.Start()
	cd.lead = widget.NewLabelWithStyle("Opening your browser…", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	cd.lead.Truncation = fyne.TextTruncateEllipsis
	cd.info = wrapped("Notion's consent page will ask which workspace and pages to share with Pagedeck.")
	cd.link = widget.NewLabel("")
	cd.link.Truncation = fyne.TextTruncateEllipsis
	cd.link.Hide()
	cd.copy = cd.m.button("Copy link", widget.HighImportance, func() { w.copyText(cd.url, "Copied the link") })
	cd.copy.Disable()
	cancelBtn := cd.m.button("Cancel", widget.MediumImportance, func() { cd.cancel() })
	cd.m.cancel = func() { cd.cancel() }
	cd.m.confirm = func() {
		if !cd.copy.Disabled() {
			cd.copy.OnTapped()
		}
	}
	content := container.NewVBox(container.NewBorder(nil, nil, cd.spin, nil, cd.lead), cd.info, cd.link)
	// Nothing takes the focus, so Enter copies the link once there is one
	// and Esc cancels, through the dialog's own keys.
	cd.m.show("Connect a Notion workspace", 500, content, []*dialogButton{cancelBtn, cd.copy}, nil)
	return cd
}

// opening: the flow has its URL and asks the browser to open it.
func (cd *connectDialog) opening(u string) {
	cd.url = u
	cd.link.SetText(u)
	cd.copy.Enable()
}

// opened: the browser's answer.
func (cd *connectDialog) opened(err error) {
	if err == nil {
		cd.lead.SetText("Continue in your browser")
		cd.info.SetText("Your browser opened Notion's consent page. Choose the workspace and the pages to share, " +
			"then click Allow access. This window updates by itself.")
		return
	}
	why := app.Explain(err)
	if errors.Is(err, app.ErrNoOpener) {
		why = "No program is set up to open web links on this computer."
	}
	cd.lead.SetText("Pagedeck could not open your browser")
	cd.info.SetText(why + " Copy this link into a browser to continue; this window updates by itself:")
	cd.link.Show()
}

// connectOpener hands the consent URL to the dialog, then to the real
// opener, and tells the dialog what happened.
type connectOpener struct {
	cd   *connectDialog
	next app.Opener
	do   func(func())
}

func (o connectOpener) OpenURL(u string) error {
	o.do(func() { o.cd.opening(u) })
	err := o.next.OpenURL(u)
	o.do(func() { o.cd.opened(err) })
	return err
}

// startConnect runs the browser flow for a new workspace, or to choose
// more pages of one already connected.
func (w *Window) startConnect() {
	if w.connect != nil {
		return // the dialog is open; it is the only flow
	}
	ctx, cancel := context.WithCancel(w.ctx)
	cd := w.newConnectDialog(cancel)
	w.connect = cd
	op := connectOpener{cd: cd, next: w.deps.Opener, do: w.do}
	w.background(func() {
		ws, err := w.core.Connect(ctx, app.ConnectOptions{Opener: op, NoSync: true})
		w.do(func() {
			cd.spin.Stop()
			cd.m.close()
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
