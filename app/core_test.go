package app_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/apptest"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func TestConnectSyncSearch(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 1, 1234)
	var events []app.Event
	h.core.Subscribe(func(e app.Event) { events = append(events, e) })
	h.connect(ws)

	infos, err := h.core.Workspaces()
	if err != nil || len(infos) != 1 {
		t.Fatalf("workspaces = %+v, %v", infos, err)
	}
	w := infos[0]
	want := h.SharedLive(ws)
	if w.Name != "Acme" || w.Icon != "🏢" || w.Auth != "oauth" || w.Status != store.StatusOK || w.Items != want ||
		w.OwnerName != "Ada" || w.OwnerEmail != "ada@example.com" || w.BotID == "" || w.Synced.IsZero() || w.HighWater.IsZero() {
		t.Errorf("workspace = %+v, want %d items", w, want)
	}
	if want < 1100 {
		t.Fatalf("the generator shared only %d of 1,234", want)
	}
	if calls := h.SearchCalls(); calls != (want+99)/100+(1234-want)/100 && calls < 12 {
		t.Errorf("%d search calls for ~1,234 items", calls)
	}
	if !saw[app.WorkspacesChanged](events) || !saw[app.SyncDone](events) || !saw[app.SyncProgressed](events) {
		t.Errorf("events = %v", events)
	}

	all, err := apptest.SearchHits(h.core, "", "", "", 0)
	if err != nil || len(all) != want {
		t.Fatalf("empty query lists %d, want %d (%v)", len(all), want, err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].LastEdited.After(all[i-1].LastEdited) {
			t.Fatal("the empty query is not newest first")
		}
	}
	// Every listed item is one the emulator shares and has not trashed.
	live := map[string]notiontest.ItemSpec{}
	for _, it := range h.Emu.Items(ws) {
		if !it.Unshared && !it.InTrash {
			live[it.ID] = it
		}
	}
	for _, hit := range all {
		if _, ok := live[hit.ID]; !ok {
			t.Fatalf("%s (%q) is listed but trashed or unshared", hit.ID, hit.Title)
		}
	}
	// A title finds itself first (an untitled item cannot be searched for).
	target := all[len(all)/2]
	for i := len(all) / 2; strings.TrimSpace(target.Title) == ""; i++ {
		target = all[i]
	}
	hits, _ := apptest.SearchHits(h.core, target.Title, ws, "", 5)
	if len(hits) == 0 || app.DisplayTitle(hits[0].Title) != app.DisplayTitle(target.Title) {
		t.Errorf("searching %q: %v", target.Title, hits)
	}
	dbs, _ := apptest.SearchHits(h.core, "", "", store.KindDatabase, 0)
	if len(dbs) == 0 || len(dbs) == len(all) {
		t.Errorf("%d databases of %d", len(dbs), len(all))
	}
}

// saw says whether events holds one of type T.
func saw[T app.Event](events []app.Event) bool {
	for _, e := range events {
		if _, ok := e.(T); ok {
			return true
		}
	}
	return false
}

