package view

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/app"
)

// testMetrics: every character 7 wide (monospace 8), lines 20 high.
func testMetrics() *Metrics {
	return NewMetrics([NumSizes]float32{14, 28, 21, 17}, [NumSizes]float32{20, 36, 28, 24}, 20, 8,
		func(s string, f Face) float32 {
			if f == FaceMono {
				return 8
			}
			return 7
		})
}

func wrapped(t testing.TB, md string, width float32) (*Layout, app.Doc) {
	t.Helper()
	d := app.NewDoc(md)
	l, err := Wrap(context.Background(), d, width, testMetrics())
	if err != nil {
		t.Fatal(err)
	}
	return l, d
}

// lineText is what a line shows, markers included.
func lineText(l Line) string {
	var b strings.Builder
	switch l.Marker {
	case MarkBullet:
		b.WriteString("• ")
	case MarkHollowBullet:
		b.WriteString("◦ ")
	case MarkNumber, MarkIcon:
		b.WriteString(l.Number + " ")
	case MarkTodo:
		b.WriteString("☐ ")
	case MarkDone:
		b.WriteString("☑ ")
	case MarkToggle:
		b.WriteString("▾ ")
	}
	for i, f := range l.Frags {
		if l.Kind == LineTable && i > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(f.Text)
	}
	return b.String()
}

func TestWrapBreaksAtWordsWithinTheWidth(t *testing.T) {
	l, _ := wrapped(t, "the quick brown fox jumps over the lazy dog and keeps on running far away", 200)
	var got []string
	for _, line := range l.Lines {
		got = append(got, lineText(line))
		for _, f := range line.Frags {
			if f.X+f.W > 200 {
				t.Errorf("%q ends at %v, past the width", f.Text, f.X+f.W)
			}
		}
	}
	joined := strings.Join(got, "\n")
	for _, line := range got {
		if strings.HasPrefix(line, " ") || len(line) > 28 {
			t.Errorf("line %q", line)
		}
	}
	if strings.ReplaceAll(joined, "\n", " ") != "the quick brown fox jumps over the lazy dog and keeps on running far away" {
		t.Errorf("text lost or changed:\n%s", joined)
	}
}

