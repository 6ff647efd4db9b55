package view

import "github.com/pagedeck/pagedeck/app"

// How wide text is, measured once on the UI goroutine and read off it.

// Face is a font face the reader measures.
type Face uint8

// The faces.
const (
	FaceRegular Face = iota
	FaceBold
	FaceItalic
	FaceBoldItalic
	FaceMono
	NumFaces
)

// FaceOf is the face a run's style is drawn in.
func FaceOf(s app.RunStyle) Face {
	switch {
	case s&app.StyleCode != 0:
		return FaceMono
	case s&app.StyleBold != 0 && s&app.StyleItalic != 0:
		return FaceBoldItalic
	case s&app.StyleBold != 0:
		return FaceBold
	case s&app.StyleItalic != 0:
		return FaceItalic
	}
	return FaceRegular
}

// TextSize is a line's text size class.
type TextSize uint8

// The size classes: body text and headings 1-3.
const (
	SizeBody TextSize = iota
	SizeH1
	SizeH2
	SizeH3
	NumSizes
)

// Metrics are what the layout needs to know of the fonts: text sizes,
// line heights, and the width of each character in each face at the body
// size (headings scale them). Read-only once made, so any goroutine may
// use them.
type Metrics struct {
	Sizes       [NumSizes]float32
	LineHeights [NumSizes]float32
	Indent      float32 // one level of nesting
	Pad         float32 // inside boxes, between cells

	ascii [NumFaces][128]float32
	more  [NumFaces]map[rune]float32
	guess [NumFaces]float32 // a character not measured: as wide as "M"
}

// The characters measured up front: printable ASCII and Latin-1.
func commonRunes() []rune {
	var rs []rune
	for r := rune(0x20); r < 0x7f; r++ {
		rs = append(rs, r)
	}
	for r := rune(0xa0); r <= 0xff; r++ {
		rs = append(rs, r)
	}
	return append(rs, '…', '–', '—', '‘', '’', '“', '”', '•')
}

// NewMetrics measures the common characters with measure (a width at the
// body size), on the UI thread.
func NewMetrics(sizes, lineHeights [NumSizes]float32, indent, pad float32, measure func(s string, f Face) float32) *Metrics {
	m := &Metrics{Sizes: sizes, LineHeights: lineHeights, Indent: indent, Pad: pad}
	for f := range NumFaces {
		m.more[f] = map[rune]float32{}
		for _, r := range commonRunes() {
			m.set(f, r, measure(string(r), f))
		}
		m.guess[f] = m.ascii[f]['M']
	}
	return m
}

func (m *Metrics) set(f Face, r rune, w float32) {
	if r < 128 {
		m.ascii[f][r] = w
	} else {
		m.more[f][r] = w
	}
}

// With is a copy of m that knows the widths of more characters.
func (m *Metrics) With(runes [NumFaces][]rune, measure func(s string, f Face) float32) *Metrics {
	n := *m
	for f := range NumFaces {
		n.more[f] = make(map[rune]float32, len(m.more[f])+len(runes[f]))
		for r, w := range m.more[f] {
			n.more[f][r] = w
		}
		for _, r := range runes[f] {
			n.set(f, r, measure(string(r), f))
		}
	}
	return &n
}

// width of r in f at the body size; known says whether it was measured.
func (m *Metrics) width(f Face, r rune) (w float32, known bool) {
	if r < 128 {
		return m.ascii[f][r], true
	}
	if w, ok := m.more[f][r]; ok {
		return w, true
	}
	if isWide(r) {
		return 2 * m.guess[f], false
	}
	return m.guess[f], false
}

// isWide: CJK, Hangul, emoji and friends, which take about two columns.
func isWide(r rune) bool {
	return r >= 0x1100 && r <= 0x115f || r >= 0x2e80 && r <= 0xa4cf || r >= 0xac00 && r <= 0xd7a3 ||
		r >= 0xf900 && r <= 0xfaff || r >= 0xfe30 && r <= 0xfe4f || r >= 0xff00 && r <= 0xff60 ||
		r >= 0x1f300 && r <= 0x1faff || r >= 0x20000
}

// TextWidth is the width of s in f at the body size.
func (m *Metrics) TextWidth(s string, f Face) float32 {
	var w float32
	for _, r := range s {
		cw, _ := m.width(f, r)
		w += cw
	}
	return w
}