func TestQuickRefresh(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 2, 600)
	h.connect(ws)
	ctx := context.Background()

	// Nothing changed: at most two search calls.
	before := h.SearchCalls()
	res, err := h.core.Sync(ctx, ws, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if calls := h.SearchCalls() - before; calls > 2 || res.Full || res.Changed != 0 {
		t.Errorf("an idle quick refresh made %d calls, changed %d (full %v)", calls, res.Changed, res.Full)
	}

	// A rename shows up.
	hits, _ := apptest.SearchHits(h.core, "", ws, "", 0)
	oldest := hits[len(hits)-1]
	h.Emu.Rename(oldest.ID, "Zanzibar expedition notes")
	before = h.SearchCalls()
	res, err = h.core.Sync(ctx, ws, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if calls := h.SearchCalls() - before; calls > 2 || res.Changed != 1 {
		t.Errorf("rename: %d calls, %d changed", calls, res.Changed)
	}
	if got, _ := apptest.SearchHits(h.core, "zanzibar", "", "", 0); len(got) != 1 || got[0].ID != oldest.ID {
		t.Errorf("the renamed item is not found: %v", got)
	}
	// A trash disappears.
	victim := hits[10]
	h.Emu.Trash(victim.ID)
	res, err = h.core.Sync(ctx, ws, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.core.Item(victim.ID); !errors.Is(err, app.ErrUnknownItem) {
		t.Errorf("the trashed item is still listed: %v", err)
	}
	items, _ := h.core.Store().Items(ws)
	for _, it := range items {
		if it.ID == victim.ID {
			t.Error("the trashed item is still in the store")
		}
	}
	w, _ := h.core.Store().Workspace(ws)
	if w.Items != len(items) || w.Items != h.SharedLive(ws) {
		t.Errorf("count %d, stored %d, live %d", w.Items, len(items), h.SharedLive(ws))
	}
}

// TestQuickRefreshSameMinute: Notion's edit times have minute precision, so
// an edit in the same minute as the high-water mark must still be picked up.
func TestQuickRefreshSameMinute(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 30, 15, 0, time.UTC)
	h := newHarness(t, apptest.WithEmulator(func(o *notiontest.Options) { o.Clock = func() time.Time { return now } }))
	ws := h.AddWorkspace("Acme", 21, 40)
	h.connect(ws)
	ctx := context.Background()
	hits, _ := apptest.SearchHits(h.core, "", ws, "", 0)
	h.Emu.Rename(hits[5].ID, "First edit")
	if _, err := h.core.Sync(ctx, ws, false, nil); err != nil {
		t.Fatal(err)
	}
	now = now.Add(20 * time.Second) // same minute
	h.Emu.Rename(hits[9].ID, "Second edit")
	if _, err := h.core.Sync(ctx, ws, false, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := apptest.SearchHits(h.core, "second edit", "", "", 0); len(got) != 1 {
		t.Error("an edit in the high-water minute was missed")
	}
}

func TestUnshareNeedsAFullSync(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 3, 150)
	h.connect(ws)
	ctx := context.Background()
	hits, _ := apptest.SearchHits(h.core, "", ws, "", 0)
	gone := hits[3]
	h.Emu.Unshare(gone.ID)
	if _, err := h.core.Sync(ctx, ws, false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := h.core.Item(gone.ID); err != nil {
		t.Fatalf("a quick refresh cannot see an unshare, so the item stays: %v", err)
	}
	res, err := h.core.Sync(ctx, ws, true, nil)
	if err != nil || !res.Full {
		t.Fatal(err)
	}
	if _, err := h.core.Item(gone.ID); !errors.Is(err, app.ErrUnknownItem) {
		t.Errorf("the full sync kept an unshared item: %v", err)
	}
	if res.Workspace.Items != len(hits)-1 {
		t.Errorf("items = %d, want %d", res.Workspace.Items, len(hits)-1)
	}
}

func TestExpiredTokenIsRefreshed(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 4, 50)
	h.connect(ws)
	ctx := context.Background()
	old, _ := h.Vault.Load(ctx, ws)
	h.Emu.ExpireAccessToken(old.Access.Reveal())
	if _, err := h.core.Sync(ctx, ws, true, nil); err != nil {
		t.Fatalf("sync after expiry: %v", err)
	}
	fresh, _ := h.Vault.Load(ctx, ws)
	if fresh.Access == old.Access || fresh.Refresh == old.Refresh || fresh.Refresh == "" || fresh.Kind != auth.KindOAuth {
		t.Errorf("the new pair was not stored: %+v", fresh)
	}
	if n := h.Emu.Count("POST", "/v1/oauth/token"); n != 2 { // the exchange and one refresh
		t.Errorf("token calls = %d, want 2", n)
	}
	// The stored pair is the live one: another process can use it.
	other := h.Core()
	if _, err := other.Sync(ctx, ws, false, nil); err != nil {
		t.Errorf("another core with the stored pair: %v", err)
	}
	w, _ := h.core.Store().Workspace(ws)
	if w.Status != store.StatusOK {
		t.Errorf("status = %s", w.Status)
	}
}

// staleVault hands out an old pair for its first `stale` loads, as a process
// that read the keychain before another one refreshed.
type staleVault struct {
	auth.Vault
	old   auth.Tokens
	mu    sync.Mutex
	stale int
}

func (v *staleVault) Load(ctx context.Context, ws string) (auth.Tokens, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.stale > 0 {
		v.stale--
		return v.old, nil
	}
	return v.Vault.Load(ctx, ws)
}

// TestRefreshByAnotherProcess: the window refreshed while a command held the
// old pair; the command picks the stored pair up instead of refreshing with a
// dead refresh token.
func TestRefreshByAnotherProcess(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 5, 30)
	h.connect(ws)
	ctx := context.Background()
	old, _ := h.Vault.Load(ctx, ws)
	h.Emu.ExpireAccessToken(old.Access.Reveal())
	if _, err := h.core.Sync(ctx, ws, false, nil); err != nil {
		t.Fatal(err)
	}
	refreshes := h.Emu.Count("POST", "/v1/oauth/token")
	cmd := h.CoreWith(&staleVault{Vault: h.Vault, old: old, stale: 1})
	if _, err := cmd.Sync(ctx, ws, false, nil); err != nil {
		t.Fatalf("the second process: %v", err)
	}
	if n := h.Emu.Count("POST", "/v1/oauth/token"); n != refreshes {
		t.Errorf("the second process refreshed again (%d token calls, was %d)", n, refreshes)
	}
	if w, _ := cmd.Store().Workspace(ws); w.Status != store.StatusOK {
		t.Errorf("status = %s", w.Status)
	}
}

