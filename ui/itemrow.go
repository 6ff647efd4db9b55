package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// itemRow is one page or database: its icon, title and kind (and a star
// when pinned), and below them where it lives and when it was edited. For
// a match inside the page's content, the second line is the words in
// context, and where it lives moves up beside the title, so every row keeps
// one height (the list scrolls a hundred thousand of them). A click opens
// it at once (it takes no double click, which would delay every single
// one), a right click highlights it and opens its menu.
type itemRow struct {
	widget.BaseWidget
	view    *resultsView
	id      widget.ListItemID
	hit     *app.Hit
	on      bool // highlighted
	bg      *canvas.Rectangle
	icon    *widget.Icon
	star    *canvas.Text
	title   *widget.Label
	badge   *canvas.Text
	head    *fyne.Container    // star, title, badge (and the place, for content matches)
	place   *widgets.PlaceLine // the second line
	inPlace *widgets.PlaceLine // the place beside the title, for content matches
	snippet *widget.RichText   // the second line, for content matches
	root    fyne.CanvasObject
}

func newItemRow(v *resultsView) *itemRow {
	r := &itemRow{view: v, bg: canvas.NewRectangle(nil)}
	r.bg.CornerRadius = 6
	var box fyne.CanvasObject
	r.icon, box = iconBox()
	r.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.badge = canvas.NewText("", widgets.ThemeColor(theme.ColorNamePrimary))
	r.badge.TextSize = 10
	r.badge.TextStyle = fyne.TextStyle{Bold: true}
	r.star = canvas.NewText("★", widgets.ThemeColor(theme.ColorNamePrimary))
	r.star.Hidden = true
	r.place = widgets.NewPlaceLine()
	r.inPlace = widgets.NewPlaceLine()
	r.inPlace.Hide()
	r.snippet = widget.NewRichText()
	r.snippet.Truncation = fyne.TextTruncateEllipsis
	r.snippet.Hide()
	// Labels carry their own inner padding; pull the lines together.
	r.head = container.New(&titleBadgeLayout{measure: widget.NewLabelWithStyle("", fyne.TextAlignLeading, r.title.TextStyle)}, r.title, r.badge, r.star, r.inPlace)
	lines := container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()-2), r.head, r.place, r.snippet)
	// The icon sits on the title's line, level with its text.
	iconCol := container.New(&topGap{gap: (r.title.MinSize().Height - iconSize) / 2}, box)
	r.root = container.NewStack(r.bg, container.NewBorder(nil, nil, iconCol, nil, lines))
	r.ExtendBaseWidget(r)
	return r
}

func (r *itemRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.root) }

func (r *itemRow) set(id widget.ListItemID, h *app.Hit, on bool) {
	r.id, r.hit, r.on = id, h, on
	// Whole until the head's layout finds it too long (see titleBadgeLayout).
	r.title.Truncation = fyne.TextTruncateOff
	r.title.SetText(app.DisplayTitle(h.Title))
	fallback, badge := theme.DocumentIcon(), "PAGE"
	if h.Kind == app.KindDatabase {
		fallback, badge = theme.GridIcon(), "DATABASE"
	}
	r.badge.Text = badge
	r.badge.Color = widgets.ThemeColor(theme.ColorNamePrimary)
	r.star.Hidden = !h.Pinned
	r.star.Color = r.badge.Color
	// In All workspaces the path starts with the workspace; ancestors out
	// of view show as "…" after it.
	path, cut := h.Path, h.PathCut
	if name := r.view.acts.workspaceName(h.WorkspaceID); name != "" {
		head := []string{name}
		if cut {
			head, cut = append(head, "…"), false
		}
		path = append(head, path...)
	}
	suffix := ""
	// A database row says its most telling values first (In progress ·
	// Dec 24), when its rows are stored.
	if g := r.glance(h); len(g) > 0 {
		suffix = strings.Join(g, " · ")
		if len(path) > 0 || cut {
			suffix = " · " + suffix
		}
	}
	if !h.LastEdited.IsZero() {
		edited := "edited " + app.Ago(r.view.now().Sub(h.LastEdited))
		if len(path) > 0 || cut || suffix != "" {
			edited = " · " + edited
		}
		suffix += edited
	}
	if h.Match == app.MatchContent && h.Snippet != "" {
		r.inPlace.Set(path, cut, "")
		setHighlighted(r.snippet, h.Snippet, app.Highlight(h.Snippet, r.view.query))
		r.place.Hide()
		r.inPlace.Show()
		r.snippet.Show()
	} else {
		r.place.Set(path, cut, suffix)
		r.place.Show()
		r.inPlace.Hide()
		r.snippet.Hide()
	}
	r.head.Refresh()
	r.icon.SetResource(r.view.icons.resource(h.Icon, h.IconExpires, fallback))
	r.bg.FillColor = nil
	if on {
		r.bg.FillColor = widgets.ThemeColor(theme.ColorNameSelection)
	}
	r.bg.Refresh()
}

