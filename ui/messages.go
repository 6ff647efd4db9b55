package ui

import (
	"errors"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/dialogs"
)

// Messages: every error and piece of help the window shows in a dialog,
// in one place, in plain words.

// showMessage is a dialog with a text and OK.
func (w *Window) showMessage(title, msg string) {
	dialogs.Message(w.views.modals, title, msg)
}

// showError explains err; a keychain error gets the keychain's own help.
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
		"Pagedeck keeps tokens only in your system keychain, and it could not use it.\n\n"+
			app.KeychainHint(err)+"\n\nYour cached pages are safe; try again once the keychain works.")
}

// showOpenError says why a link did not open and offers to copy it, so the
// person can paste it into a browser themselves.
func (w *Window) showOpenError(err error, link string) {
	if errors.Is(err, app.ErrUnsafeURL) || link == "" {
		w.showError("Could not open the page", err)
		return
	}
	why := app.Explain(err)
	if errors.Is(err, app.ErrNoOpener) {
		why = "No program is set up to open web links on this computer."
	}
	dialogs.CopyLink(w.views.modals, "Could not open the page", why, link, func() { w.copyText(link, "Copied the link") })
}
