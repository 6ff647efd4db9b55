package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
)

// ---- Connecting ----

// connectDialog is "Finish in your browser": a spinner, Copy link for when
// no browser opened, and Cancel, which ends the flow.
type connectDialog struct {
	d      dialog.Dialog
	cancel context.CancelFunc
	link   *widget.Button
	info   *widget.Label

	mu  sync.Mutex
	url string
}

// urlOpener hands the consent URL to the dialog, then to the real opener.
type urlOpener struct {
	cd   *connectDialog
	next app.Opener
	do   func(func())
}

func (o urlOpener) OpenURL(u string) error {
	o.cd.mu.Lock()
	o.cd.url = u
	o.cd.mu.Unlock()
	o.do(func() { o.cd.link.Enable() })
	return o.next.OpenURL(u)
}

func (w *Window) startConnect() {
	if w.connect != nil {
		w.connect.d.Show()
		return
	}
	ctx, cancel := context.WithCancel(w.ctx)
	cd := &connectDialog{cancel: cancel}
	cd.info = widget.NewLabel("Pagedeck opened Notion in your browser. Choose the workspace and the pages to share, then click Allow access. This window updates by itself.")
	cd.info.Wrapping = fyne.TextWrapWord
	spin := widget.NewActivity()
	spin.Start()
	cd.link = widget.NewButtonWithIcon("Copy link", theme.ContentCopyIcon(), func() {
		cd.mu.Lock()
		u := cd.url
		cd.mu.Unlock()
		w.copy(u)
	})
	cd.link.Disable()
	cancelBtn := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { cd.cancel() })
	lead := widget.NewLabelWithStyle("Finish in your browser", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	content := container.NewVBox(
		container.NewHBox(spin, lead),
		cd.info,
		widget.NewLabel("No browser opened? Copy the link and paste it into one."),
		container.NewHBox(cd.link, cancelBtn),
	)
	cd.d = dialog.NewCustomWithoutButtons("Connect a Notion workspace", container.NewPadded(content), w.win)
	cd.d.Resize(fyne.NewSize(480, 0))
	w.connect = cd
	cd.d.Show()

	op := urlOpener{cd: cd, next: w.deps.Opener, do: w.do}
	w.goBackground(func() {
		ws, err := w.core.Authorize(ctx, op, 0)
		w.do(func() {
			spin.Stop()
			cd.d.Hide()
			w.connect = nil
			cancel()
			switch {
			case err == nil:
				// The dialog is done once the grant is kept; the first sync
				// shows its progress in the window like any other.
				w.configured = true
				// The sidebar selects it once the reload lists it.
				w.selected = ws.ID
				w.runSearch(true)
				w.goBackground(w.reloadWorkspaces)
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
	w.goBackground(func() {
		if _, err := w.core.Sync(w.ctx, id, true, nil); err != nil && !errors.Is(err, context.Canceled) {
			w.do(func() { w.showError("Connected, but the first sync failed", err) })
		}
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
		msg = err.Error() + ". Another program (or another Pagedeck) is using it."
	case errors.Is(err, app.ErrNotConfigured):
		title = "Set up a Notion connection first"
		msg = "Pagedeck needs the client ID and secret of a Notion connection you registered, or a token broker. Enter them in Settings; the README explains how to register one."
	case errors.Is(err, app.ErrKeychainUnavailable):
		w.showKeychainHelp(err)
		return
	}
	w.showMessage(title, msg)
}

// ---- Internal token ----

func (w *Window) showAddToken() {
	entry := widget.NewPasswordEntry()
	entry.SetPlaceHolder("ntn_…")
	help := widget.NewLabel("Paste the secret of an internal connection (Notion → Settings → Connections → Develop or manage connections → your connection → Configuration). Share pages with that connection in Notion to see them here.")
	help.Wrapping = fyne.TextWrapWord
	errLabel := widget.NewLabel("")
	errLabel.Importance = widget.DangerImportance
	errLabel.Wrapping = fyne.TextWrapWord
	errLabel.Hide()
	spin := widget.NewActivity()
	var d dialog.Dialog
	var add *widget.Button
	add = widget.NewButtonWithIcon("Add", theme.ConfirmIcon(), func() {
		secret := entry.Text
		add.Disable()
		spin.Show()
		spin.Start()
		errLabel.Hide()
		w.goBackground(func() {
			ws, err := w.core.AddToken(w.ctx, secret)
			w.do(func() {
				spin.Stop()
				spin.Hide()
				add.Enable()
				var fse *app.FirstSyncError
				if err != nil && !errors.As(err, &fse) {
					if errors.Is(err, app.ErrKeychainUnavailable) {
						d.Hide()
						w.showKeychainHelp(err)
						return
					}
					errLabel.SetText(app.Explain(err))
					errLabel.Show()
					return
				}
				d.Hide()
				w.selected = ws.ID
				w.runSearch(true)
				w.goBackground(w.reloadWorkspaces)
			})
		})
	})
	add.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	spin.Hide()
	content := container.NewVBox(help, entry, errLabel, container.NewHBox(spin, layoutSpacer(), cancel, add))
	d = dialog.NewCustomWithoutButtons("Add an internal connection", container.NewPadded(content), w.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
	w.win.Canvas().Focus(entry)
}

// ---- Disconnect ----

func (w *Window) confirmDisconnect(id string) {
	ws := w.workspace(id)
	if ws == nil {
		return
	}
	name := ws.Name
	msg := "Pagedeck will revoke its access at Notion and forget the cached list. Your pages in Notion are not touched."
	if ws.Auth == "token" {
		msg = "Pagedeck will forget the token and the cached list. To stop the internal connection itself, delete it in Notion."
	}
	dialog.ShowConfirm("Disconnect "+name+"?", msg, func(ok bool) {
		if !ok {
			return
		}
		w.disconnect(id, name, true)
	}, w.win)
}

// disconnect removes a workspace; when revoking at Notion fails (offline,
// a removed client secret) it offers to forget the workspace anyway.
func (w *Window) disconnect(id, name string, revoke bool) {
	w.goBackground(func() {
		err := w.core.Disconnect(w.ctx, id, revoke)
		w.do(func() {
			switch {
			case err == nil:
				if w.selected == id {
					w.selectWorkspace("")
				}
			case revoke && !errors.Is(err, app.ErrKeychainUnavailable):
				dialog.ShowConfirm("Could not revoke access to "+name,
					app.Explain(err)+"\n\nForget "+name+" here anyway? Then remove Pagedeck under Settings → Connections in Notion.",
					func(ok bool) {
						if ok {
							w.disconnect(id, name, false)
						}
					}, w.win)
			default:
				w.showError("Could not disconnect "+name, err)
			}
		})
	})
}

// ---- Settings ----

func (w *Window) showSettings() {
	w.goBackground(func() {
		s, err := w.core.Settings(w.ctx)
		w.do(func() {
			if err != nil {
				if errors.Is(err, app.ErrKeychainUnavailable) {
					w.showKeychainHelp(err)
					return
				}
				w.showError("Could not read the settings", err)
				return
			}
			w.settingsDialog(s)
		})
	})
}

var refreshChoices = []struct {
	label string
	every time.Duration
}{
	{"Never", 0}, {"Every 5 minutes", 5 * time.Minute}, {"Every 15 minutes", 15 * time.Minute},
	{"Every 30 minutes", 30 * time.Minute}, {"Every hour", time.Hour}, {"Every 6 hours", 6 * time.Hour},
}

func (w *Window) settingsDialog(s app.Settings) {
	env := func(e *widget.Entry, key, variable string) {
		if s.FromEnv[key] {
			e.Disable()
			e.SetPlaceHolder("set by " + variable)
		}
	}
	clientID := widget.NewEntry()
	clientID.SetText(s.ClientID)
	clientID.Validator = func(v string) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		return app.ValidateClientID(v)
	}
	env(clientID, app.SettingClientID, app.EnvClientID)
	secret := widget.NewPasswordEntry()
	if s.HasClientSecret {
		secret.SetPlaceHolder("saved in the keychain; type to replace")
	} else {
		secret.SetPlaceHolder("kept in the keychain, never on disk")
	}
	env(secret, "client_secret", app.EnvClientSecret)
	redirect := widget.NewEntry()
	redirect.SetText(s.RedirectURI)
	redirect.SetPlaceHolder(app.DefaultRedirectURI)
	redirect.Validator = func(v string) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		return app.ValidateRedirectURI(strings.TrimSpace(v))
	}
	env(redirect, app.SettingRedirectURI, app.EnvRedirectURI)
	broker := widget.NewEntry()
	broker.SetText(s.BrokerURL)
	broker.SetPlaceHolder("https://broker.example.com (optional)")
	broker.Validator = func(v string) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		return app.ValidateBrokerURL(strings.TrimSpace(v))
	}
	env(broker, app.SettingBrokerURL, app.EnvBrokerURL)
	openIn := widget.NewRadioGroup([]string{"Browser", "Notion app"}, nil)
	openIn.Horizontal = true
	openIn.Required = true
	openIn.SetSelected("Browser")
	if s.OpenIn == app.OpenInApp {
		openIn.SetSelected("Notion app")
	}
	labels := make([]string, len(refreshChoices))
	chosen := "Every 15 minutes"
	for i, c := range refreshChoices {
		labels[i] = c.label
		if c.every == s.RefreshInterval {
			chosen = c.label
		}
	}
	refresh := widget.NewSelect(labels, nil)
	refresh.SetSelected(chosen)

	form := widget.NewForm(
		widget.NewFormItem("Client ID", clientID),
		widget.NewFormItem("Client secret", secret),
		widget.NewFormItem("Redirect URI", redirect),
		widget.NewFormItem("Token broker URL", broker),
		widget.NewFormItem("Open links in", openIn),
		widget.NewFormItem("Refresh", refresh),
	)
	form.Items[2].HintText = "Register exactly this in Notion's portal"
	form.Items[3].HintText = "Instead of a client secret: a broker that holds it"
	errLabel := widget.NewLabel("")
	errLabel.Importance = widget.DangerImportance
	errLabel.Wrapping = fyne.TextWrapWord
	errLabel.Hide()

	var d dialog.Dialog
	save := widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() {
		next := app.Settings{
			ClientID: clientID.Text, RedirectURI: redirect.Text, BrokerURL: broker.Text,
			OpenIn: app.OpenInBrowser, RefreshInterval: app.DefaultRefreshInterval,
		}
		if s.FromEnv[app.SettingClientID] {
			next.ClientID = s.ClientID
		}
		if s.FromEnv[app.SettingRedirectURI] {
			next.RedirectURI = s.RedirectURI
		}
		if s.FromEnv[app.SettingBrokerURL] {
			next.BrokerURL = s.BrokerURL
		}
		if openIn.Selected == "Notion app" {
			next.OpenIn = app.OpenInApp
		}
		for _, c := range refreshChoices {
			if c.label == refresh.Selected {
				next.RefreshInterval = c.every
			}
		}
		newSecret := app.Secret(strings.TrimSpace(secret.Text))
		w.goBackground(func() {
			err := w.core.SaveSettings(w.ctx, next, newSecret, false)
			configured := w.core.Configured(w.ctx)
			w.do(func() {
				if err != nil {
					errLabel.SetText(app.Explain(err))
					errLabel.Show()
					return
				}
				d.Hide()
				w.settings = next
				w.configured = configured
				w.scheduleRefresh()
				w.updateBody()
			})
		})
	})
	save.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	content := container.NewVBox(form, errLabel, container.NewHBox(layoutSpacer(), cancel, save))
	d = dialog.NewCustomWithoutButtons("Settings", container.NewPadded(content), w.win)
	d.Resize(fyne.NewSize(620, 0))
	d.Show()
}

// ---- Messages ----

func (w *Window) showMessage(title, msg string) {
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "OK", container.NewPadded(l), w.win)
	d.Resize(fyne.NewSize(460, 0))
	d.Show()
}

func (w *Window) showError(title string, err error) {
	if errors.Is(err, app.ErrKeychainUnavailable) {
		w.showKeychainHelp(err)
		return
	}
	w.showMessage(title, app.Explain(err))
}

// showKeychainHelp explains, for this OS, how to make the keychain work.
func (w *Window) showKeychainHelp(err error) {
	w.showMessage("The keychain is unavailable",
		fmt.Sprintf("Pagedeck keeps tokens only in your system keychain, and it could not use it.\n\n%s\n\nYour cached pages are safe; try again once the keychain works.", app.KeychainHint(err)))
}

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }
