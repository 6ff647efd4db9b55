package ui

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/notion/notiontest"
	"github.com/pagedeck/pagedeck/ui/view"
)

// ---- Reading the preview's reader ----

// readerTexts are the texts the reader draws, in drawing order.
func (f *fixture) readerTexts() []string {
	var out []string
	walk(f.w.views.preview.reader.object(), func(o fyne.CanvasObject) {
		if t, ok := o.(*canvas.Text); ok {
			out = append(out, t.Text)
		}
	})
	return out
}

// readerText is the text object the reader draws for s (a whole run),
// scrolling with the mouse wheel from the top until it is on screen.
func (f *fixture) readerText(s string) *canvas.Text {
	f.t.Helper()
	var found *canvas.Text
	f.wheel(1e6)
	for range 50 {
		walk(f.w.views.preview.reader.object(), func(o fyne.CanvasObject) {
			if t, ok := o.(*canvas.Text); ok && t.Text == s && found == nil {
				found = t
			}
		})
		if found != nil {
			// Wholly in view: the wheel once more if it is cut at the bottom.
			sc := f.w.views.preview.reader.scroll
			if bottom := f.abs(found).Y + found.MinSize().Height; bottom <= f.abs(sc).Y+sc.Size().Height {
				break
			}
		}
		found = nil
		f.wheel(-60)
	}
	if found == nil {
		f.t.Fatalf("the reader shows no %q; it shows %q", s, f.readerTexts())
	}
	return found
}

// wheel scrolls the reader by dy (negative: down), as the mouse wheel does.
func (f *fixture) wheel(dy float32) {
	sc := f.w.views.preview.reader.scroll
	sc.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(10, 10)}, Scrolled: fyne.NewDelta(0, dy)})
	f.q.drain()
}

// rowOf is the line widget that draws o.
func (f *fixture) rowOf(o fyne.CanvasObject) *lineRow {
	for _, row := range f.w.views.preview.reader.body.rows {
		for _, x := range row.objs {
			if x == o {
				return row
			}
		}
	}
	f.t.Fatalf("%v is in no row", o)
	return nil
}

// previewOf opens the window on ws's pages, types query and opens the
// preview (Ctrl+Y) on the first result.
func (f *fixture) previewOf(query string) {
	f.t.Helper()
	f.open()
	f.typeText(query)
	f.pump("the results", func() bool { return len(f.w.views.results.hits) > 0 })
	f.shortcut(fyne.KeyY, 0)
	f.pump("the preview", func() bool { return f.w.views.preview.visible() })
}

