package ui

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/autostart"
	"github.com/pagedeck/pagedeck/app/hotkey"
)

var refreshChoices = []struct {
	label string
	every time.Duration
}{
	{"Never", 0}, {"Every 5 minutes", 5 * time.Minute}, {"Every 15 minutes", 15 * time.Minute},
	{"Every 30 minutes", 30 * time.Minute}, {"Every hour", time.Hour}, {"Every 6 hours", 6 * time.Hour},
}

var openChoices = []struct {
	label string
	mode  app.OpenMode
}{{"Browser", app.OpenInBrowser}, {"Notion app", app.OpenInApp}}

// settingsField is one text setting with its check and its error line.
type settingsField struct {
	entry *dialogEntry
	err   *widget.Label
	check func(string) error
	fixed bool
}

func (f *settingsField) valid() bool {
	if f.fixed || f.check == nil {
		return true
	}
	v := strings.TrimSpace(f.entry.Text)
	err := error(nil)
	if v != "" {
		err = f.check(v)
	}
	if err != nil {
		f.err.SetText(err.Error())
		f.err.Show()
		return false
	}
	f.err.Hide()
	return true
}

func (f *settingsField) object() fyne.CanvasObject { return container.NewVBox(f.entry, f.err) }

// settingsDialog edits s. Each field says what is wrong with it as it is
// typed, and Save stays off until every field is right. Fields that an
// environment variable (or the demo) sets are shown as such and kept.
// keychainErr, when set, is why the client secret cannot be read or
// changed now; the rest still can. submit saves and reports through done.
func (w *Window) settingsDialog(s app.Settings, l launcherSettings, keychainErr error, submit func(next app.Settings, secret app.Secret, l launcherSettings, done func(error))) {
	m := w.views.modals.newModal()
	field := func(key, value, placeholder string, check func(string) error) *settingsField {
		f := &settingsField{entry: m.entry(key == app.SettingClientSecret), err: wrapped(""), check: check}
		f.err.Importance = widget.DangerImportance
		f.err.Hide()
		f.entry.SetText(value)
		f.entry.SetPlaceHolder(placeholder)
		if by := s.FixedBy[key]; by != "" {
			f.fixed = true
			f.entry.SetText("")
			f.entry.SetPlaceHolder("set by " + by)
			f.entry.Disable()
		}
		return f
	}
	clientID := field(app.SettingClientID, s.ClientID, "from Notion's developer portal", app.ValidateClientID)
	secretHint := "kept in the keychain, never on disk"
	if s.HasClientSecret {
		secretHint = "saved in the keychain; type to replace"
	}
	secret := field(app.SettingClientSecret, "", secretHint, func(v string) error {
		if strings.ContainsAny(v, " \t") {
			return errors.New("it contains spaces; paste only the secret")
		}
		return nil
	})
	if keychainErr != nil && !secret.fixed {
		secret.entry.SetPlaceHolder("the keychain is unavailable")
		secret.entry.Disable()
		secret.fixed = true
	}
	redirect := field(app.SettingRedirectURI, s.RedirectURI, app.DefaultRedirectURI, app.ValidateRedirectURI)
	broker := field(app.SettingBrokerURL, s.BrokerURL, "https://broker.example.com (optional)", app.ValidateBrokerURL)
	hk := field(app.SettingHotkey, l.hotkey, hotkey.DefaultString+" (the default)", func(v string) error {
		_, err := hotkey.Parse(v)
		return err
	})
	if l.hotkeyFixedBy != "" {
		hk.fixed = true
		hk.entry.SetText("")
		hk.entry.SetPlaceHolder("set by " + l.hotkeyFixedBy)
		hk.entry.Disable()
	}
	fields := []*settingsField{clientID, secret, redirect, broker, hk}
	login := m.check("Start Pagedeck at login, in the background")
	login.SetChecked(l.atLogin)
	if l.loginErr != nil {
		login.Disable()
	}
	keep := m.check("Keep running in the tray when the window closes")
	keep.SetChecked(l.keepInTray)
	if !l.hasTray {
		keep.Hide()
	}

	openLabels := []string{}
	openIn := ""
	for _, c := range openChoices {
		openLabels = append(openLabels, c.label)
		if c.mode == s.OpenIn || openIn == "" {
			openIn = c.label
		}
	}
	open := m.selection(openLabels)
	open.SetSelected(openIn)
	refreshLabels := []string{}
	chosen := "Every 15 minutes"
	for _, c := range refreshChoices {
		refreshLabels = append(refreshLabels, c.label)
		if c.every == s.RefreshInterval {
			chosen = c.label
		}
	}
	refresh := m.selection(refreshLabels)
	refresh.SetSelected(chosen)

	form := widget.NewForm(
		widget.NewFormItem("Client ID", clientID.object()),
		widget.NewFormItem("Client secret", secret.object()),
		widget.NewFormItem("Redirect URI", redirect.object()),
		widget.NewFormItem("Token broker URL", broker.object()),
		widget.NewFormItem("Open links in", open),
		widget.NewFormItem("Refresh", refresh),
		widget.NewFormItem("Quick Open hotkey", hk.object()),
		widget.NewFormItem("", container.NewVBox(login, keep)),
	)
	form.Items[2].HintText = "Register exactly this in Notion's portal"
	form.Items[3].HintText = "Instead of a client secret: a broker that holds it"
	form.Items[6].HintText = "Anywhere on the desktop; or bind 'pagedeck quick' to a shortcut"
	if l.hotkeyTrouble != "" {
		form.Items[6].HintText = l.hotkeyTrouble
	}
	note := wrapped("")
	note.Importance = widget.DangerImportance
	note.Hide()
	if keychainErr != nil {
		note.SetText("The keychain is unavailable, so the client secret cannot be read or changed now. " + app.KeychainHint(keychainErr))
		note.Show()
	}

	var save *dialogButton
	check := func() bool {
		ok := true
		for _, f := range fields {
			ok = f.valid() && ok
		}
		if ok {
			save.Enable()
		} else {
			save.Disable()
		}
		return ok
	}
	busy := false
	run := func() {
		if busy || !check() {
			return
		}
		next := app.Settings{
			ClientID: strings.TrimSpace(clientID.entry.Text), RedirectURI: strings.TrimSpace(redirect.entry.Text),
			BrokerURL: strings.TrimSpace(broker.entry.Text), OpenIn: app.OpenInBrowser, RefreshInterval: app.DefaultRefreshInterval,
		}
		if clientID.fixed {
			next.ClientID = s.ClientID
		}
		if redirect.fixed {
			next.RedirectURI = s.RedirectURI
		}
		if broker.fixed {
			next.BrokerURL = s.BrokerURL
		}
		for _, c := range openChoices {
			if c.label == open.Selected {
				next.OpenIn = c.mode
			}
		}
		for _, c := range refreshChoices {
			if c.label == refresh.Selected {
				next.RefreshInterval = c.every
			}
		}
		newSecret := app.Secret("")
		if !secret.fixed {
			newSecret = app.Secret(strings.TrimSpace(secret.entry.Text))
		}
		nl := l
		if !hk.fixed {
			nl.hotkey = strings.TrimSpace(hk.entry.Text)
		}
		nl.atLogin, nl.keepInTray = login.Checked, keep.Checked
		busy = true
		save.Disable()
		submit(next, newSecret, nl, func(err error) {
			busy = false
			save.Enable()
			if err == nil {
				m.close()
				return
			}
			note.SetText(app.Explain(err))
			note.Show()
		})
	}
	save = m.button("Save", widget.HighImportance, run)
	cancel := m.button("Cancel", widget.MediumImportance, m.close)
	for _, f := range fields {
		f.entry.OnChanged = func(string) { check() }
	}
	m.cancel, m.confirm = m.close, run
	first := fyne.Focusable(open)
	for _, f := range fields {
		if !f.fixed {
			first = f.entry
			break
		}
	}
	m.show("Settings", 640, container.NewVBox(form, note), []*dialogButton{cancel, save}, first)
	check()
}

