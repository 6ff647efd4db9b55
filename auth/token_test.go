package auth

import (
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"github.com/pagedeck/pagedeck/notion"
	"github.com/pagedeck/pagedeck/notion/notiontest"
)

func TestCheckToken(t *testing.T) {
	emu := notiontest.NewServer(notiontest.Options{})
	defer emu.Close()
	ws := emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Side project"})
	tok := emu.AddInternalToken(ws)
	revoked := emu.AddInternalToken(ws)
	emu.RevokeToken(revoked)
	c := notion.New(notion.Options{BaseURL: emu.URL(), RateLimit: rate.Inf})
	ctx := context.Background()

	g, err := CheckToken(ctx, c, "  "+tok+"\n")
	if err != nil {
		t.Fatal(err)
	}
	if g.Kind != KindToken || g.WorkspaceID != ws || g.WorkspaceName != "Side project" || g.AccessToken.Reveal() != tok || g.RefreshToken != "" || g.BotID == "" {
		t.Errorf("grant = %+v", g)
	}

	tests := map[string]string{
		"":                        "empty",
		"hello":                   "ntn_",
		"ntn_abc def":             "spaces",
		"secret_" + "x" + revoked: "refused",
		revoked:                   "refused",
	}
	for in, want := range tests {
		_, err := CheckToken(ctx, c, in)
		if !errors.Is(err, ErrInvalidToken) || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckToken(%q) err = %v, want ErrInvalidToken mentioning %q", in, err, want)
		}
		if in != "" && strings.Contains(err.Error(), in) {
			t.Errorf("the error echoes the secret: %v", err)
		}
	}
}