// TestConcurrentRefreshesDoNotMarkReconnect: two processes refresh the same
// pair; the second's refresh token was already rotated away, but the first
// stored a good pair, so the second uses it instead of giving up.
func TestConcurrentRefreshesDoNotMarkReconnect(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 6, 30)
	h.connect(ws)
	ctx := context.Background()
	old, _ := h.Vault.Load(ctx, ws)
	h.Emu.ExpireAccessToken(old.Access.Reveal())
	if _, err := h.core.Sync(ctx, ws, false, nil); err != nil {
		t.Fatal(err)
	}
	// The second process saw the old pair at the start and again when it
	// looked for another process's refresh: it refreshes with the dead one.
	cmd := h.CoreWith(&staleVault{Vault: h.Vault, old: old, stale: 2})
	if _, err := cmd.Sync(ctx, ws, false, nil); err != nil {
		t.Fatalf("the losing refresher: %v", err)
	}
	if w, _ := cmd.Store().Workspace(ws); w.Status != store.StatusOK {
		t.Errorf("status = %s, want ok", w.Status)
	}
}

// TestRefreshFailuresThatAreNotRevocation: a wrong client secret, a broken
// keychain or an outage during the refresh is reported as itself and does
// not mark the workspace needs_reconnect.
func TestRefreshFailuresThatAreNotRevocation(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 7, 30)
	h.connect(ws)
	ctx := context.Background()
	toks, _ := h.Vault.Load(ctx, ws)
	h.Emu.ExpireAccessToken(toks.Access.Reveal())

	h.Config.ClientSecret = "not-the-secret"
	wrong := h.Core()
	_, err := wrong.Sync(ctx, ws, false, nil)
	if err == nil || errors.Is(err, app.ErrNeedsReconnect) || !strings.Contains(err.Error(), "client ID and secret") {
		t.Errorf("wrong client secret: %v", err)
	}
	h.Config.ClientSecret = notion.Secret(h.Emu.ClientSecret())

	h.Emu.FailNext("/v1/oauth/token", 1, notiontest.FaultUnavailable)
	if _, err := h.core.Sync(ctx, ws, false, nil); err == nil || errors.Is(err, app.ErrNeedsReconnect) || !notion.IsTransient(err) {
		t.Errorf("token endpoint down: %v", err)
	}
	if w, _ := h.core.Store().Workspace(ws); w.Status != store.StatusOK {
		t.Fatalf("status = %s after failures that reconnecting cannot fix", w.Status)
	}
	// The refresh token survived all that: the next try works.
	if _, err := h.core.Sync(ctx, ws, false, nil); err != nil {
		t.Errorf("after the outage: %v", err)
	}
}

