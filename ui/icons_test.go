package ui

import (
	"math"
	"strings"
	"testing"

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
