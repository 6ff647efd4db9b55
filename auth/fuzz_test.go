package auth

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/pagedeck/pagedeck/notion"
)

type fakeProvider struct{}

func (fakeProvider) Kind() Kind { return KindOAuth }
func (fakeProvider) PKCE() bool { return false }
func (fakeProvider) AuthCodeURL(state, redirectURI, verifier string) string {
	return "http://auth.example/?state=" + state
}
func (fakeProvider) Exchange(_ context.Context, code, _, _ string) (*Grant, error) {
	if code != "good" {
		return nil, &notion.APIError{Status: 400, Code: "invalid_grant"}
	}
	return &Grant{Kind: KindOAuth, AccessToken: "a", WorkspaceID: "w", WorkspaceName: "<b>W</b>"}, nil
}
func (fakeProvider) Refresh(context.Context, notion.Secret) (*Grant, error) { return nil, nil }
func (fakeProvider) Revoke(context.Context, notion.Secret) error            { return nil }

// FuzzCallbackQuery feeds arbitrary queries to the callback handler: it never
// panics, answers only with the statuses it knows, and a query without the
// real state never ends the flow.
func FuzzCallbackQuery(f *testing.F) {
	const state = "the-real-state-0123456789abcdefghijklmnopq"
	f.Add("state=" + state + "&code=good")
	f.Add("state=" + state + "&error=access_denied")
	f.Add("state=" + state + "&error=server_error&error_description=%3Cscript%3E")
	f.Add("state=wrong&code=good")
	f.Add("code=good&state=" + state + "&state=x")
	f.Add("%zz&state=;;" + state)
	f.Add("")
	f.Fuzz(func(t *testing.T, rawQuery string) {
		cb := &callback{
			path: "/callback", port: 47219, state: state,
			req: Request{Provider: fakeProvider{}, RedirectURI: "http://localhost:47219/callback"},
			ctx: context.Background(), log: slog.New(slog.DiscardHandler), result: make(chan flowResult, 1),
		}
		req := httptest.NewRequest(http.MethodGet, "http://localhost:47219/callback", nil)
		req.URL.RawQuery = rawQuery
		rec := httptest.NewRecorder()
		cb.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusBadGateway:
		default:
			t.Fatalf("status %d for %q", rec.Code, rawQuery)
		}
		q, _ := url.ParseQuery(rawQuery)
		ended := len(cb.result) == 1
		if q.Get("state") != state && ended {
			t.Fatalf("query %q without the real state ended the flow", rawQuery)
		}
		if ended != (rec.Code != http.StatusBadRequest) {
			t.Fatalf("status %d but ended=%v for %q", rec.Code, ended, rawQuery)
		}
	})
}
