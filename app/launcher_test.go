package app_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/autostart"
	"github.com/pagedeck/pagedeck/app/hotkey"
)

// The login entry is named after the app (its .desktop file, LaunchAgent
// label and icon name follow the app ID).
func TestAutostartIsTheApp(t *testing.T) {
	if autostart.ID != app.ID {
		t.Errorf("the login entry is named %s, the app is %s", autostart.ID, app.ID)
	}
}

func TestHotkeyChoice(t *testing.T) {
	h := newHarness(t)
	ch, err := h.core.Hotkey().Current()
	if err != nil || ch.Hotkey != hotkey.Default() || !ch.IsDefault || ch.FixedBy != "" || ch.Saved != "" {
		t.Fatalf("fresh: %+v, %v", ch, err)
	}

	saved, err := h.core.Hotkey().Save(" Cmd + Shift + P ")
	if err != nil || saved.String() != "shift+super+p" {
		t.Fatalf("SaveHotkey: %v, %v", saved, err)
	}
	// Another process sees it.
	ch, err = h.Core().Hotkey().Current()
	if err != nil || ch.Hotkey.String() != "shift+super+p" || ch.IsDefault || ch.Saved != "shift+super+p" {
		t.Fatalf("after save: %+v, %v", ch, err)
	}

	if _, err := h.core.Hotkey().Save("ctrl+alt"); !errors.Is(err, hotkey.ErrInvalid) {
		t.Fatalf("saving a hotkey without a key: %v", err)
	}
	if ch, _ := h.core.Hotkey().Current(); ch.Hotkey.String() != "shift+super+p" {
		t.Errorf("a refused save changed the hotkey to %v", ch.Hotkey)
	}

	// The environment wins, and says so; the saved value stays editable.
	h.Config.Hotkey, _ = hotkey.Parse("ctrl+alt+k")
	ch, err = h.Core().Hotkey().Current()
	if err != nil || ch.Hotkey.String() != "ctrl+alt+k" || ch.FixedBy != app.EnvHotkey || ch.Saved != "shift+super+p" {
		t.Fatalf("with the environment: %+v, %v", ch, err)
	}
	h.Config.Hotkey = hotkey.Hotkey{}

	// A bad one in the environment: the saved hotkey, and why.
	h.Config.HotkeyProblem = errors.New("PAGEDECK_HOTKEY is ignored: not a valid hotkey")
	ch, err = h.Core().Hotkey().Current()
	if err != nil || ch.Hotkey.String() != "shift+super+p" || ch.FixedBy != "" || ch.EnvIgnored != h.Config.HotkeyProblem {
		t.Fatalf("with a bad hotkey in the environment: %+v, %v", ch, err)
	}
	h.Config.HotkeyProblem = nil

	// "" goes back to the default.
	if _, err := h.core.Hotkey().Save(""); err != nil {
		t.Fatal(err)
	}
	if ch, _ := h.core.Hotkey().Current(); !ch.IsDefault || ch.Saved != "" {
		t.Errorf("after reset: %+v", ch)
	}

	// A value that does not parse (hand-edited store) falls back loudly.
	if err := h.core.Store().SetSettings(map[string]string{app.SettingHotkey: "ctrl+banana"}); err != nil {
		t.Fatal(err)
	}
	ch, err = h.core.Hotkey().Current()
	if ch.Hotkey != hotkey.Default() || err == nil || !strings.Contains(err.Error(), "banana") {
		t.Errorf("bad saved value: %+v, %v", ch, err)
	}
}

func TestHotkeyFromEnv(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	c, err := app.ConfigFromEnv(env(map[string]string{"PAGEDECK_DATA_DIR": "/tmp/x", "PAGEDECK_HOTKEY": "Super+Shift+K"}))
	if err != nil || c.Hotkey.String() != "shift+super+k" {
		t.Errorf("PAGEDECK_HOTKEY: %v, %v", c.Hotkey, err)
	}
	if c, err := app.ConfigFromEnv(env(map[string]string{"PAGEDECK_DATA_DIR": "/tmp/x", "PAGEDECK_HOTKEY": "  "})); err != nil || !c.Hotkey.IsZero() {
		t.Errorf("blank PAGEDECK_HOTKEY: %v, %v", c.Hotkey, err)
	}
	// A bad one is ignored with the reason, never an error: only the
	// window uses it, and every command must still run.
	for _, c := range []struct{ v, why string }{{"ctrl+alt+ctrl+x", "twice"}, {"alt+tab", "switches windows"}} {
		cfg, err := app.ConfigFromEnv(env(map[string]string{"PAGEDECK_DATA_DIR": "/tmp/x", "PAGEDECK_HOTKEY": c.v}))
		if err != nil {
			t.Errorf("PAGEDECK_HOTKEY=%s fails the configuration: %v", c.v, err)
		}
		p := cfg.HotkeyProblem
		if !cfg.Hotkey.IsZero() || !errors.Is(p, hotkey.ErrInvalid) || p == nil || !strings.HasPrefix(p.Error(), "PAGEDECK_HOTKEY is ignored: ") || !strings.Contains(p.Error(), c.why) {
			t.Errorf("PAGEDECK_HOTKEY=%s: hotkey %v, problem %v", c.v, cfg.Hotkey, p)
		}
	}
}
