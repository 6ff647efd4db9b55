package hotkey

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ctrl+alt+space", "ctrl+alt+space"},
		{"  Ctrl + Alt + SPACE ", "ctrl+alt+space"},
		{"alt+ctrl+space", "ctrl+alt+space"},
		{"shift+super+k", "shift+super+k"},
		{"cmd+shift+p", "shift+super+p"},
		{"Command+Option+o", "alt+super+o"},
		{"control+win+f12", "ctrl+super+f12"},
		{"ctrl+f1", "ctrl+f1"},
		{"ctrl+alt+return", "ctrl+alt+enter"},
		{"ctrl+esc", "ctrl+escape"},
		{"ctrl+backquote", "ctrl+grave"},
		{"ctrl+backtick", "ctrl+grave"},
		{"super+dot", "super+period"},
		{"ctrl+alt+7", "ctrl+alt+7"},
		{"ctrl+shift+Slash", "ctrl+shift+slash"},
		{"alt+semicolon", "alt+semicolon"},
		{"alt+comma", "alt+comma"},
		{"ctrl+alt+left", "ctrl+alt+left"},
		{"ctrl+alt+tab", "ctrl+alt+tab"},
		{"ctrl+alt+shift+super+z", "ctrl+alt+shift+super+z"},
	}
	for _, tt := range tests {
		h, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := h.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		// The canonical form parses to the same hotkey.
		if again, err := Parse(h.String()); err != nil || again != h {
			t.Errorf("Parse(%q) = %v, %v; want %v", h.String(), again, err, h)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, why string }{
		{"", "empty"},
		{"   ", "empty"},
		{"ctrl+", "empty"},
		{"+a", "empty"},
		{"ctrl++a", "empty"},
		{"ctrl+alt", "no key"},
		{"ctrl+hyper+a", `unknown key "hyper"`},
		{"ctrl+ä", `unknown key "ä"`},
		{"ctrl+f13", `unknown key "f13"`},
		{"ctrl+ctrl+a", "ctrl is given twice"},
		{"cmd+super+a", "super is given twice"},
		{"ctrl+a+b", "two keys"},
		{"ctrl+space+alt", "comes after the key"},
		{"space", "needs ctrl, alt or super"},
		{"shift+a", "needs ctrl, alt or super"},
		{strings.Repeat("ctrl+", 30) + "a", "too long"},
	}
	for _, tt := range tests {
		h, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want an error about %s", tt.in, h, tt.why)
			continue
		}
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.why) {
			t.Errorf("Parse(%q): %v; want ErrInvalid saying %q", tt.in, err, tt.why)
		}
		if !h.IsZero() {
			t.Errorf("Parse(%q) returned %v with its error", tt.in, h)
		}
	}
}

func TestDefault(t *testing.T) {
	h, err := Parse(DefaultString)
	if err != nil || h != Default() || h.String() != DefaultString {
		t.Errorf("Default() = %v, Parse(DefaultString) = %v, %v", Default(), h, err)
	}
}

func TestLabel(t *testing.T) {
	h, _ := Parse("super+alt+ctrl+shift+space")
	for goos, want := range map[string]string{
		"linux":   "Ctrl+Alt+Shift+Super+Space",
		"windows": "Ctrl+Alt+Shift+Win+Space",
		"darwin":  "Ctrl+Option+Shift+Cmd+Space",
	} {
		if got := h.Label(goos); got != want {
			t.Errorf("Label(%s) = %q, want %q", goos, got, want)
		}
	}
	if got := mustParse(t, "ctrl+grave").Label("linux"); got != "Ctrl+`" {
		t.Errorf("ctrl+grave label %q", got)
	}
	if (Hotkey{}).Label("linux") != "" || (Hotkey{}).String() != "" {
		t.Error("the zero hotkey has a name")
	}
}

