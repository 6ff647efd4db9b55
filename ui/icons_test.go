package ui

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app/icons"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// Emoji icons are pictures from the bundled set: a ZWJ sequence with a
// skin tone is one picture, an emoji newer than the set gets the closest
// older one, and the icon sits level with its title's text.
func TestEmojiIconsArePictures(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Devs", Icon: "👩🏽‍💻"})
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Head shake", Icon: notiontest.IconSpec{Type: "emoji", Emoji: "🙂‍↔️"}, URL: "https://www.notion.so/a"})
	f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Plain words", Icon: notiontest.IconSpec{Type: "emoji", Emoji: "not an emoji"}, URL: "https://www.notion.so/b"})
	f.connectNoSync(ws)
	f.sync(ws)
	f.open()
	if got := f.sidebarRow("Devs").icon.Resource.Name(); got != "emoji-1f469-1f3fd-200d-1f4bb.svg" {
		t.Errorf("the workspace icon is %q", got)
	}
	byTitle := map[string]*itemRow{}
	for _, r := range f.visibleRows() {
		byTitle[r.title.Text] = r
	}
	if got := byTitle["Head shake"].icon.Resource.Name(); got != "emoji-1f642.svg" {
		t.Errorf("an emoji newer than the set shows %q", got)
	}
	if got := byTitle["Plain words"].icon.Resource.Name(); strings.HasPrefix(got, "emoji-") {
		t.Errorf("text that is no emoji shows %q", got)
	}
	r := byTitle["Head shake"]
	iconMid := f.abs(r.icon).Y + r.icon.Size().Height/2
	titleMid := f.abs(r.title).Y + r.title.Size().Height/2
	if math.Abs(float64(iconMid-titleMid)) > 2 {
		t.Errorf("the icon's middle is at %.1f, its title's at %.1f", iconMid, titleMid)
	}
}

// An image icon fetched in an earlier run is drawn with its row's first
// paint: typing showed a quarter of the keys repainting a second time, a
// moment later, each for an icon read from the disk after the rows.
func TestIconsFromAnEarlierRunShowWithTheirRow(t *testing.T) {
	dir := t.TempDir()
	f := newFixture(t, nil)
	ws := f.addWorkspace("Acme", "🚀", 3, 120)
	zep := f.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Zeppelin hangar", Icon: notiontest.IconSpec{Type: "file"},
		LastEdited: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)})
	f.connectNoSync(ws)
	f.sync(ws)
	// The earlier run: the icon on disk.
	it, err := f.core.Item(zep)
	if err != nil || !strings.Contains(it.Icon, "://") {
		t.Fatalf("the page's icon is %v, %v", it, err)
	}
	if _, err := icons.NewCache(dir, icons.Options{AllowOrigin: f.Emu.URL()}).Get(context.Background(), it.Icon, it.IconExpires); err != nil {
		t.Fatal(err)
	}

	f.icons = icons.NewCache(dir, icons.Options{AllowOrigin: f.Emu.URL()})
	f.open()
	for _, r := range f.visibleRows() {
		if r.title.Text == it.Title {
			t.Fatalf("%q is on screen before the query: the test needs it hidden", it.Title)
		}
	}
	key := icons.Key(it.Icon, it.IconExpires)
	f.pump("the icons on disk read", func() bool { return f.w.views.icons.images[key] != nil })
	f.typeText("zeppelin")
	rows := f.visibleRows()
	if len(rows) == 0 || rows[0].title.Text != it.Title {
		t.Fatalf("the first row is not %q", it.Title)
	}
	if got := rows[0].icon.Resource.Name(); got != key+".png" {
		t.Errorf("the row's first paint shows the icon %q, not the picture on disk", got)
	}
}
