package view

import (
	"strings"
	"unicode/utf8"

	"github.com/pagedeck/pagedeck/app"
)

// The reader's blocks that are not running text: code, kept as typed and
// wrapped at the width, and tables, fitted into columns.

// code lays out a code block: monospace, spaces kept, long lines broken
// where they reach the edge. What follows a break goes on one indent past
// the line's own, after an arrow (MarkWrapped), so a wrapped line still
// reads as one line of code. (A block scrolling sideways inside the page's
// scroll would hide the ends of lines and take the wheel from the page.)
func (w *wrapper) code(line Line, x0 float32, code string) {
	line.Pad = w.m.Pad / 2
	lines := strings.Split(strings.ReplaceAll(code, "\t", "    "), "\n")
	runs := make([]app.Run, len(lines))
	for i, l := range lines {
		runs[i] = app.Run{Text: l, Style: app.StyleCode}
	}
	w.start(line, x0, runs, 0)
	first, avail := w.x0, w.avail
	for ri := range runs {
		r := &runs[ri]
		// The rest of a long line lines up one indent past its own
		// leading spaces (at most half the pane in).
		lead := float32(len(r.Text)-len(strings.TrimLeft(r.Text, " "))) * w.charWidth(FaceMono, ' ')
		in := min(lead+w.m.Indent, avail/2)
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
				w.line.Marker, w.line.MarkerX = MarkWrapped, max(first, first+in-w.m.Indent)
				w.x0, w.avail = first+in, avail-in
			}
			w.place([]piece{{run: ri, s: i, e: i + size, w: cw}})
		}
		w.more = false // an empty code line still shows
		w.newLine()
		w.x0, w.avail = first, avail
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