// TestEditDuringFullSync: an item edited while a full sync pages jumps
// ahead of the cursor; the sync must not drop it.
func TestEditDuringFullSync(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 22, 450)
	h.connect(ws)
	hits, _ := apptest.SearchHits(h.core, "", ws, "", 0)
	moved := hits[300].ID
	done := false
	_, err := h.core.Sync(context.Background(), ws, true, func(app.Progress) {
		if !done {
			h.Emu.Rename(moved, "Edited while syncing")
			done = true
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := h.core.Item(moved)
	if err != nil || got.Title != "Edited while syncing" {
		t.Errorf("the item edited mid-sync: %+v, %v", got, err)
	}
	if w, _ := h.core.Store().Workspace(ws); w.Items != h.SharedLive(ws) {
		t.Errorf("items = %d, want %d", w.Items, h.SharedLive(ws))
	}
}

// TestIncompleteAnswerRemovesNothing: when Notion says its search answer is
// partial, a full sync keeps what it did not see and the mark stays.
func TestIncompleteAnswerRemovesNothing(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 23, 250)
	h.connect(ws)
	before, _ := h.core.Store().Workspace(ws)
	hits, _ := apptest.SearchHits(h.core, "", ws, "", 0)
	h.Emu.Rename(hits[0].ID, "Renamed during an outage")
	h.Emu.FailNext("/v1/search", 1, notiontest.FaultIncomplete)
	res, err := h.core.Sync(context.Background(), ws, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := h.core.Store().Workspace(ws)
	if !res.Incomplete || after.Items != before.Items || !after.HighWater.Equal(before.HighWater) || !after.FullSynced.Equal(before.FullSynced) {
		t.Errorf("incomplete full sync: %+v; items %d → %d, mark %v → %v", res, before.Items, after.Items, before.HighWater, after.HighWater)
	}
	// What it did see still arrives.
	if h, err := h.core.Item(hits[0].ID); err != nil || h.Title != "Renamed during an outage" {
		t.Errorf("the seen rename: %+v %v", h, err)
	}
}

func TestRevokedNeedsReconnectAndKeepsTheCache(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 6, 120)
	h.connect(ws)
	ctx := context.Background()
	before, _ := apptest.SearchHits(h.core, "", ws, "", 0)
	toks, _ := h.Vault.Load(ctx, ws)
	h.Emu.RevokeToken(toks.Access.Reveal())

	_, err := h.core.Sync(ctx, ws, false, nil)
	if !errors.Is(err, app.ErrNeedsReconnect) || !strings.Contains(err.Error(), "Acme") {
		t.Fatalf("err = %v, want ErrNeedsReconnect naming the workspace", err)
	}
	w, _ := h.core.Store().Workspace(ws)
	after, _ := apptest.SearchHits(h.core, "", ws, "", 0)
	items, _ := h.core.Store().Items(ws)
	if w.Status != store.StatusNeedsReconnect || len(after) != len(before) || len(items) != len(before) {
		t.Errorf("status %s, %d/%d items (was %d): the cache must stay", w.Status, len(after), len(items), len(before))
	}
	// A fresh process still lists the cached items.
	if hits, _ := apptest.SearchHits(h.Core(), "", ws, "", 0); len(hits) != len(before) {
		t.Errorf("a new process sees %d items", len(hits))
	}
	// The background refresh leaves it alone rather than hammering Notion.
	calls := h.SearchCalls()
	if err := h.core.AutoSync(ctx); err != nil {
		t.Fatal(err)
	}
	if h.SearchCalls() != calls {
		t.Error("AutoSync tried a workspace that needs reconnecting")
	}
	// Reconnecting overwrites the pair and clears the status.
	h.connect(ws)
	w, _ = h.core.Store().Workspace(ws)
	if w.Status != store.StatusOK {
		t.Errorf("after reconnect status = %s", w.Status)
	}
	if fresh, _ := h.Vault.Load(ctx, ws); fresh.Access == toks.Access {
		t.Error("reconnect did not replace the pair")
	}
}

func TestInternalTokenRevoked(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Side", 7, 40)
	tok := h.Emu.AddInternalToken(ws)
	w, err := h.core.Connect(context.Background(), app.ConnectOptions{InternalToken: tok + "\n"})
	if err != nil {
		t.Fatal(err)
	}
	if w.Auth != "token" || w.Items != h.SharedLive(ws) || w.Name != "Side" {
		t.Errorf("workspace = %+v", w)
	}
	h.Emu.RevokeToken(tok)
	calls := h.Emu.Count("POST", "/v1/oauth/token")
	if _, err := h.core.Sync(context.Background(), ws, false, nil); !errors.Is(err, app.ErrNeedsReconnect) {
		t.Errorf("err = %v", err)
	}
	if h.Emu.Count("POST", "/v1/oauth/token") != calls {
		t.Error("an internal token cannot be refreshed, so none may be tried")
	}
}

func TestFailedSyncChangesNothing(t *testing.T) {
	faults := []notiontest.Fault{notiontest.FaultMalformedJSON, notiontest.FaultHugeBody}
	for _, fault := range faults {
		t.Run(fault.String(), func(t *testing.T) {
			h := newHarness(t)
			ws := h.AddWorkspace("Acme", 8, 450)
			h.connect(ws)
			ctx := context.Background()
			before, _ := h.core.Store().Items(ws)
			wBefore, _ := h.core.Store().Workspace(ws)
			// Rename something, then break the answer after the first page.
			hits, _ := apptest.SearchHits(h.core, "", ws, "", 0)
			h.Emu.Rename(hits[200].ID, "Should not arrive")
			injected := false
			_, err := h.core.Sync(ctx, ws, true, func(p app.Progress) {
				if !injected {
					h.Emu.FailNext("/v1/search", 1, fault)
					injected = true
				}
			})
			if err == nil {
				t.Fatal("the sync succeeded through a broken answer")
			}
			after, _ := h.core.Store().Items(ws)
			wAfter, _ := h.core.Store().Workspace(ws)
			if len(after) != len(before) || !wAfter.Synced.Equal(wBefore.Synced) || !wAfter.HighWater.Equal(wBefore.HighWater) {
				t.Errorf("the failed sync changed the store: %d→%d items", len(before), len(after))
			}
			if got, _ := apptest.SearchHits(h.core, "should not arrive", "", "", 0); len(got) != 0 {
				t.Error("the failed sync changed the index")
			}
			infos, _ := h.core.Workspaces()
			if infos[0].LastError == "" || infos[0].Status != store.StatusOK {
				t.Errorf("the failure should show, without needs_reconnect: %+v", infos[0])
			}
		})
	}
}

func TestCancelledSyncChangesNothing(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 9, 450)
	h.connect(ws)
	before, _ := h.core.Store().Items(ws)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := h.core.Sync(ctx, ws, true, func(app.Progress) { cancel() })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	after, _ := h.core.Store().Items(ws)
	if len(after) != len(before) {
		t.Errorf("%d → %d", len(before), len(after))
	}
}

