package view

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/pagedeck/pagedeck/app"
)

// This file lays a page (app.Doc) out into visual lines at a width, for
// the preview's reader: the window shows only the lines on screen, and
// the lines are made here, off the UI thread, in time linear in the
// page's size. Widths come from Metrics, measured once on the UI thread
// (Fyne's text measuring shares unlocked font caches with the painter).

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

// LineKind says how a line is drawn.
type LineKind uint8

// The line kinds.
const (
	LineText LineKind = iota
	LineCode
	LineRule
	LineTable
)

// Marker is what a block's first line shows before its text.
type Marker uint8

// The markers.
const (
	MarkNone Marker = iota
	MarkBullet
	MarkHollowBullet
	MarkNumber // Line.Number
	MarkTodo
	MarkDone
	MarkToggle
	MarkIcon // a callout's icon, Line.Number
)

// Frag is text in one style at X (from the line's left), W wide.
type Frag struct {
	Text  string
	Style app.RunStyle
	Link  string
	X, W  float32

	run, start int // where Text is cut from, while the line is built
}

// Line is one visual line.
type Line struct {
	Block int // the block it shows
	Kind  LineKind
	Size  TextSize
	// Top is the gap above the line, part of its Height; Pad is space
	// between the gap and the text (inside a box).
	Top, Pad, Height float32
	Marker           Marker
	MarkerX          float32
	Number           string // a list number or a callout's icon
	Frags            []Frag
	// Boxes: a quote's bar at BarX; a callout's or a code block's
	// background from BoxX to the right edge, starting at BoxY.
	Quote, Callout, Code bool
	BarX, BoxX, BoxY     float32
	// Tables: column edges (Cols) and whether this is the header row.
	Cols   []float32
	Header bool
}

// Layout is a page laid out at a width.
type Layout struct {
	Width  float32
	Lines  []Line
	Tops   []float32 // each line's y
	Height float32
	// Unknown are characters met that Metrics had not measured (a few,
	// for the window to measure and lay out again).
	Unknown [NumFaces][]rune
}

// maxUnknown bounds the characters one layout asks to have measured.
const maxUnknown = 512

// checkEvery is how many characters are laid out between looks at ctx.
const checkEvery = 1 << 16

