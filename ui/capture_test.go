package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/notion/notiontest"
	"github.com/pagedeck/pagedeck/ui/dialogs"
	"github.com/pagedeck/pagedeck/ui/widgets"
)

// highlightPage moves the highlight down to the first page (not a
// database) in the results, and returns it.
func (f *fixture) highlightPage() *app.Hit {
	f.t.Helper()
	for range len(f.w.views.results.hits) {
		if h := f.w.views.results.current(); h != nil && h.Kind == app.KindPage {
			return h
		}
		f.key(fyne.KeyDown)
	}
	f.t.Fatal("no page among the results")
	return nil
}

// childPages are the pages the API made under parent, by title.
func (f *fixture) childPages(parent string) map[string]int {
	out := map[string]int{}
	for _, b := range f.Emu.Written(parent) {
		if b.Type == "child_page" {
			out[b.Text]++
		}
	}
	return out
}

// Ctrl+Shift+N on the highlighted page, a title, a body, Enter: the page
// is in Notion once, under that page, and in the list at once.
func TestCaptureANewPageFromTheWindow(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 41, 30)
	f.open()
	parent := f.highlightPage()
	f.shortcut(fyne.KeyN, fyne.KeyModifierShift)
	if !f.dialogOpen() || !strings.Contains(f.texts(), "New page in “"+app.DisplayTitle(parent.Title)+"”") {
		t.Fatalf("Ctrl+Shift+N opened no form for %q:\n%s", parent.Title, f.texts())
	}
	f.key(fyne.KeyReturn)
	if !f.dialogOpen() || !strings.Contains(f.labels(), "A new page needs a title.") {
		t.Fatalf("Enter with no title was not refused:\n%s", f.labels())
	}
	f.typeText("Groceries")
	f.key(fyne.KeyTab)
	f.typeText("milk and eggs")
	f.key(fyne.KeyReturn)
	f.pump("the page in Notion, and nothing waiting", func() bool {
		return !f.dialogOpen() && f.childPages(parent.ID)["Groceries"] == 1 && !f.w.views.outbox.root.Visible()
	})
	f.typeText("Groceries")
	f.pump("the new page in the list", func() bool { return len(f.visibleTitles()) > 0 && f.visibleTitles()[0] == "Groceries" })
}

// With Notion down, a capture waits in the outbox, which the window shows;
// Retry sends it once Notion is back, and Drop forgets one, after asking.
func TestCaptureWaitsInTheOutboxThenRetryAndDrop(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 42, 30)
	f.open()
	parent := f.highlightPage()
	f.Emu.FailAll("/v1/pages", notiontest.FaultUnavailable)
	f.rightClick(f.centre(f.highlighted()))
	f.clickMenuItem("New page in…")
	f.typeText("Offline idea")
	f.key(fyne.KeyReturn)
	f.pump("the outbox panel", func() bool {
		return f.w.views.outbox.root.Visible() && f.w.views.outbox.head.Text == "1 capture waits to be sent"
	})
	if n := len(f.w.views.outbox.rows.Objects); n != 1 {
		t.Fatalf("the panel lists %d captures", n)
	}
	f.Emu.Recover()
	f.clickOn(f.button("Retry"))
	f.pump("the capture sent", func() bool { return !f.w.views.outbox.root.Visible() && f.childPages(parent.ID)["Offline idea"] == 1 })

	f.Emu.FailAll("/v1/pages", notiontest.FaultUnavailable)
	f.shortcut(fyne.KeyN, fyne.KeyModifierShift)
	f.typeText("Never mind")
	f.key(fyne.KeyReturn)
	f.pump("the outbox panel", func() bool { return f.w.views.outbox.root.Visible() })
	f.clickOn(f.button("Drop…"))
	if !f.dialogOpen() {
		t.Fatal("Drop did not ask first")
	}
	f.clickOn(f.button("Drop"))
	f.pump("the panel gone", func() bool { return !f.w.views.outbox.root.Visible() })
	f.Emu.Recover()
	if items, err := f.core.Outbox().List(); err != nil || len(items) != 0 {
		t.Errorf("the outbox keeps %+v (%v)", items, err)
	}
	if n := f.childPages(parent.ID)["Never mind"]; n != 0 {
		t.Errorf("a dropped capture reached Notion %d times", n)
	}
	if n := f.childPages(parent.ID)["Offline idea"]; n != 1 {
		t.Errorf("the retried capture is in Notion %d times", n)
	}
}