func TestTransientFailuresAreRetried(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 10, 250)
	h.connect(ws)
	h.Emu.FailNext("/v1/search", 1, notiontest.FaultRateLimit)
	h.Emu.FailNext("/v1/search", 1, notiontest.FaultServerError)
	h.Emu.FailNext("/v1/search", 1, notiontest.FaultUnavailable)
	if _, err := h.core.Sync(context.Background(), ws, true, nil); err != nil {
		t.Fatalf("429, 500 and 503 within the retry budget: %v", err)
	}
}

func TestTwoWorkspacesSyncConcurrently(t *testing.T) {
	h := newHarness(t)
	a := h.AddWorkspace("Acme", 11, 300)
	b := h.AddWorkspace("Home", 12, 200)
	h.connect(a)
	h.connect(b)
	res, err := h.core.SyncAll(context.Background(), true, nil)
	if err != nil || len(res) != 2 {
		t.Fatalf("%v %v", res, err)
	}
	if apptest.ItemCount(h.core, a) != h.SharedLive(a) || apptest.ItemCount(h.core, b) != h.SharedLive(b) || apptest.ItemCount(h.core, "") != h.SharedLive(a)+h.SharedLive(b) {
		t.Errorf("counts %d %d %d", apptest.ItemCount(h.core, a), apptest.ItemCount(h.core, b), apptest.ItemCount(h.core, ""))
	}
	if w, err := h.core.Resolve("home"); err != nil || w.ID != b {
		t.Errorf("Resolve by name: %+v %v", w, err)
	}
	if w, err := h.core.Resolve(a); err != nil || w.Name != "Acme" {
		t.Errorf("Resolve by id: %+v %v", w, err)
	}
	if _, err := h.core.Resolve("nope"); !errors.Is(err, app.ErrUnknownWorkspace) {
		t.Errorf("unknown: %v", err)
	}
}

