package dialogs

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Message is a dialog with a text and OK.
func Message(s *Stack, title, msg string) {
	m := s.New()
	m.OnCancel = m.Close
	ok := m.Button("OK", widget.HighImportance, m.Close)
	m.Show(title, 460, Wrapped(msg), []*Button{ok}, ok)
}

// Confirm asks before something that cannot be undone. The button says
// what it does; Cancel is the default, so Enter never destroys.
func Confirm(s *Stack, title, msg, action string, onConfirm func()) {
	m := s.New()
	cancel := m.Button("Cancel", widget.HighImportance, m.Close)
	do := m.Button(action, widget.DangerImportance, func() {
		m.Close()
		onConfirm()
	})
	m.OnCancel = m.Close
	m.Show(title, 460, Wrapped(msg), []*Button{do, cancel}, cancel)
}

// CopyLink says why a link did not open and offers it to copy, so the
// person can paste it into a browser themselves. Copy is the default.
func CopyLink(s *Stack, title, why, link string, onCopy func()) {
	m := s.New()
	m.OnCancel = m.Close
	l := widget.NewLabel(link)
	l.Truncation = fyne.TextTruncateEllipsis
	copyBtn := m.Button("Copy link", widget.HighImportance, func() {
		onCopy()
		m.Close()
	})
	m.OnConfirm = copyBtn.OnTapped
	closeBtn := m.Button("Close", widget.MediumImportance, m.Close)
	m.Show(title, 480, container.NewVBox(Wrapped(why+" Copy the link and paste it into your browser:"), l),
		[]*Button{closeBtn, copyBtn}, copyBtn)
}
