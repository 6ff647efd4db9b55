package app

import (
	"fmt"

	"github.com/pagedeck/pagedeck/app/hotkey"
)

// SettingHotkey stores the Quick Open hotkey in its canonical form
// ("ctrl+alt+space"); absent means the default.
const SettingHotkey = "hotkey"

// HotkeyChoice is the Quick Open hotkey in force and where it comes from.
type HotkeyChoice struct {
	Hotkey hotkey.Hotkey
	// Saved is what the settings hold ("" for none): the settings dialog
	// edits this even while the environment overrides it.
	Saved string
	// FixedBy is EnvHotkey when the environment sets the hotkey, else "".
	FixedBy string
	// IsDefault: neither the environment nor the settings name one.
	IsDefault bool
	// EnvIgnored is Config.HotkeyProblem: PAGEDECK_HOTKEY is set but not
	// used, and why. The hotkey above is the settings' or the default.
	EnvIgnored error
}

// HotkeySetting reads and saves the Quick Open hotkey.
type HotkeySetting struct{ c *Core }

// Hotkey is the Quick Open hotkey's setting.
func (c *Core) Hotkey() HotkeySetting { return HotkeySetting{c} }

// Current is the Quick Open hotkey in force: PAGEDECK_HOTKEY, then the
// settings, then hotkey.Default(). A saved value that no longer parses
// (edited by hand, or from another version) gives the default with an
// error saying so.
func (hs HotkeySetting) Current() (HotkeyChoice, error) {
	c := hs.c
	saved, _, err := c.store.Setting(SettingHotkey)
	if err != nil {
		return HotkeyChoice{Hotkey: hotkey.Default(), IsDefault: true, EnvIgnored: c.cfg.HotkeyProblem}, err
	}
	ch := HotkeyChoice{Saved: saved, EnvIgnored: c.cfg.HotkeyProblem}
	if !c.cfg.Hotkey.IsZero() {
		ch.Hotkey, ch.FixedBy = c.cfg.Hotkey, EnvHotkey
		return ch, nil
	}
	if saved != "" {
		h, err := hotkey.Parse(saved)
		if err == nil {
			ch.Hotkey = h
			return ch, nil
		}
		ch.Hotkey, ch.IsDefault = hotkey.Default(), true
		return ch, fmt.Errorf("the saved hotkey: %w; using %s", err, hotkey.DefaultString)
	}
	ch.Hotkey, ch.IsDefault = hotkey.Default(), true
	return ch, nil
}

// Save checks and stores the Quick Open hotkey; "" goes back to the
// default. It returns what was stored, in canonical form.
func (hs HotkeySetting) Save(text string) (hotkey.Hotkey, error) {
	var h hotkey.Hotkey
	if text != "" {
		var err error
		if h, err = hotkey.Parse(text); err != nil {
			return h, err
		}
	}
	return h, hs.c.store.SetSettings(map[string]string{SettingHotkey: h.String()})
}
