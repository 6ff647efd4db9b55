// Package hotkey parses global hotkeys such as "ctrl+alt+space" and grabs
// them for the whole desktop: XGrabKey through a pure-Go X client on Linux
// and the BSDs, golang.design/x/hotkey on macOS and Windows. It has no Fyne
// and, on Linux, no cgo, so every command of the binary runs without a
// display.
package hotkey

import (
	"errors"
	"fmt"
	"strings"
)

// Modifier is a set of modifier keys.
type Modifier uint8

// The modifiers, in the order String writes them.
const (
	Ctrl Modifier = 1 << iota
	Alt
	Shift
	// Super is the Windows key on a PC and Command on a Mac.
	Super
)

var modNames = []struct {
	mod   Modifier
	name  string
	alias []string
}{
	{Ctrl, "ctrl", []string{"control"}},
	{Alt, "alt", []string{"option", "opt"}},
	{Shift, "shift", nil},
	{Super, "super", []string{"cmd", "command", "win"}},
}

// Hotkey is one key with its modifiers. The zero Hotkey is "none".
type Hotkey struct {
	Mods Modifier
	Key  Key
}

// DefaultString is the hotkey used when neither PAGEDECK_HOTKEY nor the
// settings name one.
//
// Ctrl+Alt+Space is bound by none of GNOME, KDE Plasma (KRunner is
// Alt+Space and Alt+F2), Windows (Alt+Space opens the window menu, Win+Space
// switches layouts) or macOS (Ctrl+Space, Cmd+Space and Ctrl+Cmd+Space are
// the input source, Spotlight and the emoji picker). Ctrl+Shift+Space is
// free in the desktops too, but applications use it (a non-breaking space
// in Word and LibreOffice, parameter hints in IDEs), and a global grab would
// take it from them. Known clashes of the choice: VoiceOver's VO+Space on a
// Mac while VoiceOver is on, and AltGr+Space on the few Windows layouts
// where it types a character.
const DefaultString = "ctrl+alt+space"

// Default is DefaultString parsed.
func Default() Hotkey { return Hotkey{Mods: Ctrl | Alt, Key: keySpace} }

// ErrInvalid: the text is not a hotkey. The wrapping error says why.
var ErrInvalid = errors.New("not a valid hotkey")

// ErrReserved: the desktop keeps the hotkey for itself (switching windows,
// locking the screen...). Parse's error wraps it with ErrInvalid, and says
// what the desktop does with the key.
var ErrReserved = errors.New("the desktop keeps it for itself")

// Parse reads "ctrl+alt+space": modifiers (ctrl, alt, shift, super; also
// control, option, cmd, command, win), then one key (a–z, 0–9, f1–f12,
// space, enter, tab, escape, backspace, delete, insert, home, end, pageup,
// pagedown, left, right, up, down, comma, period, slash, semicolon, grave,
// minus, equal). Case and spaces around the parts do not matter. Keys the
// desktop keeps for itself (alt+tab, super+l, ctrl+alt+delete...) are
// refused with ErrReserved and what the desktop does with them.
func Parse(s string) (Hotkey, error) {
	h, err := parseSyntax(s)
	if err != nil {
		return Hotkey{}, err
	}
	if what, ok := reservedBy(h); ok {
		return Hotkey{}, fmt.Errorf("%w: %q: %w (%s)", ErrInvalid, s, ErrReserved, what)
	}
	return h, nil
}

// parseSyntax is Parse without the desktop's reserved keys.
func parseSyntax(s string) (Hotkey, error) {
	bad := func(format string, a ...any) (Hotkey, error) {
		return Hotkey{}, fmt.Errorf("%w: %q: %s", ErrInvalid, s, fmt.Sprintf(format, a...))
	}
	text := strings.TrimSpace(s)
	if text == "" {
		return bad("it is empty; write it like %s", DefaultString)
	}
	if len(text) > 100 {
		return Hotkey{}, fmt.Errorf("%w: %d characters is too long for a hotkey", ErrInvalid, len(text))
	}
	var h Hotkey
	var keyName string
	for part := range strings.SplitSeq(text, "+") {
		name := strings.ToLower(strings.TrimSpace(part))
		if name == "" {
			return bad("a part between the + signs is empty")
		}
		if m, ok := lookupMod(name); ok {
			if h.Key != 0 {
				return bad("the modifier %s comes after the key %s; put modifiers first", name, keyName)
			}
			if h.Mods&m != 0 {
				return bad("%s is given twice", m)
			}
			h.Mods |= m
			continue
		}
		k, ok := lookupKey(name)
		if !ok {
			return bad("unknown key %q (keys: a–z, 0–9, f1–f12, space, enter, tab, escape, arrows, comma, period, slash, semicolon, grave, minus, equal and a few more)", part)
		}
		if h.Key != 0 {
			return bad("two keys, %s and %s; a hotkey has one key after its modifiers", keyName, name)
		}
		h.Key, keyName = k, name
	}
	if h.Key == 0 {
		if h.Mods == Super {
			return Hotkey{}, fmt.Errorf("%w: %q: %w (super alone opens the activities overview or the start menu); add a key, as in %s",
				ErrInvalid, s, ErrReserved, DefaultString)
		}
		return bad("no key after the modifiers; add one, as in %s", DefaultString)
	}
	// Shift alone, or no modifier, would take a key that people type from
	// every program on the desktop.
	if h.Mods&^Shift == 0 {
		return bad("it needs ctrl, alt or super, or every program would lose that key")
	}
	return h, nil
}

// String is the canonical form Parse reads: "ctrl+alt+space".
func (h Hotkey) String() string {
	if h.IsZero() {
		return ""
	}
	var b strings.Builder
	for _, m := range modNames {
		if h.Mods&m.mod != 0 {
			b.WriteString(m.name)
			b.WriteByte('+')
		}
	}
	b.WriteString(h.Key.String())
	return b.String()
}

// IsZero reports whether h is the zero Hotkey.
func (h Hotkey) IsZero() bool { return h.Key == 0 }

// Label is h as the desktop of goos (runtime.GOOS) names keys, for menus
// and settings: "Ctrl+Alt+Space" on Linux, "Ctrl+Win+Space" on Windows,
// "Ctrl+Option+Cmd+Space" on macOS.
func (h Hotkey) Label(goos string) string {
	if h.IsZero() {
		return ""
	}
	var parts []string
	for _, m := range modNames {
		if h.Mods&m.mod == 0 {
			continue
		}
		name := strings.ToUpper(m.name[:1]) + m.name[1:]
		switch {
		case m.mod == Alt && goos == "darwin":
			name = "Option"
		case m.mod == Super && goos == "darwin":
			name = "Cmd"
		case m.mod == Super && goos == "windows":
			name = "Win"
		}
		parts = append(parts, name)
	}
	parts = append(parts, h.Key.label())
	return strings.Join(parts, "+")
}

// String names a single modifier, or several joined by "+".
func (m Modifier) String() string {
	var names []string
	for _, n := range modNames {
		if m&n.mod != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, "+")
}

func lookupMod(name string) (Modifier, bool) {
	for _, m := range modNames {
		if name == m.name {
			return m.mod, true
		}
		for _, a := range m.alias {
			if name == a {
				return m.mod, true
			}
		}
	}
	return 0, false
}
