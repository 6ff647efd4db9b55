package ui

import (
	"errors"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/autostart"
	"github.com/pagedeck/pagedeck/ui/dialogs"
)

// showSettings reads the settings off the UI goroutine and opens the
// dialog, even when the keychain is locked: only the secret needs it.
func (w *Window) showSettings() {
	trouble := ""
	if w.launch.hotkeyErr != nil {
		trouble = hotkeyTrouble(w.hotkeyLabelOr("the hotkey"), w.launch.hotkeyErr)
	}
	l := dialogs.Launcher{HasTray: w.launch.hasTray, KeepInTray: w.launch.keepInTray, HotkeyTrouble: trouble}
	if t := w.st.CaptureTarget; t != nil {
		l.CaptureTarget = app.DisplayTitle(t.Title)
	}
	w.background(func() {
		s, err := w.core.Settings(w.ctx)
		if choice, herr := w.core.Hotkey().Current(); herr == nil || choice.Saved != "" {
			l.Hotkey, l.HotkeyFixedBy = choice.Saved, choice.FixedBy
		}
		if e, lerr := autostart.ForThisProgram(); lerr != nil {
			l.LoginErr = lerr
		} else if l.AtLogin, lerr = e.Enabled(); lerr != nil {
			l.LoginErr = lerr
		}
		w.do(func() {
			d := dialogs.Settings{Saved: s, Launcher: l, OnSubmit: w.saveSettings}
			switch {
			case err == nil:
			case errors.Is(err, app.ErrKeychainUnavailable):
				d.KeychainTrouble = "The keychain is unavailable, so the client secret cannot be read or changed now. " + app.KeychainHint(err)
			default:
				w.showError("Could not read the settings", err)
				return
			}
			d.Show(w.views.modals)
		})
	})
}

func (w *Window) saveSettings(next app.Settings, secret app.Secret, l dialogs.Launcher, done func(error)) {
	w.background(func() {
		old, _ := w.core.Hotkey().Current()
		err := w.core.SaveSettings(w.ctx, next, secret, false)
		hotkeyChanged := false
		if err == nil && l.HotkeyFixedBy == "" && l.Hotkey != old.Saved {
			_, err = w.core.Hotkey().Save(l.Hotkey)
			hotkeyChanged = err == nil
		}
		if err == nil && l.LoginErr == nil {
			err = setAutostart(l.AtLogin)
		}
		if err == nil {
			keep := "on"
			if !l.KeepInTray {
				keep = "off"
			}
			err = w.core.SetPrefs(map[string]string{prefKeepInTray: keep})
		}
		if err == nil && l.ClearCaptureTarget {
			err = w.core.Outbox().SetTarget("")
		}
		settings, _ := w.core.Settings(w.ctx)
		configured := settings.Configured
		w.do(func() {
			if err != nil {
				done(errors.New(app.Explain(err)))
				return
			}
			done(nil)
			w.st.Settings = next
			w.st.Configured = configured
			w.launch.keepInTray = l.KeepInTray
			if l.ClearCaptureTarget {
				w.st.CaptureTarget = nil
			}
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