// launcherSettings are the settings outside app.Settings: the hotkey, the
// login entry and the tray.
type launcherSettings struct {
	hotkey        string // as saved; "" for the default
	hotkeyFixedBy string // PAGEDECK_HOTKEY when it overrides
	hotkeyTrouble string // why the hotkey in force is not registered
	atLogin       bool
	loginErr      error // the login entry cannot be read or made here
	hasTray       bool
	keepInTray    bool
}

// showSettings reads the settings off the UI goroutine and opens the
// dialog, even when the keychain is locked: only the secret needs it.
func (w *Window) showSettings() {
	trouble := ""
	if w.launch.hotkeyErr != nil {
		trouble = hotkeyTrouble(w.hotkeyLabelOr("the hotkey"), w.launch.hotkeyErr)
	}
	l := launcherSettings{hasTray: w.launch.hasTray, keepInTray: w.launch.keepInTray, hotkeyTrouble: trouble}
	w.background(func() {
		s, err := w.core.Settings(w.ctx)
		if choice, herr := w.core.Hotkey().Current(); herr == nil || choice.Saved != "" {
			l.hotkey, l.hotkeyFixedBy = choice.Saved, choice.FixedBy
		}
		if e, lerr := autostart.ForThisProgram(); lerr != nil {
			l.loginErr = lerr
		} else if l.atLogin, lerr = e.Enabled(); lerr != nil {
			l.loginErr = lerr
		}
		w.do(func() {
			var keychainErr error
			switch {
			case err == nil:
			case errors.Is(err, app.ErrKeychainUnavailable):
				keychainErr = err
			default:
				w.showError("Could not read the settings", err)
				return
			}
			w.settingsDialog(s, l, keychainErr, w.saveSettings)
		})
	})
}

func (w *Window) saveSettings(next app.Settings, secret app.Secret, l launcherSettings, done func(error)) {
	w.background(func() {
		old, _ := w.core.Hotkey().Current()
		err := w.core.SaveSettings(w.ctx, next, secret, false)
		hotkeyChanged := false
		if err == nil && l.hotkeyFixedBy == "" && l.hotkey != old.Saved {
			_, err = w.core.Hotkey().Save(l.hotkey)
			hotkeyChanged = err == nil
		}
		if err == nil && l.loginErr == nil {
			err = setAutostart(l.atLogin)
		}
		if err == nil {
			keep := "on"
			if !l.keepInTray {
				keep = "off"
			}
			err = w.core.SetPrefs(map[string]string{prefKeepInTray: keep})
		}
		settings, _ := w.core.Settings(w.ctx)
		configured := settings.Configured
		w.do(func() {
			done(err)
			if err != nil {
				return
			}
			w.st.Settings = next
			w.st.Configured = configured
			w.launch.keepInTray = l.keepInTray
			w.scheduleRefresh()
			w.updateBody()
			if hotkeyChanged {
				w.registerHotkey()
			}
		})
	})
}

// setAutostart adds or removes the login entry, when it differs.
func setAutostart(on bool) error {
	e, err := autostart.ForThisProgram()
	if err != nil {
		return err
	}
	if was, err := e.Enabled(); err == nil && was == on {
		return nil
	}
	if on {
		return e.Enable()
	}
	return e.Disable()
}