// A word or link longer than a line is broken where the line ends, not
// one character a line.
func TestWrapLongWordsAndLinks(t *testing.T) {
	long := strings.Repeat("x", 100)
	l, _ := wrapped(t, "see [a link with words](https://example.com/a) then "+long+" end", 150)
	var got []string
	for _, line := range l.Lines {
		got = append(got, lineText(line))
	}
	// 150 - 8 pad = 142 wide: 20 characters of 7.
	want := []string{"see a link with", "words then", strings.Repeat("x", 20), strings.Repeat("x", 20),
		strings.Repeat("x", 20), strings.Repeat("x", 20), strings.Repeat("x", 20), "end"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if f := l.Lines[0].Frags[1]; f.Link != "https://example.com/a" || f.Text != "a link with" || f.X != 4*7 {
		t.Errorf("the link fragment: %+v", f)
	}
}

func TestWrapRichSample(t *testing.T) {
	md, err := os.ReadFile("../../app/content/testdata/rich.md")
	if err != nil {
		t.Fatal(err)
	}
	l, _ := wrapped(t, string(md), 700)
	var got []string
	for _, line := range l.Lines {
		got = append(got, fmt.Sprintf("%v %s", line.Frags != nil && line.Frags[0].X >= 0, lineText(line)))
	}
	find := func(s string) Line {
		for _, line := range l.Lines {
			if strings.Contains(lineText(line), s) {
				return line
			}
		}
		t.Fatalf("no line %q in:\n%s", s, strings.Join(got, "\n"))
		return Line{}
	}
	one, two, three := find("level one"), find("level two"), find("level three")
	if !(one.MarkerX < two.MarkerX && two.MarkerX < three.MarkerX) || one.Marker != MarkBullet || two.Marker != MarkHollowBullet {
		t.Errorf("nested bullets: %+v %+v %+v", one, two, three)
	}
	if n := find("nested first"); n.Number != "1." || n.MarkerX <= find("first").MarkerX {
		t.Errorf("nested number: %+v", n)
	}
	if find("done thing").Marker != MarkDone || find("open thing").Marker != MarkTodo {
		t.Error("to-dos")
	}
	if q := find("A quote"); !q.Quote {
		t.Error("the quote has no bar")
	}
	if c := find("Mind the"); !c.Callout || c.Marker != MarkIcon || c.Number != "💡" || !find("a point inside").Callout {
		t.Errorf("callout: %+v", c)
	}
	if c := find("fmt.Println"); c.Kind != LineCode || !c.Code || c.Frags[0].Text != "    fmt.Println(\"hello\")" {
		t.Errorf("code: %+v", c)
	}
	h := find("Name")
	if h.Kind != LineTable || !h.Header || len(h.Cols) != 4 || lineText(h) != "Name | Role | Notes" {
		t.Errorf("table header: %q %+v", lineText(h), h)
	}
	// Cells line up: each column starts at the same x on every row.
	ada := find("Ada")
	for j := range 2 {
		if h.Frags[j].X != ada.Frags[j].X {
			t.Errorf("column %d: %v vs %v", j, h.Frags[j].X, ada.Frags[j].X)
		}
	}
	var struck, bold bool
	for _, f := range find("struck").Frags {
		struck = struck || f.Text == "struck out" && f.Style&app.StyleStrike != 0
	}
	for _, f := range find("Rich content").Frags {
		bold = f.Style&app.StyleBold != 0
	}
	if !struck || !bold || find("Rich content").Size != SizeH1 {
		t.Error("strikethrough or heading style lost")
	}
}

// A table wider than the pane is fitted: narrow columns keep their width,
// wide cells end in "…", and nothing passes the edge.
func TestWrapFitsWideTables(t *testing.T) {
	md := "| a | b |\n|---|---|\n| x | " + strings.Repeat("long ", 40) + "|\n"
	l, _ := wrapped(t, md, 300)
	row := l.Lines[1]
	if len(row.Frags) != 2 || row.Frags[0].Text != "x" || !strings.HasSuffix(row.Frags[1].Text, "…") {
		t.Fatalf("row %+v", row.Frags)
	}
	if end := row.Frags[1].X + row.Frags[1].W; end > 300 {
		t.Errorf("the cell ends at %v, past 300", end)
	}
}

func TestFoldHidesAToggleChildren(t *testing.T) {
	l, d := wrapped(t, "<details>\n<summary>Open me</summary>\n\tinside\n\tinside too\n</details>\nafter", 400)
	if len(l.Lines) != 4 {
		t.Fatalf("%d lines", len(l.Lines))
	}
	f := Fold(l, d, map[int]bool{0: true})
	var got []string
	for _, line := range f.Lines {
		got = append(got, lineText(line))
	}
	if strings.Join(got, "|") != "▾ Open me|after" || f.Height >= l.Height || f.Tops[1] != f.Lines[0].Height {
		t.Errorf("folded: %v (height %v of %v)", got, f.Height, l.Height)
	}
}

// A 5 MB paragraph on one line is laid out whole: every word is on a
// line, no line is wider than the pane. (Its speed is BenchmarkWrap.)
func TestWrapHugeParagraph(t *testing.T) {
	in := strings.Repeat("wall of text ", 400000)
	l, _ := wrapped(t, in, 500)
	var b strings.Builder
	for _, line := range l.Lines {
		for _, f := range line.Frags {
			if f.X+f.W > 500 {
				t.Fatalf("a fragment passes the edge: %+v", f)
			}
			b.WriteString(f.Text)
		}
		b.WriteByte(' ')
	}
	if got := strings.Join(strings.Fields(b.String()), " "); got != strings.TrimSpace(in) {
		t.Errorf("the text changed: %d bytes of %d", len(got), len(in))
	}
	if len(l.Tops) != len(l.Lines) || l.Tops[len(l.Tops)-1] >= l.Height {
		t.Error("tops")
	}
	if i := At(l.Tops, l.Height/2); l.Tops[i] > l.Height/2 || l.Tops[i]+l.Lines[i].Height < l.Height/2 {
		t.Errorf("At(middle) = %d", i)
	}
}

func TestWrapStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Wrap(ctx, app.NewDoc(strings.Repeat("word ", 100000)), 300, testMetrics()); err == nil {
		t.Error("a cancelled layout finished")
	}
}

