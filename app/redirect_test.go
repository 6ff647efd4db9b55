package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/auth"
)

// TestPort80RedirectIsRefused: a port-80 redirect URI passes neither the
// environment, nor the settings, nor a value saved by an older version.
func TestPort80RedirectIsRefused(t *testing.T) {
	for _, u := range []string{"http://localhost:80/callback", "http://127.0.0.1:80/cb", "http://[::1]:80/"} {
		if err := app.ValidateRedirectURI(u); !errors.Is(err, auth.ErrPort80) || !strings.Contains(err.Error(), "above 1023") {
			t.Errorf("%s: %v", u, err)
		}
	}
	env := map[string]string{app.EnvRedirectURI: "http://localhost:80/callback", app.EnvDataDir: t.TempDir()}
	if _, err := app.ConfigFromEnv(func(k string) string { return env[k] }); !errors.Is(err, auth.ErrPort80) {
		t.Errorf("from the environment: %v", err)
	}
	h := newHarness(t)
	if err := h.core.SaveSettings(context.Background(), app.Settings{RedirectURI: "http://localhost:80/callback", OpenIn: app.OpenInBrowser}, "", false); !errors.Is(err, auth.ErrPort80) {
		t.Errorf("in the settings: %v", err)
	}
	// Saved before this check existed: the flow itself refuses it.
	h.Config.RedirectURI = ""
	c := h.Core()
	if err := c.Store().SetSettings(map[string]string{app.SettingRedirectURI: "http://localhost:80/callback"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Connect(context.Background(), app.ConnectOptions{Opener: &fakeOpener{}, NoSync: true}); !errors.Is(err, auth.ErrPort80) {
		t.Errorf("a stored port-80 URI: %v", err)
	}
	if err := app.ValidateRedirectURI(app.DefaultRedirectURI); err != nil {
		t.Errorf("the default: %v", err)
	}
}
