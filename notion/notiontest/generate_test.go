package notiontest

import (
	"bytes"
	"image/png"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestGenerateDeterministic(t *testing.T) {
	now := time.Date(2026, 5, 4, 10, 30, 0, 0, time.UTC)
	a := GenerateItems(7, 150, now)
	b := GenerateItems(7, 150, now)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different items")
	}
	if c := GenerateItems(8, 150, now); reflect.DeepEqual(a, c) {
		t.Fatal("different seeds gave the same items")
	}
	if len(GenerateItems(1, 0, now)) != 0 || len(GenerateItems(1, 1, now)) != 1 {
		t.Fatal("small n")
	}
}

func TestGenerateRealistic(t *testing.T) {
	now := time.Date(2026, 5, 4, 10, 30, 0, 0, time.UTC)
	items := GenerateItems(42, 300, now)
	if len(items) != 300 {
		t.Fatalf("%d items", len(items))
	}
	seen := map[string]ItemSpec{}
	icons := map[string]int{}
	children := map[string]int{}
	var trashed, unshared, multi, accented, untitled, oldURLs int
	for i, it := range items {
		if _, dup := seen[it.ID]; dup || len(it.ID) != 36 {
			t.Fatalf("item %d: bad or duplicate id %q", i, it.ID)
		}
		switch it.ParentType {
		case "workspace", "block_id":
		case "page_id", "data_source_id", "database_id":
			p, ok := seen[it.ParentID]
			if !ok {
				t.Fatalf("item %d: parent %s %q not earlier in the set", i, it.ParentType, it.ParentID)
			}
			if (it.ParentType == "page_id") != (p.Kind == KindPage) {
				t.Fatalf("item %d: %s parent is a %s", i, it.ParentType, p.Kind)
			}
			if p.Kind == KindDataSource {
				children[p.ID]++
				if it.TitleProperty != p.TitleProperty {
					t.Fatalf("row title property %q, data source's %q", it.TitleProperty, p.TitleProperty)
				}
			}
		default:
			t.Fatalf("item %d: parent type %q", i, it.ParentType)
		}
		seen[it.ID] = it
		icons[it.Icon.Type]++
		if it.LastEdited.After(now) || it.LastEdited.Before(now.AddDate(-1, 0, -1)) || !it.LastEdited.Equal(it.LastEdited.Truncate(time.Minute)) {
			t.Fatalf("item %d: last edited %v", i, it.LastEdited)
		}
		if it.Created.After(it.LastEdited) {
			t.Fatalf("item %d: created after edit", i)
		}
		if !strings.HasPrefix(it.URL, "https://app.notion.com/") && !strings.HasPrefix(it.URL, "https://www.notion.so/") {
			t.Fatalf("item %d: url %q", i, it.URL)
		}
		if strings.HasPrefix(it.URL, "https://www.notion.so/") {
			oldURLs++
		}
		if it.Kind == KindDataSource && (it.DatabaseID == "" || !strings.Contains(it.URL, compactID(it.DatabaseID))) {
			t.Fatalf("data source %d: database %q url %q", i, it.DatabaseID, it.URL)
		}
		if it.Kind == KindPage && !strings.Contains(it.URL, compactID(it.ID)) {
			t.Fatalf("page %d: url %q", i, it.URL)
		}
		if len(it.TitleParts) > 1 {
			multi++
			if strings.Join(it.TitleParts, "") != it.Title {
				t.Fatalf("parts %q do not make %q", it.TitleParts, it.Title)
			}
		}
		if strings.ContainsAny(it.Title, "éèêûüçãōøàí") {
			accented++
		}
		if it.Title == "" {
			untitled++
		}
		if it.InTrash {
			trashed++
		}
		if it.Unshared {
			unshared++
		}
	}
	for _, typ := range []string{"", "emoji", "external", "file", "custom_emoji", "icon"} {
		if icons[typ] == 0 {
			t.Errorf("no icon of type %q in %v", typ, icons)
		}
	}
	if icons["emoji"] < icons["external"] {
		t.Errorf("emoji should be the commonest icon: %v", icons)
	}
	if len(children) < 2 {
		t.Errorf("only %d data sources have rows", len(children))
	}
	if trashed == 0 || trashed > 30 || unshared == 0 || multi == 0 || accented == 0 || oldURLs == 0 {
		t.Errorf("trashed %d unshared %d multi-part %d accented %d www.notion.so %d", trashed, unshared, multi, accented, oldURLs)
	}
	_ = untitled // a few, by chance; not required of every seed
}