func TestDisconnect(t *testing.T) {
	h := newHarness(t)
	a := h.AddWorkspace("Acme", 13, 100)
	b := h.AddWorkspace("Home", 14, 50)
	h.connect(a)
	h.connect(b)
	ctx := context.Background()
	toks, _ := h.Vault.Load(ctx, a)
	if err := h.core.Disconnect(ctx, a, true); err != nil {
		t.Fatal(err)
	}
	if h.Emu.ActiveGrants(a) != 0 {
		t.Error("the grant is still active at Notion")
	}
	if _, err := h.notionClient().Me(ctx, toks.Access); !notion.IsUnauthorized(err) {
		t.Errorf("the revoked token still works: %v", err)
	}
	if _, err := h.Vault.Load(ctx, a); !errors.Is(err, auth.ErrNoToken) {
		t.Errorf("keychain entry: %v", err)
	}
	if _, err := h.core.Store().Workspace(a); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("metadata: %v", err)
	}
	all, _ := h.core.Store().AllItems()
	if _, ok := all[a]; ok || len(all[b]) == 0 {
		t.Errorf("items: %v", len(all[a]))
	}
	if apptest.ItemCount(h.core, a) != 0 || apptest.ItemCount(h.core, b) == 0 {
		t.Error("the index kept the disconnected workspace")
	}
	// Keep-grant leaves the grant alone.
	if err := h.core.Disconnect(ctx, b, false); err != nil {
		t.Fatal(err)
	}
	if h.Emu.ActiveGrants(b) == 0 {
		t.Error("--keep-grant revoked anyway")
	}
}

func (h *harness) notionClient() *notion.Client {
	return notion.New(notion.Options{BaseURL: h.Emu.URL()})
}

// fakeOpener records what it was asked to open.
type fakeOpener struct {
	opened []string
	fail   func(string) bool
}

func (f *fakeOpener) OpenURL(u string) error {
	if f.fail != nil && f.fail(u) {
		return errors.New("no handler")
	}
	f.opened = append(f.opened, u)
	return nil
}

func TestOpen(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 15, 0)
	good := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Good", URL: "https://www.notion.so/acme/Good-0123"})
	site := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Site", URL: "https://acme.notion.site/Site-1"})
	js := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Evil", URL: "javascript:alert(1)"})
	lookalike := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Lookalike", URL: "https://notion.so.evil.example/x"})
	plain := h.Emu.AddItem(ws, notiontest.ItemSpec{Title: "Plain", URL: "http://www.notion.so/x"})
	h.connect(ws)

	op := &fakeOpener{}
	if err := h.core.Open(good, app.OpenInBrowser, op); err != nil {
		t.Fatal(err)
	}
	if err := h.core.Open(site, app.OpenInApp, op); err != nil {
		t.Fatal(err)
	}
	want := []string{"https://www.notion.so/acme/Good-0123", "notion://acme.notion.site/Site-1"}
	if strings.Join(op.opened, " ") != strings.Join(want, " ") {
		t.Errorf("opened %v, want %v", op.opened, want)
	}
	for _, id := range []string{js, lookalike, plain} {
		op.opened = nil
		if err := h.core.Open(id, app.OpenInBrowser, op); !errors.Is(err, app.ErrUnsafeURL) || len(op.opened) != 0 {
			t.Errorf("%s: err = %v, opened %v", id, err, op.opened)
		}
		if err := h.core.Open(id, app.OpenInApp, op); !errors.Is(err, app.ErrUnsafeURL) || len(op.opened) != 0 {
			t.Errorf("%s (app): err = %v, opened %v", id, err, op.opened)
		}
	}
	// No Notion app: fall back to the browser.
	op = &fakeOpener{fail: func(u string) bool { return strings.HasPrefix(u, "notion://") }}
	if err := h.core.Open(good, app.OpenInApp, op); err != nil || len(op.opened) != 1 || op.opened[0] != want[0] {
		t.Errorf("fallback: %v %v", err, op.opened)
	}
	if err := h.core.Open("no-such-id", app.OpenInBrowser, op); !errors.Is(err, app.ErrUnknownItem) {
		t.Errorf("unknown id: %v", err)
	}
	// No mode: the setting, the browser until the user picks the app.
	op = &fakeOpener{}
	if err := h.core.Open(good, "", op); err != nil || len(op.opened) != 1 || op.opened[0] != want[0] {
		t.Errorf("default: %v %v", err, op.opened)
	}
	if err := h.core.SaveSettings(context.Background(), app.Settings{OpenIn: app.OpenInApp, RefreshInterval: app.DefaultRefreshInterval}, "", false); err != nil {
		t.Fatal(err)
	}
	op = &fakeOpener{}
	if err := h.core.Open(good, "", op); err != nil || len(op.opened) != 1 || op.opened[0] != "notion://www.notion.so/acme/Good-0123" {
		t.Errorf("with the Notion app set: %v %v", err, op.opened)
	}
}