func richSample(t *testing.T) string {
	md, err := os.ReadFile("../app/content/testdata/rich.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(md)
}

// The rich sample page reads as a reader expects: nested lists on their
// own indented lines, to-dos as check marks, the table in columns, struck
// text struck, and a link that opens through the window's checks.
func TestPreviewRendersTheRichSample(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.addWorkspace("Acme", "🚀", 3, 0)
	f.Emu.SetContent(f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Rich sample"}), richSample(t))
	f.connectNoSync(ws)
	f.sync(ws)
	f.previewOf("rich")
	f.pump("the page's text", func() bool { return strings.Contains(strings.Join(f.readerTexts(), "|"), "level three") })
	capture(t, f, "/tmp/preview-rich.png")

	one, two, three := f.abs(f.readerText("level one")), f.abs(f.readerText("level two")), f.abs(f.readerText("level three"))
	if !(one.X < two.X && two.X < three.X && one.Y < two.Y && two.Y < three.Y) {
		t.Errorf("nested list: level one at %v, two at %v, three at %v", one, two, three)
	}
	if first, nested := f.abs(f.readerText("first")), f.abs(f.readerText("nested first")); nested.X <= first.X || nested.Y <= first.Y {
		t.Errorf("nested numbers: %v, %v", first, nested)
	}
	// To-dos: a checked box and an empty one, no "[x]".
	icons := func(s string) []string {
		var names []string
		for _, o := range f.rowOf(f.readerText(s)).objs {
			if img, ok := o.(*canvas.Image); ok && img.Resource != nil {
				names = append(names, img.Resource.Name())
			}
		}
		return names
	}
	if got := icons("done thing"); len(got) != 1 || got[0] != theme.CheckButtonCheckedIcon().Name() {
		t.Errorf("done to-do shows %v", got)
	}
	if got := icons("open thing"); len(got) != 1 || got[0] != theme.CheckButtonIcon().Name() {
		t.Errorf("open to-do shows %v", got)
	}
	if s := strings.Join(f.readerTexts(), "|"); strings.Contains(s, "[x]") || strings.Contains(s, "[ ]") || strings.Contains(s, "|---") {
		t.Errorf("markup shows: %s", s)
	}
	// The table: one row a line, each column at one x.
	name, role, notes := f.abs(f.readerText("Name")), f.abs(f.readerText("Role")), f.abs(f.readerText("Notes"))
	ada, lead := f.abs(f.readerText("Ada")), f.abs(f.readerText("Lead"))
	if name.Y != role.Y || role.Y != notes.Y || !(name.X < role.X && role.X < notes.X) || ada.X != name.X || lead.X != role.X || ada.Y <= name.Y {
		t.Errorf("table: Name %v Role %v Notes %v Ada %v Lead %v", name, role, notes, ada, lead)
	}
	f.readerText(" and tracker") // the page's end
	capture(t, f, "/tmp/preview-rich-2.png")
	// Struck text has a line through it.
	struck := f.readerText("struck out")
	crossed := false
	for _, o := range f.rowOf(struck).objs {
		if r, ok := o.(*canvas.Rectangle); ok && r.Size().Height <= 1 && r.Position().X == struck.Position().X &&
			r.Position().Y > struck.Position().Y && r.Position().Y < struck.Position().Y+struck.MinSize().Height*0.8 {
			crossed = true
		}
	}
	if !crossed {
		t.Error("the struck text has no line through it")
	}
	if h := f.readerText("Rich content sample"); !h.TextStyle.Bold || h.TextSize <= f.readerText("level one").TextSize {
		t.Errorf("heading: bold %v size %v", h.TextStyle.Bold, h.TextSize)
	}
	// A tap on a link goes through the window's link route; an image is a
	// link too, never fetched, and the http tracker is text only.
	link := f.readerText("link")
	hover(f, f.centre(link))
	if c := f.rowOf(link).Cursor(); c != desktop.PointerCursor {
		t.Errorf("over a link the pointer is %v", c)
	}
	hover(f, f.abs(f.readerText("A paragraph with ")).AddXY(5, 5))
	if c := f.rowOf(link).Cursor(); c != desktop.DefaultCursor {
		t.Errorf("over plain text the pointer is %v", c)
	}
	f.clickOn(link)
	f.clickOn(f.readerText(" and tracker"))
	f.pump("the link", func() bool { return len(f.op.opened()) == 1 })
	if got := f.op.opened(); got[0] != "https://example.com/docs" {
		t.Errorf("opened %v", got)
	}
	// A narrower window lays the page out again: no text passes the edge.
	f.w.Window().Resize(fyne.NewSize(760, 660))
	rd := f.w.views.preview.reader
	f.pump("the page laid out at the new width", func() bool {
		edge := f.abs(rd.scroll).X + rd.scroll.Size().Width
		for _, row := range rd.body.rows {
			for _, o := range row.objs {
				if t, ok := o.(*canvas.Text); ok && f.abs(t).X+t.MinSize().Width > edge+1 {
					return false
				}
			}
		}
		return len(rd.body.rows) > 0
	})
	// A tap on the toggle's arrow closes it, and again opens it.
	toggle := f.readerText("A toggle")
	arrow := f.abs(toggle).Subtract(fyne.NewPos(toggle.Position().X/2, -toggle.MinSize().Height/2))
	f.click(arrow)
	if strings.Contains(strings.Join(f.readerTexts(), "|"), "Hidden child text") {
		t.Error("the closed toggle still shows its child")
	}
	f.click(arrow)
	f.readerText("Hidden child text")
}

func capture(t *testing.T, f *fixture, path string) {
	out, err := os.Create(path)
	if err != nil {
		t.Log(err)
		return
	}
	defer out.Close()
	if err := png.Encode(out, f.w.Window().Canvas().Capture()); err != nil {
		t.Log(err)
	}
}

// manyBlocks is a page of n blocks: items, nested items and paragraphs.
func manyBlocks(n int) string {
	var b strings.Builder
	for i := range n {
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "- item %d\n", i)
		case 1:
			fmt.Fprintf(&b, "\t- nested %d with **bold**\n", i)
		default:
			fmt.Fprintf(&b, "Paragraph %d.\n", i)
		}
	}
	return b.String()
}