// Wrap lays d out at width. It stops with ctx's error when ctx ends.
func Wrap(ctx context.Context, d app.Doc, width float32, m *Metrics) (*Layout, error) {
	// Most blocks are one line: room for them up front saves the copies
	// of a growing slice of big lines.
	l := &Layout{Width: width, Lines: make([]Line, 0, len(d.Blocks)+8), Tops: make([]float32, 0, len(d.Blocks)+8)}
	w := &wrapper{ctx: ctx, m: m, out: l, width: width, seen: map[rune]bool{}}
	calloutGroup, calloutX := 0, float32(0)
	var prev *app.Block
	for i := range d.Blocks {
		b := &d.Blocks[i]
		w.block = i
		base := float32(b.Depth) * m.Indent
		line := Line{Block: i}
		if b.Callout != 0 {
			if b.Callout != calloutGroup || prev == nil || prev.Callout != b.Callout {
				calloutGroup, calloutX = b.Callout, base
			}
			line.Callout, line.BoxX = true, calloutX
			base = max(base, calloutX) + m.Pad + m.LineHeights[SizeBody]
			if b.Icon != "" {
				line.Marker, line.MarkerX, line.Number = MarkIcon, calloutX+m.Pad, b.Icon
			}
		}
		line.Top = w.gap(prev, b)
		if line.Callout && prev != nil && prev.Callout == b.Callout {
			line.BoxY = 0 // one box for the whole callout
		} else {
			line.BoxY = line.Top
			if line.Callout {
				line.Pad = m.Pad / 2
			}
		}
		switch b.Kind {
		case app.BlockHeading:
			line.Size = SizeH1 + TextSize(min(max(b.Level, 1), 3)-1)
			w.text(line, base, b.Runs, app.StyleBold)
		case app.BlockBullet:
			line.Marker, line.MarkerX = MarkBullet, base
			if b.Depth%2 == 1 {
				line.Marker = MarkHollowBullet
			}
			w.text(line, base+m.Indent, b.Runs, 0)
		case app.BlockNumber:
			line.Marker, line.MarkerX, line.Number = MarkNumber, base, b.Num+"."
			w.text(line, base+max(m.Indent, m.TextWidth(line.Number, FaceRegular)+m.Pad), b.Runs, 0)
		case app.BlockTodo:
			line.Marker, line.MarkerX = MarkTodo, base
			if b.Checked {
				line.Marker = MarkDone
			}
			w.text(line, base+m.Indent, b.Runs, 0)
		case app.BlockToggle:
			line.Marker, line.MarkerX = MarkToggle, base
			w.text(line, base+m.Indent, b.Runs, 0)
		case app.BlockQuote:
			line.Quote, line.BarX = true, base
			w.text(line, base+m.Indent, b.Runs, 0)
		case app.BlockCode:
			line.Code, line.BoxX, line.BoxY, line.Kind = true, base, line.Top, LineCode
			w.code(line, base+m.Pad, b.Code)
		case app.BlockDivider:
			line.Kind, line.BoxX = LineRule, base
			line.Height = line.Top + m.LineHeights[SizeBody]
			w.emit(line)
		case app.BlockTable:
			w.table(line, base, b.Rows)
		default:
			w.text(line, base, b.Runs, 0)
		}
		if w.err != nil {
			return nil, w.err
		}
		prev = b
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

type wrapper struct {
	ctx   context.Context
	m     *Metrics
	out   *Layout
	width float32
	block int
	count int // characters since ctx was last looked at
	err   error
	seen  map[rune]bool
	nseen int

	// The line being filled.
	line  Line
	runs  []app.Run
	extra app.RunStyle
	x0    float32 // where text starts
	x     float32 // width used
	avail float32
	scale float32
	word  []piece // the word being read, not yet placed
	wordW float32
	sp    []piece // the spaces before it
	spW   float32
	more  bool // a line of this block was emitted already
}

type piece struct {
	run, s, e int
	w         float32
}

// gap is the space above a block.
func (w *wrapper) gap(prev, b *app.Block) float32 {
	lh := w.m.LineHeights[SizeBody]
	switch {
	case prev == nil:
		return 0
	case b.Kind == app.BlockHeading:
		return lh * 0.8
	case isItem(b.Kind) && isItem(prev.Kind), b.Depth > prev.Depth:
		return lh * 0.15
	}
	return lh * 0.45
}

func isItem(k app.BlockKind) bool {
	return k == app.BlockBullet || k == app.BlockNumber || k == app.BlockTodo || k == app.BlockToggle
}

// tick counts a character and looks at ctx now and then.
func (w *wrapper) tick() bool {
	w.count++
	if w.count >= checkEvery {
		w.count = 0
		w.err = w.ctx.Err()
	}
	return w.err == nil
}

func (w *wrapper) charWidth(f Face, r rune) float32 {
	cw, known := w.m.width(f, r)
	if !known && !w.seen[r] && w.nseen < maxUnknown {
		w.seen[r] = true
		w.nseen++
		w.out.Unknown[f] = append(w.out.Unknown[f], r)
	}
	return cw * w.scale
}

// start begins a block's lines: text from x0, in the line's size.
func (w *wrapper) start(line Line, x0 float32, runs []app.Run, extra app.RunStyle) {
	w.line, w.runs, w.extra, w.x0, w.x, w.more = line, runs, extra, x0, 0, false
	w.scale = w.m.Sizes[line.Size] / w.m.Sizes[SizeBody]
	w.avail = max(w.width-x0-w.m.Pad, 4*w.m.guess[FaceRegular]*w.scale)
	w.word, w.wordW, w.sp, w.spW = w.word[:0], 0, w.sp[:0], 0
}

// text lays a block's runs out as word-wrapped lines.
func (w *wrapper) text(line Line, x0 float32, runs []app.Run, extra app.RunStyle) {
	w.start(line, x0, runs, extra)
	for ri := range runs {
		r := &runs[ri]
		f := FaceOf(r.Style | extra)
		for i, c := range r.Text {
			if !w.tick() {
				return
			}
			size := utf8.RuneLen(c)
			if c == utf8.RuneError {
				size = 1
			}
			cw := w.charWidth(f, c)
			if c == ' ' || c == '\t' || c == '\n' {
				if len(w.word) > 0 {
					w.flushWord()
				}
				w.sp, w.spW = addPiece(w.sp, ri, i, i+size, cw), w.spW+cw
				continue
			}
			if len(w.word) > 0 && w.wordW+cw > w.avail {
				// A word longer than a line: broken where the line ends.
				if w.x > 0 {
					w.newLine()
				}
				w.place(w.word)
				w.newLine()
				w.word, w.wordW, w.sp, w.spW = w.word[:0], 0, w.sp[:0], 0
			}
			w.word, w.wordW = addPiece(w.word, ri, i, i+size, cw), w.wordW+cw
		}
	}
	if len(w.word) > 0 {
		w.flushWord()
	}
	w.newLine()
}

func addPiece(ps []piece, run, s, e int, cw float32) []piece {
	if n := len(ps); n > 0 && ps[n-1].run == run && ps[n-1].e == s {
		ps[n-1].e, ps[n-1].w = e, ps[n-1].w+cw
		return ps
	}
	return append(ps, piece{run: run, s: s, e: e, w: cw})
}

// flushWord places the word read, after its spaces, or on a new line.
func (w *wrapper) flushWord() {
	if w.x > 0 && w.x+w.spW+w.wordW > w.avail {
		w.newLine()
	} else if w.x > 0 {
		w.place(w.sp)
	}
	w.place(w.word)
	w.word, w.wordW, w.sp, w.spW = w.word[:0], 0, w.sp[:0], 0
}

// place puts pieces at the end of the line, joining a fragment of the
// same run they continue.
func (w *wrapper) place(ps []piece) {
	for _, p := range ps {
		fr := w.line.Frags
		if n := len(fr); n > 0 && fr[n-1].run == p.run && fr[n-1].start+len(fr[n-1].Text) == p.s {
			f := &fr[n-1]
			f.Text = w.runs[p.run].Text[f.start:p.e]
			f.W += p.w
		} else {
			r := &w.runs[p.run]
			w.line.Frags = append(w.line.Frags, Frag{Text: r.Text[p.s:p.e], Style: r.Style | w.extra, Link: r.Link,
				X: w.x0 + w.x, W: p.w, run: p.run, start: p.s})
		}
		w.x += p.w
	}
}

// newLine ends the line being filled (an empty block still shows one).
func (w *wrapper) newLine() {
	if len(w.line.Frags) == 0 && w.more {
		return
	}
	line := w.line
	line.Height = line.Top + line.Pad + w.m.LineHeights[line.Size]
	w.emit(line)
	// Continuation lines: no gap, no marker, the same boxes.
	w.line.Frags, w.line.Top, w.line.Pad, w.line.Marker, w.line.BoxY = nil, 0, 0, MarkNone, 0
	w.x, w.more = 0, true
}

func (w *wrapper) emit(line Line) {
	l := w.out
	l.Tops = append(l.Tops, l.Height)
	l.Lines = append(l.Lines, line)
	l.Height += line.Height
}

// code lays out a code block: monospace, spaces kept, long lines broken
// where they reach the edge.
func (w *wrapper) code(line Line, x0 float32, code string) {
	line.Pad = w.m.Pad / 2
	lines := strings.Split(strings.ReplaceAll(code, "\t", "    "), "\n")
	runs := make([]app.Run, len(lines))
	for i, l := range lines {
		runs[i] = app.Run{Text: l, Style: app.StyleCode}
	}
	w.start(line, x0, runs, 0)
	for ri := range runs {
		r := &runs[ri]
		for i, c := range r.Text {
			if !w.tick() {
				return
			}
			size := utf8.RuneLen(c)
			if c == utf8.RuneError {
				size = 1
			}
			cw := w.charWidth(FaceMono, c)
			if w.x > 0 && w.x+cw > w.avail {
				w.newLine()
			}
			w.place([]piece{{run: ri, s: i, e: i + size, w: cw}})
		}
		w.more = false // an empty code line still shows
		w.newLine()
	}
	// Room below the last line, inside the background.
	if n := len(w.out.Lines); n > 0 {
		w.out.Lines[n-1].Height += w.m.Pad / 2
		w.out.Height += w.m.Pad / 2
	}
}

// table lays a table out as a fitted grid: each column as wide as its
// widest cell if they all fit, else the space shared out so that narrow
// columns keep their width; cells that do not fit end in "…". The first
// row is the header.
func (w *wrapper) table(line Line, x0 float32, rows [][][]app.Run) {
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return
	}
	pad := w.m.Pad
	w.scale = 1
	natural := make([]float32, cols)
	for ri, r := range rows {
		for j, c := range r {
			var cw float32
			for _, run := range c {
				st := run.Style
				if ri == 0 {
					st |= app.StyleBold
				}
				cw += w.m.TextWidth(run.Text, FaceOf(st))
			}
			natural[j] = max(natural[j], cw+2*pad)
		}
	}
	widths := fitColumns(natural, max(w.width-x0-pad, float32(cols)*4*pad))
	edges := make([]float32, cols+1)
	edges[0] = x0
	for j, cw := range widths {
		edges[j+1] = edges[j] + cw
	}
	lh := w.m.LineHeights[SizeBody]
	for ri, r := range rows {
		if !w.tick() {
			return
		}
		l := line
		l.Kind, l.Cols, l.Header, l.Pad = LineTable, edges, ri == 0, pad/2
		if ri > 0 {
			l.Top = 0
		}
		for j, c := range r {
			var extra app.RunStyle
			if ri == 0 {
				extra = app.StyleBold
			}
			l.Frags = append(l.Frags, w.truncate(c, extra, edges[j]+pad, widths[j]-2*pad)...)
		}
		l.Height = l.Top + lh + pad
		w.emit(l)
	}
}

// fitColumns shares avail out among columns that want natural widths:
// all of it when they fit, else each column gets the lesser of what it
// wants and an even share of what the narrower ones left.
func fitColumns(natural []float32, avail float32) []float32 {
	var total float32
	for _, n := range natural {
		total += n
	}
	out := append([]float32(nil), natural...)
	if total <= avail {
		return out
	}
	left, open := avail, len(natural)
	done := make([]bool, len(natural))
	for open > 0 {
		share := left / float32(open)
		changed := false
		for j, n := range natural {
			if !done[j] && n <= share {
				done[j], out[j], left, open, changed = true, n, left-n, open-1, true
			}
		}
		if !changed {
			for j := range natural {
				if !done[j] {
					out[j] = share
				}
			}
			break
		}
	}
	return out
}

// truncate lays a cell's runs out on one line from x, at most width
// wide, ending in "…" when cut.
func (w *wrapper) truncate(runs []app.Run, extra app.RunStyle, x, width float32) []Frag {
	var out []Frag
	var used float32
	for _, r := range runs {
		st := r.Style | extra
		f := FaceOf(st)
		ell := w.m.TextWidth("…", f)
		var fw float32
		for i, c := range r.Text {
			cw := w.charWidth(f, c)
			if used+fw+cw > width {
				// Cut here, leaving room for the ellipsis.
				text := r.Text[:i]
				for used+fw+ell > width && text != "" {
					last, size := utf8.DecodeLastRuneInString(text)
					text = text[:len(text)-size]
					lw, _ := w.m.width(f, last)
					fw -= lw
				}
				return append(out, Frag{Text: text + "…", Style: st, Link: r.Link, X: x + used, W: fw + ell})
			}
			fw += cw
		}
		out = append(out, Frag{Text: r.Text, Style: st, Link: r.Link, X: x + used, W: fw})
		used += fw
	}
	return out
}

// At is the index of the line at y, for a layout's Tops.
func At(tops []float32, y float32) int {
	lo, hi := 0, len(tops)
	for lo < hi {
		mid := (lo + hi) / 2
		if tops[mid] <= y {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return max(lo-1, 0)
}

// Fold is the layout with the children of the folded toggles left out
// (folded[i]: block i, a toggle, is closed).
func Fold(l *Layout, d app.Doc, folded map[int]bool) *Layout {
	if len(folded) == 0 {
		return l
	}
	out := &Layout{Width: l.Width, Unknown: l.Unknown}
	from, to := -1, -1 // the blocks left out: (from, to)
	for i, line := range l.Lines {
		if line.Block > from && line.Block < to {
			continue
		}
		if folded[line.Block] && line.Block < len(d.Blocks) {
			from, to = line.Block, d.Blocks[line.Block].End
		}
		out.Tops = append(out.Tops, out.Height)
		out.Lines = append(out.Lines, line)
		out.Height += l.Lines[i].Height
	}
	return out
}