// TestKeyTables: every key Parse accepts has a code on every system, and
// no two keys share one.
func TestKeyTables(t *testing.T) {
	seen := map[string]map[uint32]string{"x11": {}, "mac": {}, "win": {}}
	names := map[string]bool{}
	for i, k := range keys[1:] {
		if k.name == "" || k.label == "" {
			t.Errorf("key %d has no name or label", i+1)
		}
		for _, n := range append([]string{k.name}, k.alias...) {
			if names[n] || isModName(n) {
				t.Errorf("name %q is used twice", n)
			}
			names[n] = true
			if got, ok := lookupKey(n); !ok || got != Key(i+1) {
				t.Errorf("lookupKey(%q) = %d, %v", n, got, ok)
			}
		}
		for sys, code := range map[string]uint32{"x11": k.x11, "mac": uint32(k.mac), "win": uint32(k.win)} {
			if code == 0 && !(sys == "mac" && k.name == "a") { // kVK_ANSI_A is 0
				t.Errorf("%s has no %s code", k.name, sys)
			}
			if other, dup := seen[sys][code]; dup {
				t.Errorf("%s and %s share the %s code %#x", other, k.name, sys, code)
			}
			seen[sys][code] = k.name
		}
	}
	if len(keys) < 26+10+12+20 {
		t.Errorf("only %d keys", len(keys))
	}
	// A few codes checked against the headers by hand.
	for name, want := range map[string][3]uint32{
		"a":     {0x61, 0x00, 0x41},
		"space": {0x20, 0x31, 0x20},
		"f1":    {0xffbe, 0x7A, 0x70},
		"f12":   {0xffc9, 0x6F, 0x7B},
		"grave": {0x60, 0x32, 0xC0},
		"z":     {0x7a, 0x06, 0x5A},
		"0":     {0x30, 0x1D, 0x30},
	} {
		k := keys[mustKey(name)]
		if got := [3]uint32{k.x11, uint32(k.mac), uint32(k.win)}; got != want {
			t.Errorf("%s codes = %#x, want %#x", name, got, want)
		}
	}
}

func isModName(n string) bool {
	_, ok := lookupMod(n)
	return ok
}

func mustParse(t *testing.T, s string) Hotkey {
	t.Helper()
	h, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"ctrl+alt+space", "cmd+shift+p", "a", "+", "ctrl++", "CTRL+ALT+F1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(h.String())
		if err != nil || again != h {
			t.Fatalf("Parse(%q) = %v, but its String %q parses to %v, %v", s, h, h.String(), again, err)
		}
	})
}

// TestParseRefusesReservedKeys: keys the desktop keeps are refused, in any
// spelling, with what the desktop does with them; their neighbours pass.
func TestParseRefusesReservedKeys(t *testing.T) {
	for _, tt := range []struct{ in, why string }{
		{"alt+tab", "switches windows"},
		{"Alt + Shift + Tab", "switches windows"},
		{"cmd+tab", "switches windows"},
		{"super+l", "locks the screen"},
		{"win+L", "locks the screen"},
		{"ctrl+alt+delete", "security screen"},
		{"control+option+del", "security screen"},
		{"ctrl+alt+backspace", "X server"},
		{"alt+f4", "closes the window"},
		{"ctrl+alt+f1", "text console"},
		{"ctrl+alt+f12", "text console"},
		{"ctrl+shift+esc", "task manager"},
		{"alt+f2", "run dialog"},
		{"super+d", "shows the desktop"},
		{"cmd+space", "keyboard layout or opens the launcher"},
		{"super", "super alone"},
	} {
		h, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want it refused (%s)", tt.in, h, tt.why)
			continue
		}
		if !errors.Is(err, ErrReserved) || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.why) {
			t.Errorf("Parse(%q): %v; want ErrReserved saying %q", tt.in, err, tt.why)
		}
	}
	for _, ok := range []string{"ctrl+alt+space", "ctrl+alt+tab", "alt+shift+f4", "ctrl+alt+shift+delete", "super+k", "ctrl+super+l"} {
		if _, err := Parse(ok); errors.Is(err, ErrReserved) {
			t.Errorf("Parse(%q): %v; the desktop does not keep it", ok, err)
		}
	}
}