// hugePages is a workspace with a 5 MB one-line page and a page of
// 100,000 blocks, both "sample"s, crawled.
func hugePages(t *testing.T) *fixture {
	// One answer holds the whole page: the test is about the window.
	f := newFixture(t, nil, apptest.WithEmulator(func(o *notiontest.Options) { o.RecordLimit = 200_000 }))
	ws := f.addWorkspace("Acme", "🚀", 3, 0)
	f.Emu.SetContent(f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Wall sample"}), strings.Repeat("wall of text ", 5<<20/13))
	f.Emu.SetContent(f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Blocks sample"}), manyBlocks(100_000))
	f.connectNoSync(ws)
	if _, err := f.core.Sync(context.Background(), ws, true, nil); err != nil {
		f.t.Fatal(err)
	}
	if res, err := f.core.CrawlContent(context.Background(), ws, nil); err != nil || res.Fetched != 2 {
		t.Fatalf("crawl: %+v %v", res, err)
	}
	return f
}

// firstText is what a huge page's first line starts with.
func firstText(title string) string {
	if strings.HasPrefix(title, "Wall") {
		return "wall of text"
	}
	return "item 0"
}

// A 5 MB one-line page and a page of 100,000 blocks. Moving the highlight
// while the first is still being laid out shows the second: its title
// never stands over the first page's text, and the first's layout, when
// it comes, is dropped. Each shows its first lines, and scrolling through
// makes no more row widgets than a screenful needs: only what is on
// screen has widgets.
func TestPreviewHugePages(t *testing.T) {
	f := hugePages(t)
	f.previewOf("sample")
	old := f.w.views.results.current()
	p := f.w.views.preview
	f.pump("the page read", func() bool { return strings.HasPrefix(p.meta.String(), "Stored copy") })
	f.key(fyne.KeyDown)
	now := f.w.views.results.current()
	if now == nil || now.ID == old.ID {
		t.Fatalf("the highlight did not move from %q", old.Title)
	}
	oldText, newText := firstText(old.Title), firstText(now.Title)
	f.pump("the new page", func() bool {
		texts := strings.Join(f.readerTexts(), "|")
		if p.title.Text == now.Title && strings.Contains(texts, oldText) {
			t.Fatalf("%q shows over the text of %q", now.Title, old.Title)
		}
		return strings.Contains(texts, newText)
	})
	f.settle()
	if texts := strings.Join(f.readerTexts(), "|"); strings.Contains(texts, oldText) || !strings.Contains(texts, newText) {
		t.Errorf("after the old layout's time: %.200s", texts)
	}

	rd := p.reader
	screenful := func() int {
		return 2*int(rd.scroll.Size().Height/rd.metrics.LineHeights[view.SizeBody]) + 4
	}
	for _, h := range []*app.Hit{now, old} {
		if f.w.views.results.current().ID != h.ID {
			f.key(fyne.KeyUp)
		}
		want := firstText(h.Title)
		f.pump("the first lines of "+h.Title, func() bool {
			return p.title.Text == h.Title && strings.Contains(strings.Join(f.readerTexts(), "|"), want)
		})
		before := strings.Join(f.readerTexts(), "|")
		for range 100 {
			f.wheel(-400)
		}
		if after := strings.Join(f.readerTexts(), "|"); after == "" || after == before {
			t.Errorf("%s: scrolling shows %.100q", h.Title, after)
		}
		if rd.body.created > screenful() {
			t.Errorf("%s: %d row widgets made for a screenful of %d", h.Title, rd.body.created, screenful())
		}
	}
}
