package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/view"
)

// One line of the reader: its text, marks and links, drawn from a laid-out
// view.Line, and what a tap or the pointer over it does.

// lineRow draws one visual line: its boxes, marker and text. A tap on a
// link opens it (through the window's checks); on a toggle's arrow, it
// opens or closes the toggle.
type lineRow struct {
	widget.BaseWidget
	r       *reader
	line    *view.Line
	m       *view.Metrics
	hoverX  float32 // where the pointer is, -1 when not over the row
	objs    []fyne.CanvasObject
	stretch []*canvas.Rectangle // boxes that reach the right edge
}

func newLineRow(r *reader) *lineRow {
	row := &lineRow{r: r, hoverX: -1}
	row.ExtendBaseWidget(row)
	return row
}

func (row *lineRow) CreateRenderer() fyne.WidgetRenderer { return &lineRowRenderer{row: row} }

// Tapped opens the link under the pointer, or opens or closes a toggle.
func (row *lineRow) Tapped(ev *fyne.PointEvent) {
	toggle, link := row.at(ev.Position.X)
	switch {
	case toggle:
		row.r.toggle(row.line.Block)
	case link != "":
		row.r.onLink(link)
	}
}

// at is what lies at x: a toggle's arrow, or a link.
func (row *lineRow) at(x float32) (toggle bool, link string) {
	l := row.line
	if l == nil || row.m == nil || x < 0 {
		return false, ""
	}
	if l.Marker == view.MarkToggle && x >= l.MarkerX && x < l.MarkerX+row.m.Indent {
		return true, ""
	}
	for _, f := range l.Frags {
		if f.Link != "" && x >= f.X && x < f.X+f.W {
			return false, f.Link
		}
	}
	return false, ""
}

// The pointer shows a hand over what a tap acts on. (The driver asks for
// the cursor before it reports the move: a hand comes one move late.)
func (row *lineRow) MouseIn(ev *desktop.MouseEvent)    { row.hoverX = ev.Position.X }
func (row *lineRow) MouseMoved(ev *desktop.MouseEvent) { row.hoverX = ev.Position.X }
func (row *lineRow) MouseOut()                         { row.hoverX = -1 }

