package dialogs

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Connect is "Finish in your browser": it says whether the browser
// opened, offers the link to copy when it did not, and Cancel ends the
// flow. The window runs the flow; the dialog only shows it.
type Connect struct {
	// OnCancel ends the flow (Cancel or Esc); the window closes the dialog
	// when the flow has stopped.
	OnCancel func()
	// OnCopy copies the consent link (Copy link, or Enter once there is one).
	OnCopy func(link string)

	m    *Modal
	spin *widget.Activity
	lead *widget.Label
	info *widget.Label
	link *widget.Label
	copy *Button
	url  string
}

// Show opens the dialog, waiting for the consent URL.
func (d *Connect) Show(s *Stack) {
	d.m = s.New()
	d.spin = widget.NewActivity()
	d.spin.Start()
	d.lead = widget.NewLabelWithStyle("Opening your browser…", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.lead.Truncation = fyne.TextTruncateEllipsis
	d.info = Wrapped("Notion's consent page will ask which workspace and pages to share with Pagedeck.")
	d.link = widget.NewLabel("")
	d.link.Truncation = fyne.TextTruncateEllipsis
	d.link.Hide()
	d.copy = d.m.Button("Copy link", widget.HighImportance, func() { d.OnCopy(d.url) })
	d.copy.Disable()
	cancelBtn := d.m.Button("Cancel", widget.MediumImportance, func() { d.OnCancel() })
	d.m.OnCancel = func() { d.OnCancel() }
	d.m.OnConfirm = func() {
		if !d.copy.Disabled() {
			d.copy.OnTapped()
		}
	}
	content := container.NewVBox(container.NewBorder(nil, nil, d.spin, nil, d.lead), d.info, d.link)
	// Nothing takes the focus, so Enter copies the link once there is one
	// and Esc cancels, through the dialog's own keys.
	d.m.Show("Connect a Notion workspace", 500, content, []*Button{cancelBtn, d.copy}, nil)
}

// Opening: the flow has its URL and asks the browser to open it.
func (d *Connect) Opening(u string) {
	d.url = u
	d.link.SetText(u)
	d.copy.Enable()
}

// Opened: the browser opened the consent page.
func (d *Connect) Opened() {
	d.lead.SetText("Continue in your browser")
	d.info.SetText("Your browser opened Notion's consent page. Choose the workspace and the pages to share, " +
		"then click Allow access. This window updates by itself.")
}

// NotOpened: the browser could not be opened, for the reason why; the
// link is shown to copy.
func (d *Connect) NotOpened(why string) {
	d.lead.SetText("Pagedeck could not open your browser")
	d.info.SetText(why + " Copy this link into a browser to continue; this window updates by itself:")
	d.link.Show()
}

// Close stops the spinner and closes the dialog: the flow is over.
func (d *Connect) Close() {
	d.spin.Stop()
	d.m.Close()
}
