package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
)

// itemRow is one page or database: its icon, title and kind, and below
// them where it lives and when it was edited. A click opens it at once (it
// takes no double click, which would delay every single one), a right
// click highlights it and opens its menu.
type itemRow struct {
	widget.BaseWidget
	view  *resultsView
	id    widget.ListItemID
	hit   *app.Hit
	on    bool // highlighted
	bg    *canvas.Rectangle
	icon  *widget.Icon
	title *widget.Label
	badge *canvas.Text
	head  *fyne.Container // title and badge
	sub   *widget.RichText
	root  fyne.CanvasObject
}

func newItemRow(v *resultsView) *itemRow {
	r := &itemRow{view: v, bg: canvas.NewRectangle(nil)}
	r.bg.CornerRadius = 6
	var box fyne.CanvasObject
	r.icon, box = iconBox()
	r.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.badge = canvas.NewText("", themeColor(theme.ColorNamePrimary))
	r.badge.TextSize = 10
	r.badge.TextStyle = fyne.TextStyle{Bold: true}
	r.sub = newSecondaryText()
	// Labels carry their own inner padding; pull the two lines together.
	r.head = container.New(&titleBadgeLayout{measure: widget.NewLabelWithStyle("", fyne.TextAlignLeading, r.title.TextStyle)}, r.title, r.badge)
	lines := container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()-2), r.head, r.sub)
	// The icon sits on the title's line, level with its text.
	iconCol := container.New(&topGap{gap: (r.title.MinSize().Height - iconSize) / 2}, box)
	r.root = container.NewStack(r.bg, container.NewBorder(nil, nil, iconCol, nil, lines))
	r.ExtendBaseWidget(r)
	return r
}

func (r *itemRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.root) }

func (r *itemRow) set(id widget.ListItemID, h *app.Hit, on bool) {
	r.id, r.hit, r.on = id, h, on
	r.title.SetText(app.DisplayTitle(h.Title))
	fallback, badge := theme.DocumentIcon(), "PAGE"
	if h.Kind == app.KindDatabase {
		fallback, badge = theme.GridIcon(), "DATABASE"
	}
	r.badge.Text = badge
	r.badge.Color = themeColor(theme.ColorNamePrimary)
	r.head.Refresh() // the badge follows the new title's width
	sub := ""
	if !h.LastEdited.IsZero() {
		sub = "edited " + app.Ago(r.view.now().Sub(h.LastEdited))
	}
	if name := r.view.acts.workspaceName(h.WorkspaceID); name != "" {
		sub = joinNonEmpty(" · ", name, sub)
	}
	setSecondaryText(r.sub, sub)
	r.icon.SetResource(r.view.icons.resource(h.Icon, h.IconExpires, fallback))
	r.bg.FillColor = nil
	if on {
		r.bg.FillColor = themeColor(theme.ColorNameSelection)
	}
	r.bg.Refresh()
}

// Tapped highlights the row and opens it.
func (r *itemRow) Tapped(*fyne.PointEvent) {
	if r.hit == nil {
		return
	}
	r.view.moveTo(r.id)
	r.view.acts.open(r.hit, "")
}

// TappedSecondary highlights the row and shows its menu.
func (r *itemRow) TappedSecondary(e *fyne.PointEvent) {
	if r.hit == nil {
		return
	}
	r.view.moveTo(r.id)
	if c := fyne.CurrentApp().Driver().CanvasForObject(r); c != nil {
		widget.ShowPopUpMenuAtPosition(r.view.acts.menu(r.hit), c, e.AbsolutePosition)
	}
}

// titleBadgeLayout puts the kind badge right after the title, so on a wide
// window the two stay together; a long title is cut, never the badge. An
// uncut twin of the title measures the width it would like.
type titleBadgeLayout struct{ measure *widget.Label }

func (l *titleBadgeLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	title, badge := objs[0].(*widget.Label), objs[1]
	if size.Width <= 0 {
		return
	}
	bs := badge.MinSize()
	gap := theme.Padding()
	l.measure.SetText(title.Text)
	// Fyne cuts a text that fits exactly; a pixel more keeps it whole.
	natural := l.measure.MinSize().Width + 2
	tw := max(0, min(natural, size.Width-bs.Width-gap))
	title.Move(fyne.NewPos(0, 0))
	title.Resize(fyne.NewSize(tw, size.Height))
	badge.Move(fyne.NewPos(tw+gap, (size.Height-bs.Height)/2))
	badge.Resize(bs)
}

func (*titleBadgeLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	t, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(t.Width+theme.Padding()+b.Width, max(t.Height, b.Height))
}

// topGap places its content gap below its top.
type topGap struct{ gap float32 }

func (g *topGap) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, g.gap))
		o.Resize(o.MinSize())
	}
}

func (g *topGap) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m.AddWidthHeight(0, g.gap)
}

// newSecondaryText is a one-line grey text that is cut with an ellipsis.
func newSecondaryText() *widget.RichText {
	rt := widget.NewRichText(&widget.TextSegment{Style: widget.RichTextStyle{
		ColorName: colorNameSecondary, SizeName: theme.SizeNameCaptionText, Inline: true,
	}})
	rt.Truncation = fyne.TextTruncateEllipsis
	return rt
}

func setSecondaryText(rt *widget.RichText, s string) {
	seg := rt.Segments[0].(*widget.TextSegment)
	if seg.Text != s {
		seg.Text = s
		rt.Refresh()
	}
}

func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}