func TestSeedIntoWorkspaces(t *testing.T) {
	clock := newFakeClock()
	s := newTestServer(t, Options{RateLimit: -1, Clock: clock.Now})
	a := s.AddWorkspace(WorkspaceSpec{Name: "A"})
	b := s.AddWorkspace(WorkspaceSpec{Name: "B"})
	idsA := s.Seed(a, 3, 120)
	idsB := s.Seed(b, 3, 120)
	if len(idsA) != 120 || len(idsB) != 120 || idsA[0] == idsB[0] {
		t.Fatal("seeding two workspaces with one seed collided")
	}
	if again := s.Seed(a, 3, 120); !reflect.DeepEqual(again, idsA) || len(s.Items(a)) != 120 {
		t.Fatal("re-seeding is not idempotent")
	}
	// Parents were remapped with the items.
	inA := map[string]bool{}
	for _, id := range idsA {
		inA[id] = true
	}
	for _, it := range s.Items(a) {
		if (it.ParentType == "page_id" || it.ParentType == "data_source_id") && !inA[it.ParentID] {
			t.Fatalf("dangling parent %q", it.ParentID)
		}
	}
	all, _ := searchAll(t, s, s.IssueGrant(a).AccessToken, map[string]any{})
	want := 0
	for _, it := range s.Items(a) {
		if !it.Unshared {
			want++
		}
	}
	if len(all) != want {
		t.Fatalf("search found %d of %d shared items", len(all), want)
	}
	// Trashed items come back, marked.
	trashed := 0
	for _, r := range all {
		if r["in_trash"] == true {
			trashed++
		}
	}
	if trashed == 0 {
		t.Error("no trashed item in search")
	}
}

func TestFileIconURLExpires(t *testing.T) {
	clock := newFakeClock()
	s := newTestServer(t, Options{RateLimit: -1, Clock: clock.Now})
	ws := s.AddWorkspace(WorkspaceSpec{Name: "Acme"})
	s.AddItem(ws, ItemSpec{Title: "Logo", Icon: IconSpec{Type: "file"}})
	res := searchPage(t, s, s.IssueGrant(ws).AccessToken, map[string]any{})
	file := res["results"].([]any)[0].(map[string]any)["icon"].(map[string]any)["file"].(map[string]any)
	iconURL := file["url"].(string)
	exp, err := time.Parse("2006-01-02T15:04:05.000Z", file["expiry_time"].(string))
	if err != nil || !exp.Equal(clock.Now().Add(time.Hour).Truncate(time.Millisecond)) {
		t.Fatalf("expiry_time %v: %v", file["expiry_time"], err)
	}
	if !strings.HasPrefix(iconURL, s.URL()+"/files/") {
		t.Fatalf("icon URL %q", iconURL)
	}
	get := func(u string) (int, []byte, string) {
		r, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(r.Body)
		return r.StatusCode, buf.Bytes(), r.Header.Get("Content-Type")
	}
	status, body, ct := get(iconURL)
	if status != http.StatusOK || ct != "image/png" {
		t.Fatalf("icon: %d %s", status, ct)
	}
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil || img.Bounds().Dx() != 64 {
		t.Fatalf("icon is not a 64px PNG: %v", err)
	}
	u, _ := url.Parse(iconURL)
	q := u.Query()
	q.Set("expires", "9999999999")
	u.RawQuery = q.Encode()
	if status, _, _ := get(u.String()); status != http.StatusForbidden {
		t.Fatalf("tampered expiry: %d", status)
	}
	clock.Advance(time.Hour + time.Second)
	if status, body, _ := get(iconURL); status != http.StatusForbidden || !bytes.Contains(body, []byte("expired")) {
		t.Fatalf("expired URL: %d %s", status, body)
	}
}
