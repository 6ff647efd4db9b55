package view

import (
	"context"
	"unicode/utf8"

	"github.com/pagedeck/pagedeck/app"
)

// This file lays a page (app.Doc) out into visual lines at a width, for
// the preview's reader: the window shows only the lines on screen, and
// the lines are made here, off the UI thread, in time linear in the
// page's size. Widths come from Metrics, measured once on the UI thread
// (Fyne's text measuring shares unlocked font caches with the painter).

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
	MarkIcon    // a callout's icon, Line.Number
	MarkWrapped // the rest of a code line too long for the pane, after an arrow
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
	w := &wrapper{meter: meter{ctx: ctx, m: m, seen: map[rune]bool{}}, out: l, width: width}
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

// wrapper lays a document out, block by block.
type wrapper struct {
	meter
	out     *Layout
	width   float32
	block   int
	fill    // the line being filled
	pending // the word being read
}

// meter measures characters, noting the ones Metrics has not measured, and
// looks at the layout's context now and then.
type meter struct {
	ctx   context.Context
	m     *Metrics
	count int // characters since ctx was last looked at
	err   error
	seen  map[rune]bool // unmeasured characters already in Layout.Unknown
}

// fill is the line being filled.
type fill struct {
	line  Line
	runs  []app.Run
	extra app.RunStyle
	x0    float32 // where text starts
	x     float32 // width used
	avail float32
	scale float32
	more  bool // a line of this block was emitted already
}

// pending is the word being read, not yet placed, and the spaces before it.
type pending struct {
	word  []piece
	wordW float32
	sp    []piece
	spW   float32
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
func (w *meter) tick() bool {
	w.count++
	if w.count >= checkEvery {
		w.count = 0
		w.err = w.ctx.Err()
	}
	return w.err == nil
}

func (w *wrapper) charWidth(f Face, r rune) float32 {
	cw, known := w.m.width(f, r)
	if !known && !w.seen[r] && len(w.seen) < maxUnknown {
		w.seen[r] = true
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