// Characters not measured are laid out as wide ones and listed, for the
// window to measure; the second layout knows them.
func TestWrapListsUnmeasuredCharacters(t *testing.T) {
	m := testMetrics()
	d := app.NewDoc("日本語 and ÷ **ж**")
	l, err := Wrap(context.Background(), d, 300, m)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(l.Unknown[FaceRegular]) + "|" + string(l.Unknown[FaceBold]); got != "日本語|ж" {
		t.Errorf("unknown: %q", got)
	}
	m2 := m.With(l.Unknown, func(string, Face) float32 { return 9 })
	l2, _ := Wrap(context.Background(), d, 300, m2)
	if len(l2.Unknown[FaceRegular])+len(l2.Unknown[FaceBold]) != 0 || l2.Lines[0].Frags[0].W != 3*9+7*7 {
		t.Errorf("second layout: %+v", l2.Lines[0].Frags)
	}
}

func docOfBlocks(n int) string {
	var b strings.Builder
	for i := range n {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "- item %d with a few words in it\n", i)
		case 1:
			fmt.Fprintf(&b, "\t- nested %d **bold** and [a link](https://example.com/%d)\n", i, i)
		case 2:
			fmt.Fprintf(&b, "Paragraph %d says something about the plan, at some length, so that it wraps on a narrow pane.\n", i)
		default:
			fmt.Fprintf(&b, "## Heading %d\n", i)
		}
	}
	return b.String()
}

func TestWrapManyBlocks(t *testing.T) {
	l, d := wrapped(t, docOfBlocks(100_000), 400)
	if len(d.Blocks) != 100_000 || len(l.Lines) < 100_000 || l.Lines[len(l.Lines)-1].Block != 99_999 {
		t.Errorf("%d blocks, %d lines", len(d.Blocks), len(l.Lines))
	}
}

// BenchmarkWrap: building the document and laying it out, for a 5 MB
// paragraph on one line and a page of 100,000 blocks.
func BenchmarkWrap(b *testing.B) {
	for _, c := range []struct{ name, md string }{
		{"5MB-line", strings.Repeat("wall of text ", 5<<20/13)},
		{"100k-blocks", docOfBlocks(100_000)},
	} {
		m := testMetrics()
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.md)))
			for b.Loop() {
				if _, err := Wrap(context.Background(), app.NewDoc(c.md), 500, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A code line too long for the pane goes on below, one indent in, after an
// arrow; a line that fits, and the line after a long one, start at the left.
func TestWrapCodeMarksTheRestOfALongLine(t *testing.T) {
	long := strings.Repeat("x := compute(a, b, c) + ", 12)
	l, _ := wrapped(t, "```go\nshort()\n"+long+"\nafter()\n```\n", 300)
	var code []Line
	for _, line := range l.Lines {
		if line.Kind == LineCode {
			code = append(code, line)
		}
	}
	if len(code) < 4 {
		t.Fatalf("%d code lines for a long line between two short ones", len(code))
	}
	left := code[0].Frags[0].X
	for i, line := range code {
		text := lineText(line)
		rest := i > 1 && i < len(code)-1
		switch {
		case rest && (line.Marker != MarkWrapped || line.Frags[0].X <= left):
			t.Errorf("line %d %q goes on a long line: marker %v at x %.0f (the block's text at %.0f)", i, text, line.Marker, line.Frags[0].X, left)
		case !rest && (line.Marker != MarkNone || line.Frags[0].X != left):
			t.Errorf("line %d %q starts a line: marker %v at x %.0f", i, text, line.Marker, line.Frags[0].X)
		}
		if end := line.Frags[len(line.Frags)-1]; end.X+end.W > 300 {
			t.Errorf("line %d %q runs to %.0f, past the pane's 300", i, text, end.X+end.W)
		}
	}
	if got := lineText(code[len(code)-1]); got != "after()" {
		t.Errorf("the last line is %q", got)
	}
}
