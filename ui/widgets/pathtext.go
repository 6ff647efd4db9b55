package widgets

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// pathSep joins a path's titles: "Acme Corp › Engineering › Roadmaps".
const pathSep = " › "

// PlaceLine is a row's second line: where the item lives and when it was
// edited, cut to its width. A long path loses titles from its middle,
// never its last one (the nearest ancestor tells most); the edit time
// always stays.
type PlaceLine struct {
	widget.BaseWidget
	text   *widget.RichText
	path   []string // outermost first; may start with the workspace's name
	cut    bool     // ancestors above the first are out of view: a leading "…"
	suffix string   // " · edited 3 h ago"
	width  float32  // the width the text was fitted to
}

func NewPlaceLine() *PlaceLine {
	l := &PlaceLine{text: NewSecondaryText()}
	l.ExtendBaseWidget(l)
	return l
}

func (l *PlaceLine) Set(path []string, cut bool, suffix string) {
	l.path, l.cut, l.suffix = path, cut, suffix
	l.fit()
}

// String is the whole line, uncut (for tests and tips).
func (l *PlaceLine) String() string { return placeText(l.path, l.cut, -1) + l.suffix }

func (l *PlaceLine) fit() {
	w := l.width - 2*theme.InnerPadding()
	if w <= 0 {
		l.show(l.String(), fyne.TextTruncateEllipsis)
		return
	}
	size := theme.CaptionTextSize()
	measure := func(s string) float32 { return fyne.MeasureText(s, size, fyne.TextStyle{}).Width }
	s := FitPath(l.path, l.cut, w-measure(l.suffix), measure) + l.suffix
	// A line that fits is not cut: Fyne's ellipsis shapes the text again,
	// with a font it makes anew, at every refresh.
	trunc := fyne.TextTruncateEllipsis
	if measure(s)+1 < w {
		trunc = fyne.TextTruncateOff
	}
	l.show(s, trunc)
}

func (l *PlaceLine) show(s string, trunc fyne.TextTruncation) {
	if l.text.Truncation != trunc {
		l.text.Truncation = trunc
		l.text.Segments[0].(*widget.TextSegment).Text = s
		l.text.Refresh()
		return
	}
	SetSecondaryText(l.text, s)
}

// FitPath is the path as text, with titles dropped from its middle (after
// the first) until it fits room; the last title is never dropped.
func FitPath(path []string, cut bool, room float32, measure func(string) float32) string {
	for drop := 0; ; drop++ {
		s := placeText(path, cut, drop)
		if measure(s) <= room || drop >= len(path)-2 {
			return s
		}
	}
}

// placeText writes path with drop titles after the first replaced by "…";
// drop < 0 keeps them all.
func placeText(path []string, cut bool, drop int) string {
	parts := append([]string(nil), path...)
	if drop > 0 && len(parts) > 2 {
		drop = min(drop, len(parts)-2)
		parts = append(append(parts[:1:1], "…"), parts[1+drop:]...)
	}
	s := strings.Join(parts, pathSep)
	if cut {
		if s == "" {
			return "…"
		}
		s = "…" + pathSep + s
	}
	return s
}

func (l *PlaceLine) CreateRenderer() fyne.WidgetRenderer { return &placeRenderer{l: l} }

type placeRenderer struct{ l *PlaceLine }

func (r *placeRenderer) Layout(size fyne.Size) {
	r.l.text.Resize(size)
	if size.Width != r.l.width {
		r.l.width = size.Width
		r.l.fit()
	}
}

// MinSize is one line's height; its width is what the row gives it, never
// the whole line's (which a line that is not cut would ask for).
func (r *placeRenderer) MinSize() fyne.Size {
	return fyne.NewSize(2*theme.InnerPadding(), r.l.text.MinSize().Height)
}
func (r *placeRenderer) Refresh() { r.l.text.Refresh() }
func (r *placeRenderer) Destroy() {}
func (r *placeRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.l.text}
}