func TestKeychainUnavailableLosesNothing(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 16, 80)
	h.connect(ws)
	before, _ := apptest.SearchHits(h.core, "", "", "", 0)
	h.Vault.SetErr(errors.New("org.freedesktop.Secret.Error.IsLocked"))
	_, err := h.core.Sync(context.Background(), ws, false, nil)
	if !errors.Is(err, auth.ErrKeychainUnavailable) || !strings.Contains(err.Error(), "unlock") {
		t.Errorf("err = %v", err)
	}
	w, _ := h.core.Store().Workspace(ws)
	after, _ := apptest.SearchHits(h.core, "", "", "", 0)
	if w.Status != store.StatusOK || len(after) != len(before) {
		t.Errorf("a locked keychain must not mark the workspace or touch the cache: %s, %d", w.Status, len(after))
	}
	// Connecting with a locked keychain fails cleanly too, saving nothing.
	other := h.AddWorkspace("Other", 17, 5)
	h.Emu.SetAutoApprove(other)
	b := &apptest.Browser{}
	if _, err := h.core.Connect(context.Background(), app.ConnectOptions{Opener: b}); !errors.Is(err, auth.ErrKeychainUnavailable) {
		t.Errorf("connect: %v", err)
	}
	if _, err := h.core.Store().Workspace(other); !errors.Is(err, store.ErrNotFound) {
		t.Error("a workspace was saved without its token")
	}
	if !strings.Contains(b.Page(), "could not finish connecting") {
		t.Errorf("the browser page: %s", b.Page())
	}
}

func TestConnectNotConfigured(t *testing.T) {
	h := newHarness(t)
	h.Config.ClientID, h.Config.ClientSecret = "", ""
	c := h.Core()
	if _, err := c.Connect(context.Background(), app.ConnectOptions{Opener: &apptest.Browser{}}); !errors.Is(err, app.ErrNotConfigured) {
		t.Errorf("err = %v", err)
	}
	if s, _ := c.Settings(context.Background()); s.Configured {
		t.Error("Configured() = true")
	}
	// Settings fill the gap: the client id saved, the secret in the keychain.
	ctx := context.Background()
	s, _ := c.Settings(ctx)
	s.ClientID = h.Emu.ClientID()
	if err := c.SaveSettings(ctx, s, notion.Secret(h.Emu.ClientSecret()), false); err != nil {
		t.Fatal(err)
	}
	if s, _ := c.Settings(ctx); !s.Configured {
		t.Error("still not configured after settings")
	}
	ws := h.AddWorkspace("Acme", 18, 10)
	h.Emu.SetAutoApprove(ws)
	if _, err := c.Connect(ctx, app.ConnectOptions{Opener: &apptest.Browser{}}); err != nil {
		t.Fatal(err)
	}
}

func TestConnectDenied(t *testing.T) {
	h := newHarness(t)
	h.AddWorkspace("Acme", 19, 10)
	h.Emu.SetAutoDeny(true)
	if _, err := h.core.Connect(context.Background(), app.ConnectOptions{Opener: &apptest.Browser{}}); !errors.Is(err, auth.ErrDenied) {
		t.Errorf("err = %v", err)
	}
	if ws, _ := h.core.Workspaces(); len(ws) != 0 {
		t.Error("a denial saved a workspace")
	}
}

