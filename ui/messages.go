package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
)

// Messages: every error and piece of help the window shows in a dialog,
// in one place, in plain words.

// showMessage is a dialog with a text and OK.
func (w *Window) showMessage(title, msg string) {
	m := w.views.modals.newModal()
	m.cancel = m.close
	ok := m.button("OK", widget.HighImportance, m.close)
	m.show(title, 460, wrapped(msg), []*dialogButton{ok}, ok)
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
	m := w.views.modals.newModal()
	m.cancel = m.close
	why := app.Explain(err)
	if errors.Is(err, app.ErrNoOpener) {
		why = "No program is set up to open web links on this computer."
	}
	l := widget.NewLabel(link)
	l.Truncation = fyne.TextTruncateEllipsis
	copyBtn := m.button("Copy link", widget.HighImportance, func() {
		w.copyText(link, "Copied the link")
		m.close()
	})
	m.confirm = copyBtn.OnTapped
	closeBtn := m.button("Close", widget.MediumImportance, m.close)
	m.show("Could not open the page", 480,
		container.NewVBox(wrapped(why+" Copy the link and paste it into your browser:"), l),
		[]*dialogButton{closeBtn, copyBtn}, copyBtn)
}