// setHighlighted shows text with the ranges in bold accent colour.
func setHighlighted(rt *widget.RichText, text string, ranges []app.TextRange) {
	plain := widget.RichTextStyle{ColorName: widgets.ColorNameSecondary, SizeName: theme.SizeNameCaptionText, Inline: true}
	hit := plain
	hit.ColorName = theme.ColorNameForeground
	hit.TextStyle = fyne.TextStyle{Bold: true}
	var segs []widget.RichTextSegment
	at := 0
	for _, rg := range ranges {
		if rg.Start < at || rg.End > len(text) || rg.Start >= rg.End {
			continue
		}
		if rg.Start > at {
			segs = append(segs, &widget.TextSegment{Text: text[at:rg.Start], Style: plain})
		}
		segs = append(segs, &widget.TextSegment{Text: text[rg.Start:rg.End], Style: hit})
		at = rg.End
	}
	if at < len(text) {
		segs = append(segs, &widget.TextSegment{Text: text[at:], Style: plain})
	}
	rt.Segments = segs
	rt.Refresh()
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
// window the two stay together; a long title is cut, never the badge. A
// pinned item's star comes first; a content match's place takes what is
// left after the badge. An uncut twin of the title measures the width it
// would like.
type titleBadgeLayout struct{ measure *widget.Label }

func (l *titleBadgeLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	title, badge, star, place := objs[0].(*widget.Label), objs[1], objs[2], objs[3]
	if size.Width <= 0 {
		return
	}
	bs := badge.MinSize()
	gap := theme.Padding()
	x := float32(0)
	if star.Visible() {
		ss := star.MinSize()
		star.Move(fyne.NewPos(theme.InnerPadding()-gap, (size.Height-ss.Height)/2))
		star.Resize(ss)
		x = ss.Width + theme.InnerPadding() - gap
	}
	l.measure.SetText(title.Text)
	// Fyne cuts a text that fits exactly; a pixel more keeps it whole.
	natural := l.measure.MinSize().Width + 2
	room := size.Width - x - bs.Width - gap
	tw := max(0, min(natural, room))
	// Only a title that does not fit is cut: Fyne's ellipsis shapes the
	// text again, with a font it makes anew, at every refresh, which was a
	// sixth of a keystroke's work.
	trunc := fyne.TextTruncateOff
	if natural > room {
		trunc = fyne.TextTruncateEllipsis
	}
	if title.Truncation != trunc {
		title.Truncation = trunc
		title.Refresh()
	}
	title.Move(fyne.NewPos(x, 0))
	title.Resize(fyne.NewSize(tw, size.Height))
	badge.Move(fyne.NewPos(x+tw+gap, (size.Height-bs.Height)/2))
	badge.Resize(bs)
	if place.Visible() {
		left := x + tw + gap + bs.Width + gap
		ph := place.MinSize().Height
		place.Move(fyne.NewPos(left, (size.Height-ph)/2))
		place.Resize(fyne.NewSize(max(0, size.Width-left), ph))
	}
}

// MinSize leaves the title's width out: a whole title is as wide as it
// is, and the row must not ask for that (the layout cuts it).
func (*titleBadgeLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	t, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(theme.Padding()+b.Width, max(t.Height, b.Height))
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

// glance is h's most telling values, where the view has them.
func (r *itemRow) glance(h *app.Hit) []string {
	if r.view.acts.glance == nil {
		return nil
	}
	return r.view.acts.glance(h)
}