// Ctrl+Shift+N on a database is a new row: a form with its properties
// (drop-downs for a status and a select, a line for a date), and the row
// is in Notion with those values. Append is for pages, and says so.
func TestCaptureANewRowInADatabase(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.addWorkspace("Acme", "🚀", 47, 10)
	f.Emu.AddItem(ws, notiontest.ItemSpec{Kind: notiontest.KindDataSource, Title: "Tasks"})
	f.connectNoSync(ws)
	f.sync(ws)
	f.open()
	f.typeText("Tasks")
	f.pump("the database on top", func() bool { return len(f.visibleTitles()) > 0 && f.visibleTitles()[0] == "Tasks" })
	f.shortcut(fyne.KeyA, fyne.KeyModifierShift)
	if !f.dialogOpen() || !strings.Contains(f.labels(), "appends notes to a page") {
		t.Fatalf("append on a database:\n%s", f.labels())
	}
	f.key(fyne.KeyReturn)
	f.shortcut(fyne.KeyN, fyne.KeyModifierShift)
	f.pump("the row form", func() bool { return f.dialogOpen() && strings.Contains(f.texts(), "New row in “Tasks”") })
	f.typeText("Ship the beta")
	var status *dialogs.Select
	for _, root := range f.roots() {
		walk(root, func(o fyne.CanvasObject) {
			if s, ok := o.(*dialogs.Select); ok && status == nil && slices.Contains(s.Options, "In progress") {
				status = s
			}
		})
	}
	if status == nil {
		t.Fatalf("no drop-down for Status:\n%s", f.texts())
	}
	f.clickOn(status)
	f.clickMenuItem("In progress")
	f.tabTo(func(o fyne.Focusable) bool {
		e, ok := o.(*dialogs.Entry)
		return ok && strings.Contains(e.PlaceHolder, "today or tomorrow")
	})
	f.typeText("2026-12-24")
	f.key(fyne.KeyReturn)
	var row string
	f.pump("the row in Notion", func() bool {
		if f.dialogOpen() {
			return false
		}
		hits, _ := apptest.SearchHits(f.core, "Ship the beta", "", "", 1)
		if len(hits) == 0 {
			return false
		}
		row = hits[0].ID
		return true
	})
	if got := f.Emu.RowValue(row, "Status"); got != "In progress" {
		t.Errorf("Status = %q", got)
	}
	if got := f.Emu.RowValue(row, "Due"); !strings.HasPrefix(got, "2026-12-24") {
		t.Errorf("Due = %q", got)
	}
}

// In Quick Open: Ctrl+Shift+A on the highlighted page appends a note there,
// in Quick Open's own form, and its hint line says it went.
func TestCaptureFromQuickOpen(t *testing.T) {
	f := newFixture(t, func(f *fixture) { f.hotkeys = &fakeHotkeys{} })
	f.seedConnected("Acme", 44, 30)
	f.open()
	f.pump("the hotkey", func() bool { keys, _ := f.hotkeys.registered(); return len(keys) == 1 })
	f.hotkeys.press()
	f.q.drain()
	q := f.w.launch.quick
	f.cv = q.win.Canvas()
	for range len(q.results.hits) {
		if h := q.results.current(); h != nil && h.Kind == app.KindPage {
			break
		}
		f.key(fyne.KeyDown)
	}
	parent := q.results.current()
	if parent == nil || parent.Kind != app.KindPage {
		t.Fatal("no page in Quick Open")
	}
	f.shortcut(fyne.KeyA, fyne.KeyModifierShift)
	if !q.dialogs.Any() || f.w.views.modals.Any() {
		t.Fatalf("the form is not in Quick Open (quick %v, main %v)", q.dialogs.Any(), f.w.views.modals.Any())
	}
	f.typeText("remember the milk")
	f.key(fyne.KeyReturn)
	appended := func() bool {
		for _, b := range f.Emu.Written(parent.ID) {
			if b.Text == "remember the milk" {
				return true
			}
		}
		return false
	}
	hint := func() string { return q.hint.Segments[0].(*widget.TextSegment).Text }
	want := "Added to “" + app.DisplayTitle(parent.Title) + "”"
	f.pump("the note in Notion", func() bool { return !q.dialogs.Any() && appended() && hint() == want })
	if !q.shown {
		t.Error("Quick Open closed: the person could not read what became of the note")
	}
}