func TestSettingsValidation(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	s, err := h.core.Settings(ctx)
	if err != nil || s.OpenIn != app.OpenInBrowser || s.RefreshInterval != app.DefaultRefreshInterval || s.FixedBy[app.SettingClientID] != app.EnvClientID {
		t.Fatalf("defaults = %+v, %v", s, err)
	}
	bad := []app.Settings{
		{RedirectURI: "https://example.com/cb", OpenIn: app.OpenInBrowser, RefreshInterval: time.Hour},
		{BrokerURL: "http://broker.example.com", OpenIn: app.OpenInBrowser},
		{ClientID: "has space", OpenIn: app.OpenInBrowser},
		{OpenIn: "tab"},
		{OpenIn: app.OpenInBrowser, RefreshInterval: 10 * time.Second},
	}
	for _, b := range bad {
		if err := h.core.SaveSettings(ctx, b, "", false); err == nil {
			t.Errorf("%+v accepted", b)
		}
	}
	if err := h.core.SaveSettings(ctx, app.Settings{OpenIn: app.OpenInBrowser}, "secret with space", false); err == nil {
		t.Error("a secret with spaces accepted")
	}
	good := app.Settings{ClientID: "abc-123", RedirectURI: "http://localhost:47300/cb", BrokerURL: "https://broker.example.com",
		OpenIn: app.OpenInApp, RefreshInterval: 30 * time.Minute}
	if err := h.core.SaveSettings(ctx, good, "secret_xyz", false); err != nil {
		t.Fatal(err)
	}
	s, _ = h.core.Settings(ctx)
	if s.ClientID != "abc-123" || s.OpenIn != app.OpenInApp || s.RefreshInterval != 30*time.Minute || !s.HasClientSecret {
		t.Errorf("saved = %+v", s)
	}
	// The environment wins over settings.
	eff, _ := h.core.Effective(ctx)
	if eff.ClientID != h.Emu.ClientID() || eff.RedirectURI != h.Config.RedirectURI {
		t.Errorf("effective = %+v", eff)
	}
	if err := h.core.SaveSettings(ctx, good, "", true); err != nil {
		t.Fatal(err)
	}
	if s, _ = h.core.Settings(ctx); s.HasClientSecret {
		t.Error("clearing the secret did not")
	}
}

// TestNoSecretOnDisk connects, refreshes, syncs and saves a client secret,
// then reads every byte under the data dir.
func TestNoSecretOnDisk(t *testing.T) {
	h := newHarness(t)
	ws := h.AddWorkspace("Acme", 20, 300)
	h.connect(ws)
	ctx := context.Background()
	first, _ := h.Vault.Load(ctx, ws)
	h.Emu.ExpireAccessToken(first.Access.Reveal())
	if _, err := h.core.Sync(ctx, ws, true, nil); err != nil {
		t.Fatal(err)
	}
	second, _ := h.Vault.Load(ctx, ws)
	const settingsSecret = "secret_from_the_settings_dialog"
	if err := h.core.SaveSettings(ctx, app.Settings{ClientID: "id", OpenIn: app.OpenInBrowser, RefreshInterval: time.Hour}, settingsSecret, false); err != nil {
		t.Fatal(err)
	}
	secrets := []string{first.Access.Reveal(), first.Refresh.Reveal(), second.Access.Reveal(), second.Refresh.Reveal(), h.Emu.ClientSecret(), settingsSecret}
	files := 0
	err := filepath.WalkDir(h.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		for _, s := range secrets {
			if s != "" && bytes.Contains(b, []byte(s)) {
				t.Errorf("%s contains a secret", p)
			}
		}
		return nil
	})
	if err != nil || files == 0 {
		t.Fatalf("walked %d files: %v", files, err)
	}
}

func TestAuthorizeHonoursItsTimeout(t *testing.T) {
	h := newHarness(t)
	h.AddWorkspace("Acme", 24, 5)
	start := time.Now()
	_, err := h.core.Connect(context.Background(), app.ConnectOptions{Opener: &fakeOpener{}, Timeout: 50 * time.Millisecond, NoSync: true})
	if !errors.Is(err, app.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Error("the timeout given was not the one used")
	}
}