func (row *lineRow) Cursor() desktop.Cursor {
	if toggle, link := row.at(row.hoverX); toggle || link != "" {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

// set shows l; the objects are made in Refresh, so a theme change
// redraws them in its colours.
func (row *lineRow) set(l *view.Line, m *view.Metrics) {
	row.line, row.m = l, m
	row.Refresh()
}

func (row *lineRow) build() {
	l, m := row.line, row.m
	row.objs, row.stretch = row.objs[:0], row.stretch[:0]
	if l == nil {
		return
	}
	th := row.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	col := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
	rect := func(c color.Color, x, y, w, h float32, stretch bool) {
		r := canvas.NewRectangle(c)
		r.Move(fyne.NewPos(x, y))
		r.Resize(fyne.NewSize(w, h))
		row.objs = append(row.objs, r)
		if stretch {
			row.stretch = append(row.stretch, r)
		}
	}
	h := l.Height
	if l.Callout {
		rect(col(theme.ColorNameHover), l.BoxX, l.BoxY, 0, h-l.BoxY, true)
	}
	if l.Code {
		rect(col(theme.ColorNameInputBackground), l.BoxX, l.BoxY, 0, h-l.BoxY, true)
	}
	if l.Quote {
		rect(col(theme.ColorNamePrimary), l.BarX, 0, 3, h, false)
	}
	size := m.Sizes[l.Size]
	lh := m.LineHeights[l.Size]
	textTop := l.Top + l.Pad
	switch l.Kind {
	case view.LineRule:
		rect(col(theme.ColorNameSeparator), l.BoxX, l.Top+lh/2, 0, 1, true)
	case view.LineTable:
		if l.Header {
			rect(col(theme.ColorNameHeaderBackground), l.Cols[0], l.Top, l.Cols[len(l.Cols)-1]-l.Cols[0], h-l.Top, false)
			rect(col(theme.ColorNameSeparator), l.Cols[0], l.Top, l.Cols[len(l.Cols)-1]-l.Cols[0], 1, false)
		}
		rect(col(theme.ColorNameSeparator), l.Cols[0], h-1, l.Cols[len(l.Cols)-1]-l.Cols[0], 1, false)
		for _, x := range l.Cols {
			rect(col(theme.ColorNameSeparator), x, l.Top, 1, h-l.Top, false)
		}
	}
	// The marker, centred on the first line's text.
	mid := textTop + lh/2
	switch l.Marker {
	case view.MarkBullet, view.MarkHollowBullet:
		d := size * 0.38
		c := canvas.NewCircle(col(theme.ColorNameForeground))
		if l.Marker == view.MarkHollowBullet {
			c.FillColor, c.StrokeColor, c.StrokeWidth = color.Transparent, col(theme.ColorNameForeground), 1
		}
		c.Move(fyne.NewPos(l.MarkerX+m.Indent/2-d/2, mid-d/2))
		c.Resize(fyne.NewSize(d, d))
		row.objs = append(row.objs, c)
	case view.MarkIcon:
		if res := emojiResource(l.Number); res != nil {
			img := canvas.NewImageFromResource(res)
			d := size * 1.2
			img.Move(fyne.NewPos(l.MarkerX, mid-d/2))
			img.Resize(fyne.NewSize(d, d))
			row.objs = append(row.objs, img)
			break
		}
		fallthrough
	case view.MarkNumber:
		t := canvas.NewText(l.Number, col(theme.ColorNameForeground))
		t.TextSize = size
		t.Move(fyne.NewPos(l.MarkerX, mid-t.MinSize().Height/2))
		t.Resize(t.MinSize())
		row.objs = append(row.objs, t)
	case view.MarkWrapped:
		t := canvas.NewText("→", col(theme.ColorNamePlaceHolder))
		t.TextSize = size * 0.9
		ts := t.MinSize()
		t.Move(fyne.NewPos(l.MarkerX+(m.Indent-ts.Width)/2, mid-ts.Height/2))
		t.Resize(ts)
		row.objs = append(row.objs, t)
	case view.MarkTodo, view.MarkDone, view.MarkToggle:
		res := theme.CheckButtonIcon()
		switch {
		case l.Marker == view.MarkDone:
			res = theme.CheckButtonCheckedIcon()
		case l.Marker == view.MarkToggle && row.r.folded[l.Block]:
			res = theme.MenuExpandIcon()
		case l.Marker == view.MarkToggle:
			res = theme.MenuDropDownIcon()
		}
		img := canvas.NewImageFromResource(res)
		d := size * 1.15
		img.Move(fyne.NewPos(l.MarkerX+(m.Indent-d)/2, mid-d/2))
		img.Resize(fyne.NewSize(d, d))
		row.objs = append(row.objs, img)
	}
	for _, f := range l.Frags {
		fg := col(theme.ColorNameForeground)
		if f.Link != "" {
			fg = col(theme.ColorNameHyperlink)
		}
		t := canvas.NewText(f.Text, fg)
		t.TextSize, t.TextStyle = size, runStyle(f.Style)
		tall := t.MinSize().Height
		y := textTop + (lh-tall)/2
		if f.Style&app.StyleCode != 0 && l.Kind != view.LineCode {
			rect(col(theme.ColorNameInputBackground), f.X-1, y, f.W+2, tall, false)
		}
		t.Move(fyne.NewPos(f.X, y))
		t.Resize(fyne.NewSize(max(f.W, t.MinSize().Width), tall))
		row.objs = append(row.objs, t)
		if f.Style&app.StyleStrike != 0 {
			rect(fg, f.X, y+tall*0.55, f.W, 1, false)
		}
		if f.Link != "" {
			rect(fg, f.X, y+tall-2, f.W, 1, false)
		}
	}
}

type lineRowRenderer struct{ row *lineRow }

func (r *lineRowRenderer) Layout(size fyne.Size) {
	for _, s := range r.row.stretch {
		s.Resize(fyne.NewSize(max(size.Width-s.Position().X, 0), s.Size().Height))
	}
}
func (r *lineRowRenderer) MinSize() fyne.Size { return fyne.Size{} }
func (r *lineRowRenderer) Refresh() {
	r.row.build()
	r.Layout(r.row.Size())
}
func (r *lineRowRenderer) Objects() []fyne.CanvasObject { return r.row.objs }
func (r *lineRowRenderer) Destroy()                     {}
