package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// bannerAlpha is how strongly a banner's colour tints the background.
const bannerAlpha = 0x30

// banners are the strips above the search box: demo mode, and a workspace
// that lost its access, with the Reconnect button. Their text wraps or is
// cut: a banner never widens the window.
type banners struct {
	demo       fyne.CanvasObject
	reconnect  fyne.CanvasObject
	lostText   *widget.Label
	notice     fyne.CanvasObject
	noticeText *widget.Label
	root       *fyne.Container
}

func newBanners(demo bool, reconnect func(), tips *widgets.Tooltips, relayout func()) *banners {
	b := &banners{}
	d := widgets.NewSecondaryText()
	seg := d.Segments[0].(*widget.TextSegment)
	seg.Style.Alignment = fyne.TextAlignCenter
	seg.Style.TextStyle = fyne.TextStyle{Italic: true}
	seg.Style.Inline = false
	widgets.SetSecondaryText(d, "Demo data: these workspaces live in a built-in Notion emulator. Nothing is saved.")
	b.demo = d
	if !demo {
		d.Hide()
	}

	b.lostText = widget.NewLabel("")
	b.lostText.Wrapping = fyne.TextWrapWord
	btn := widget.NewButtonWithIcon("Reconnect", theme.LoginIcon(), reconnect)
	btn.Importance = widget.HighImportance
	bg := canvas.NewRectangle(widgets.WithAlpha(widgets.ThemeColor(theme.ColorNameWarning), bannerAlpha))
	bg.CornerRadius = 8
	warn := widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
	b.reconnect = container.NewStack(bg, container.New(widgets.PaddedBy{H: 4, V: 2},
		container.NewBorder(nil, nil, container.NewCenter(warn), container.NewCenter(btn), b.lostText)))
	b.reconnect.Hide()

	// A notice says once what Pagedeck did by itself, such as restoring
	// a damaged database; the person dismisses it.
	b.noticeText = widget.NewLabel("")
	b.noticeText.Wrapping = fyne.TextWrapWord
	info := widget.NewIcon(theme.InfoIcon())
	nbg := canvas.NewRectangle(widgets.WithAlpha(widgets.ThemeColor(theme.ColorNamePrimary), bannerAlpha))
	nbg.CornerRadius = 8
	dismiss := widgets.NewTipButton(theme.CancelIcon(), "Dismiss", tips, func() {
		b.notice.Hide()
		relayout()
	})
	b.notice = container.NewStack(nbg, container.New(widgets.PaddedBy{H: 4, V: 2},
		container.NewBorder(nil, nil, container.NewCenter(info), container.NewCenter(dismiss), b.noticeText)))
	b.notice.Hide()
	b.root = container.NewVBox(b.demo, b.notice, b.reconnect)
	return b
}

// showNotice shows text until the person dismisses it.
func (b *banners) showNotice(text string) {
	b.noticeText.SetText(text)
	b.notice.Show()
}

func (b *banners) object() fyne.CanvasObject { return b.root }

// showLost says a workspace lost its access; "" hides the banner. It
// reports whether the banner appeared or went.
func (b *banners) showLost(name string) (changed bool) {
	was := b.reconnect.Visible()
	if name == "" {
		b.reconnect.Hide()
		return was
	}
	b.lostText.SetText("Access to " + widgets.Ellipsize(name, 40) + " was revoked or has expired.")
	b.reconnect.Show()
	return !was
}