// A page made the default for new pages: in Quick Open, a title that
// matches nothing and Enter make a page there, with no form; Settings
// shows the default and clears it.
func TestQuickOpenTitleAndEnterMakeAPageInTheDefaultPlace(t *testing.T) {
	f := newFixture(t, func(f *fixture) { f.hotkeys = &fakeHotkeys{} })
	f.seedConnected("Acme", 45, 30)
	f.open()
	target := f.highlightPage()
	name := app.DisplayTitle(target.Title)
	f.rightClick(f.centre(f.highlighted()))
	f.clickMenuItem("Default for new pages")
	f.pump("the default", func() bool { return f.w.st.CaptureTarget != nil && f.w.st.CaptureTarget.ID == target.ID })

	f.pump("the hotkey", func() bool { keys, _ := f.hotkeys.registered(); return len(keys) == 1 })
	f.hotkeys.press()
	f.q.drain()
	q := f.w.launch.quick
	f.cv = q.win.Canvas()
	hint := func() string { return q.hint.Segments[0].(*widget.TextSegment).Text }
	f.typeText("qzxv unheard of")
	if len(q.results.hits) != 0 || hint() != "Enter: new page “qzxv unheard of” in “"+widgets.Ellipsize(name, 28)+"”" {
		t.Fatalf("%d results; hint %q", len(q.results.hits), hint())
	}
	f.key(fyne.KeyReturn)
	f.pump("the page in Notion", func() bool {
		return f.childPages(target.ID)["qzxv unheard of"] == 1 && strings.HasPrefix(hint(), "Created “qzxv unheard of”")
	})
	if len(f.op.opened()) != 0 {
		t.Errorf("Enter opened %v instead of only making the page", f.op.opened())
	}

	f.key(fyne.KeyEscape) // Quick Open hides; the main window is the one in front
	f.cv = nil
	f.shortcut(fyne.KeyComma, 0)
	f.pump("settings", f.dialogOpen)
	if !strings.Contains(f.labels(), "“"+name+"”, from Quick Open") {
		t.Fatalf("Settings does not name the default:\n%s", f.labels())
	}
	f.clickOn(f.button("Clear"))
	f.clickOn(f.button("Save"))
	f.pump("the default cleared", func() bool { return !f.dialogOpen() && f.w.st.CaptureTarget == nil })
	if h, err := f.core.Outbox().Target(); h != nil || err != nil {
		t.Errorf("the core keeps %v (%v)", h, err)
	}
}

// The Menu key shows the highlighted row's menu, every action with its
// key: nothing is reachable by a right click only.
func TestMenuKeyShowsTheRowsActions(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 49, 30)
	f.open()
	h := f.highlightPage()
	f.key(desktop.KeyMenu)
	if f.canvas().Overlays().Top() == nil {
		t.Fatal("the Menu key showed no menu")
	}
	for _, want := range []string{"Open in browser", "Open in Notion app", "Preview", "Pin", "New page in…", "Append to…", "Copy link", "Copy title"} {
		if !strings.Contains(f.texts(), want) {
			t.Errorf("the menu lacks %q:\n%s", want, f.texts())
		}
	}
	f.clickMenuItem("Copy title")
	if got := fyne.CurrentApp().Clipboard().Content(); got != app.DisplayTitle(h.Title) {
		t.Errorf("Copy title copied %q, want %q", got, app.DisplayTitle(h.Title))
	}
}
