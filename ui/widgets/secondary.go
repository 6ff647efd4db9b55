package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// NewSecondaryText is a one-line grey text that is cut with an ellipsis.
func NewSecondaryText() *widget.RichText {
	rt := widget.NewRichText(&widget.TextSegment{Style: widget.RichTextStyle{
		ColorName: ColorNameSecondary, SizeName: theme.SizeNameCaptionText, Inline: true,
	}})
	rt.Truncation = fyne.TextTruncateEllipsis
	return rt
}

func SetSecondaryText(rt *widget.RichText, s string) {
	seg := rt.Segments[0].(*widget.TextSegment)
	if seg.Text != s {
		seg.Text = s
		rt.Refresh()
	}
}
