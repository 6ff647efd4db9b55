package dialogs

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
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
	entry *Entry
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

// Settings edits the saved settings. Each field says what is wrong with it
// as it is typed, and Save stays off until every field is right. Fields
// that an environment variable (or the demo) sets are shown as such and
// kept.
type Settings struct {
	Saved    app.Settings
	Launcher Launcher
	// KeychainTrouble, when set, says why the client secret cannot be
	// read or changed now; the rest still can.
	KeychainTrouble string
	// OnSubmit saves and reports through done: nil closes the dialog, an
	// error shows under the form.
	OnSubmit func(next app.Settings, secret app.Secret, l Launcher, done func(error))
}

// Show opens the dialog.
func (d Settings) Show(st *Stack) {
	s, l := d.Saved, d.Launcher
	m := st.New()
	field := func(key, value, placeholder string, check func(string) error) *settingsField {
		f := &settingsField{entry: m.Entry(key == app.SettingClientSecret), err: Wrapped(""), check: check}
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
	if d.KeychainTrouble != "" && !secret.fixed {
		secret.entry.SetPlaceHolder("the keychain is unavailable")
		secret.entry.Disable()
		secret.fixed = true
	}
	// A bare address would read as one already typed in.
	redirect := field(app.SettingRedirectURI, s.RedirectURI, app.DefaultRedirectURI+" if empty", app.ValidateRedirectURI)
	broker := field(app.SettingBrokerURL, s.BrokerURL, "https://broker.example.com (optional)", app.ValidateBrokerURL)
	hk := field(app.SettingHotkey, l.Hotkey, hotkey.DefaultString+" (the default)", func(v string) error {
		_, err := hotkey.Parse(v)
		return err
	})
	if l.HotkeyFixedBy != "" {
		hk.fixed = true
		hk.entry.SetText("")
		hk.entry.SetPlaceHolder("set by " + l.HotkeyFixedBy)
		hk.entry.Disable()
	}
	fields := []*settingsField{clientID, secret, redirect, broker, hk}
	login := m.Check("Start Pagedeck at login, in the background")
	login.SetChecked(l.AtLogin)
	if l.LoginErr != nil {
		login.Disable()
	}
	keep := m.Check("Keep running in the tray when the window closes")
	keep.SetChecked(l.KeepInTray)
	if !l.HasTray {
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
	open := m.Select(openLabels)
	open.SetSelected(openIn)
	refreshLabels := []string{}
	chosen := "Every 15 minutes"
	for _, c := range refreshChoices {
		refreshLabels = append(refreshLabels, c.label)
		if c.every == s.RefreshInterval {
			chosen = c.label
		}
	}
	refresh := m.Select(refreshLabels)
	refresh.SetSelected(chosen)

	noTarget := "nowhere yet: choose “Default for new pages” in a page's menu"
	targetText := widget.NewLabel(noTarget)
	targetText.Truncation = fyne.TextTruncateEllipsis
	cleared := false
	var clearTarget *Button
	clearTarget = m.Button("Clear", widget.LowImportance, func() {
		cleared = true
		targetText.SetText(noTarget)
		clearTarget.Hide()
	})
	if l.CaptureTarget != "" {
		targetText.SetText("“" + l.CaptureTarget + "”, from Quick Open with a title and Enter")
	} else {
		clearTarget.Hide()
	}
	target := container.NewBorder(nil, nil, nil, clearTarget, targetText)

	form := widget.NewForm(
		widget.NewFormItem("Client ID", clientID.object()),
		widget.NewFormItem("Client secret", secret.object()),
		widget.NewFormItem("Redirect URI", redirect.object()),
		widget.NewFormItem("Token broker URL", broker.object()),
		widget.NewFormItem("Open links in", open),
		widget.NewFormItem("Refresh", refresh),
		widget.NewFormItem("Quick Open hotkey", hk.object()),
		widget.NewFormItem("New pages go to", target),
		widget.NewFormItem("", container.NewVBox(login, keep)),
	)
	form.Items[2].HintText = "Register exactly this in Notion's portal"
	form.Items[3].HintText = "Instead of a client secret: a broker that holds it"
	form.Items[6].HintText = "Anywhere on the desktop; or bind 'pagedeck quick' to a shortcut"
	if l.HotkeyTrouble != "" {
		form.Items[6].HintText = l.HotkeyTrouble
	}
	note := Wrapped("")
	note.Importance = widget.DangerImportance
	note.Hide()
	if d.KeychainTrouble != "" {
		note.SetText(d.KeychainTrouble)
		note.Show()
	}

	var save *Button
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
			nl.Hotkey = strings.TrimSpace(hk.entry.Text)
		}
		nl.AtLogin, nl.KeepInTray = login.Checked, keep.Checked
		nl.ClearCaptureTarget = cleared
		busy = true
		save.Disable()
		d.OnSubmit(next, newSecret, nl, func(err error) {
			busy = false
			save.Enable()
			if err == nil {
				m.Close()
				return
			}
			note.SetText(err.Error())
			note.Show()
		})
	}
	save = m.Button("Save", widget.HighImportance, run)
	cancel := m.Button("Cancel", widget.MediumImportance, m.Close)
	for _, f := range fields {
		f.entry.OnChanged = func(string) { check() }
	}
	m.OnCancel, m.OnConfirm = m.Close, run
	first := fyne.Focusable(open)
	for _, f := range fields {
		if !f.fixed {
			first = f.entry
			break
		}
	}
	m.Show("Settings", 640, container.NewVBox(form, note), []*Button{cancel, save}, first)
	check()
}

// Launcher are the settings outside app.Settings: the hotkey, the login
// entry and the tray.
type Launcher struct {
	Hotkey        string // as saved; "" for the default
	HotkeyFixedBy string // PAGEDECK_HOTKEY when it overrides
	HotkeyTrouble string // why the hotkey in force is not registered
	AtLogin       bool
	LoginErr      error // the login entry cannot be read or made here
	HasTray       bool
	KeepInTray    bool
	// CaptureTarget names the default place for new pages from Quick
	// Open ("" for none); ClearCaptureTarget comes back true when the
	// person cleared it.
	CaptureTarget      string
	ClearCaptureTarget bool
}
