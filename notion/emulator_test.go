package notion_test

// The client against the emulator: the two were written apart from the same
// facts (notion-api.md), so agreement here is evidence of agreement with Notion.

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

type recSleep struct {
	mu sync.Mutex
	d  []time.Duration
}

func (r *recSleep) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.d = append(r.d, d)
	r.mu.Unlock()
	return ctx.Err()
}

func newEmu(t *testing.T) (*notiontest.Server, *notion.Client, *recSleep) {
	t.Helper()
	emu := notiontest.NewServer(notiontest.Options{RateLimit: -1})
	t.Cleanup(emu.Close)
	s := &recSleep{}
	c := notion.New(notion.Options{BaseURL: emu.URL(), ClientID: emu.ClientID(), ClientSecret: notion.Secret(emu.ClientSecret()),
		RateLimit: rate.Inf, Sleep: s.sleep})
	return emu, c, s
}

// consent plays the browser through the auto-approving consent page and
// returns the code.
func consent(t *testing.T, emu *notiontest.Server, ws string) string {
	t.Helper()
	emu.SetAutoApprove(ws)
	redirect := emu.RedirectURIs()[0]
	q := url.Values{"client_id": {emu.ClientID()}, "response_type": {"code"}, "owner": {"user"}, "redirect_uri": {redirect}, "state": {"s t"}}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(emu.AuthorizeURL() + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("state") != "s t" || loc.Query().Get("code") == "" {
		t.Fatalf("consent redirect = %q", resp.Header.Get("Location"))
	}
	return loc.Query().Get("code")
}

func TestEmulatorOAuthLifecycle(t *testing.T) {
	emu, c, _ := newEmu(t)
	ctx := context.Background()
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme", Icon: "🏢", OwnerName: "Ada", OwnerEmail: "ada@example.com"})
	redirect := emu.RedirectURIs()[0]

	code := consent(t, emu, ws)
	if _, err := c.ExchangeCode(ctx, code, "http://localhost:1/other"); !errors.Is(err, notion.ErrInvalidGrant) {
		t.Errorf("wrong redirect_uri: err = %v", err)
	}
	code = consent(t, emu, ws)
	g, err := c.ExchangeCode(ctx, code, redirect)
	if err != nil {
		t.Fatal(err)
	}
	if g.WorkspaceID != ws || g.WorkspaceName != "Acme" || g.WorkspaceIcon != "🏢" || g.Owner.Name != "Ada" ||
		g.Owner.Email != "ada@example.com" || g.RefreshToken == "" || g.BotID == "" || g.TokenType != "bearer" {
		t.Errorf("grant = %+v", g)
	}
	if _, err := c.ExchangeCode(ctx, code, redirect); !errors.Is(err, notion.ErrInvalidGrant) {
		t.Errorf("a code is single use: err = %v", err)
	}
	// A replayed code may revoke what it issued (RFC 6749 §4.1.2), as the
	// emulator does: start again.
	if g, err = c.ExchangeCode(ctx, consent(t, emu, ws), redirect); err != nil {
		t.Fatal(err)
	}

	bot, err := c.Me(ctx, g.AccessToken)
	if err != nil || bot.WorkspaceID != ws || bot.WorkspaceName != "Acme" {
		t.Fatalf("Me = %+v, %v", bot, err)
	}

	g2, err := c.Refresh(ctx, g.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if g2.AccessToken == g.AccessToken || g2.RefreshToken == g.RefreshToken || g2.WorkspaceID != ws {
		t.Errorf("refresh did not rotate: %+v", g2)
	}
	if _, err := c.Refresh(ctx, g.RefreshToken); !errors.Is(err, notion.ErrInvalidGrant) {
		t.Errorf("the old refresh token must die: %v", err)
	}
	if _, err := c.Me(ctx, g.AccessToken); !notion.IsUnauthorized(err) {
		t.Errorf("the old access token must die: %v", err)
	}
	in, err := c.Introspect(ctx, g2.AccessToken)
	if err != nil || !in.Active {
		t.Errorf("introspect = %+v, %v", in, err)
	}
	if err := c.Revoke(ctx, g2.AccessToken); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Me(ctx, g2.AccessToken); !notion.IsUnauthorized(err) {
		t.Errorf("revoked access token: %v", err)
	}
	if _, err := c.Refresh(ctx, g2.RefreshToken); !errors.Is(err, notion.ErrInvalidGrant) {
		t.Errorf("revoked refresh token: %v", err)
	}
	if in, err := c.Introspect(ctx, g2.AccessToken); err != nil || in.Active {
		t.Errorf("introspect after revoke = %+v, %v", in, err)
	}

	bad := notion.New(notion.Options{BaseURL: emu.URL(), ClientID: emu.ClientID(), ClientSecret: "wrong", RateLimit: rate.Inf})
	if _, err := bad.Refresh(ctx, "x"); !errors.Is(err, notion.ErrInvalidClient) {
		t.Errorf("wrong client secret: err = %v", err)
	}
}

func TestEmulatorSearchAll(t *testing.T) {
	emu, c, _ := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	emu.Seed(ws, 7, 250)
	g := emu.IssueGrant(ws)
	var items []notion.Item
	pages := 0
	for page, err := range c.SearchPages(context.Background(), notion.Secret(g.AccessToken), notion.SearchOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if page.Skipped != 0 {
			t.Errorf("page %d skipped %d results", pages, page.Skipped)
		}
		items = append(items, page.Items...)
	}
	specs := emu.Items(ws)
	shared := 0
	kinds := map[notion.Kind]int{}
	for _, s := range specs {
		if !s.Unshared {
			shared++
		}
	}
	if len(items) != shared || pages != (shared+99)/100 {
		t.Fatalf("got %d items in %d pages, want %d shared", len(items), pages, shared)
	}
	if !sort.SliceIsSorted(items, func(i, j int) bool { return items[i].LastEdited.After(items[j].LastEdited) }) {
		t.Error("search asked for newest first and did not get it")
	}
	byID := map[string]notiontest.ItemSpec{}
	for _, s := range specs {
		byID[s.ID] = s
	}
	icons, trashed := 0, 0
	for _, it := range items {
		kinds[it.Kind]++
		s := byID[it.ID]
		want := s.Title
		if len(s.TitleParts) > 0 {
			want = ""
			for _, p := range s.TitleParts {
				want += p
			}
		}
		if it.Title != want {
			t.Errorf("%s: title %q, want %q", it.ID, it.Title, want)
		}
		if !it.LastEdited.Equal(s.LastEdited) || it.InTrash != s.InTrash || it.URL == "" {
			t.Errorf("%s: %+v vs %+v", it.ID, it, s)
		}
		if !it.Icon.IsZero() {
			icons++
		}
		if it.InTrash {
			trashed++
		}
	}
	if kinds[notion.KindPage] == 0 || kinds[notion.KindDatabase] == 0 || icons == 0 || trashed == 0 {
		t.Errorf("the demo data should mix kinds, icons and trash: %v icons=%d trashed=%d", kinds, icons, trashed)
	}

	// Filters and queries pass through.
	for it, err := range c.Search(context.Background(), notion.Secret(g.AccessToken), notion.SearchOptions{Filter: notion.FilterDataSources}) {
		if err != nil {
			t.Fatal(err)
		}
		if it.Kind != notion.KindDatabase {
			t.Errorf("filter data_source returned a %s", it.Kind)
		}
	}
}

func TestEmulatorFaults(t *testing.T) {
	emu, c, sl := newEmu(t)
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	emu.Seed(ws, 1, 20)
	tok := notion.Secret(emu.IssueGrant(ws).AccessToken)
	ctx := context.Background()
	count := func() (n int, err error) {
		for _, err := range c.Search(ctx, tok, notion.SearchOptions{}) {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}

	emu.SetRetryAfter(3)
	emu.FailNext("/v1/search", 2, notiontest.FaultRateLimit)
	emu.FailNext("/v1/search", 1, notiontest.FaultUnavailable)
	emu.FailNext("/v1/search", 1, notiontest.FaultBadGateway)
	if _, err := count(); err != nil {
		t.Fatalf("faults within the retry budget must be absorbed: %v", err)
	}
	sl.mu.Lock()
	waits := append([]time.Duration(nil), sl.d...)
	sl.mu.Unlock()
	if len(waits) != 4 || waits[0] != 3*time.Second || waits[1] != 3*time.Second {
		t.Errorf("waits = %v, want Retry-After twice then two backoffs", waits)
	}

	emu.FailNext("/v1/search", 1, notiontest.FaultMalformedJSON)
	if _, err := count(); !errors.Is(err, notion.ErrMalformedResponse) {
		t.Errorf("malformed: err = %v", err)
	}
	emu.FailNext("/v1/search", 1, notiontest.FaultHugeBody)
	if _, err := count(); !errors.Is(err, notion.ErrBodyTooLarge) {
		t.Errorf("huge: err = %v", err)
	}
	emu.FailNext("/v1/search", 9, notiontest.FaultServerError)
	if _, err := count(); !notion.IsTransient(err) {
		t.Errorf("persistent 500: err = %v", err)
	}
	emu.FailNext("/v1/search", 9, notiontest.FaultRateLimit)
	emu.SetRetryAfter(3600)
	if _, err := count(); !notion.IsRateLimited(err) {
		t.Errorf("a long Retry-After: err = %v", err)
	}

	// Every request carried the version header and the bearer token.
	for _, r := range emu.Requests() {
		if r.Header.Get("Notion-Version") != notion.Version || r.Header.Get("Authorization") != "Bearer "+tok.Reveal() {
			t.Fatalf("request %s %s headers %v", r.Method, r.Path, r.Header)
		}
	}
}

func TestEmulatorRateLimitIsHonoured(t *testing.T) {
	emu := notiontest.NewServer(notiontest.Options{RateLimit: 50, Burst: 2})
	defer emu.Close()
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	tok := notion.Secret(emu.AddInternalToken(ws))
	// A client that paces more loosely than the server still gets through:
	// it honours the 429s.
	// Its sleeps are scaled down (the emulator refills at 50/s) but record
	// what the server asked for.
	var mu sync.Mutex
	var asked []time.Duration
	c := notion.New(notion.Options{BaseURL: emu.URL(), RateLimit: rate.Inf, Retry: notion.RetryPolicy{MaxRetries: 20},
		Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			asked = append(asked, d)
			mu.Unlock()
			time.Sleep(25 * time.Millisecond)
			return ctx.Err()
		}})
	for range 10 {
		if _, err := c.Me(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
	}
	limited := 0
	for _, r := range emu.Requests() {
		if r.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 || limited != len(asked) {
		t.Errorf("%d requests limited, %d waits: the emulator should limit a burst of 10 at 50/s with burst 2, and each 429 cost one wait", limited, len(asked))
	}
	for _, d := range asked {
		if d != time.Second {
			t.Errorf("waited %v, want the server's Retry-After of 1s", d)
		}
	}
}
