package hotkey

import (
	"strconv"
	"strings"
)

// Key is a key a hotkey can use; 0 is none.
type Key uint8

// keyInfo is one key's names and its code on each system. The codes live
// here, not in the per-OS files, so every build tests every table.
type keyInfo struct {
	name  string   // canonical, lower case
	alias []string // also accepted by Parse
	label string   // for people: "Space", "F5", "A"
	x11   uint32   // X keysym (X11/keysymdef.h)
	mac   uint16   // macOS virtual key code (HIToolbox/Events.h, kVK_*); US-layout positions
	win   uint16   // Windows virtual-key code (VK_*)
}

// keys is indexed by Key; entry 0 is "none".
var keys = buildKeys()

// keySpace is the default hotkey's key.
var keySpace = mustKey("space")

func buildKeys() []keyInfo {
	t := []keyInfo{{}}
	// Letters: keysym and VK follow ASCII; macOS codes are positions.
	macLetters := [26]uint16{0x00, 0x0B, 0x08, 0x02, 0x0E, 0x03, 0x05, 0x04, 0x22, 0x26, 0x28, 0x25, 0x2E,
		0x2D, 0x1F, 0x23, 0x0C, 0x0F, 0x01, 0x11, 0x20, 0x09, 0x0D, 0x07, 0x10, 0x06}
	for i := range 26 {
		c := 'a' + rune(i)
		t = append(t, keyInfo{name: string(c), label: strings.ToUpper(string(c)), x11: uint32(c), mac: macLetters[i], win: uint16('A' + i)})
	}
	macDigits := [10]uint16{0x1D, 0x12, 0x13, 0x14, 0x15, 0x17, 0x16, 0x1A, 0x1C, 0x19}
	for i := range 10 {
		c := '0' + rune(i)
		t = append(t, keyInfo{name: string(c), label: string(c), x11: uint32(c), mac: macDigits[i], win: uint16(c)})
	}
	macF := [12]uint16{0x7A, 0x78, 0x63, 0x76, 0x60, 0x61, 0x62, 0x64, 0x65, 0x6D, 0x67, 0x6F}
	for i := range 12 {
		n := strconv.Itoa(i + 1)
		t = append(t, keyInfo{name: "f" + n, label: "F" + n, x11: 0xffbe + uint32(i), mac: macF[i], win: 0x70 + uint16(i)})
	}
	return append(t,
		keyInfo{name: "space", label: "Space", x11: 0x0020, mac: 0x31, win: 0x20},
		keyInfo{name: "enter", alias: []string{"return"}, label: "Enter", x11: 0xff0d, mac: 0x24, win: 0x0D},
		keyInfo{name: "tab", label: "Tab", x11: 0xff09, mac: 0x30, win: 0x09},
		keyInfo{name: "escape", alias: []string{"esc"}, label: "Esc", x11: 0xff1b, mac: 0x35, win: 0x1B},
		keyInfo{name: "backspace", label: "Backspace", x11: 0xff08, mac: 0x33, win: 0x08},
		keyInfo{name: "delete", alias: []string{"del"}, label: "Delete", x11: 0xffff, mac: 0x75, win: 0x2E},
		keyInfo{name: "insert", label: "Insert", x11: 0xff63, mac: 0x72, win: 0x2D},
		keyInfo{name: "home", label: "Home", x11: 0xff50, mac: 0x73, win: 0x24},
		keyInfo{name: "end", label: "End", x11: 0xff57, mac: 0x77, win: 0x23},
		keyInfo{name: "pageup", label: "PageUp", x11: 0xff55, mac: 0x74, win: 0x21},
		keyInfo{name: "pagedown", label: "PageDown", x11: 0xff56, mac: 0x79, win: 0x22},
		keyInfo{name: "left", label: "Left", x11: 0xff51, mac: 0x7B, win: 0x25},
		keyInfo{name: "up", label: "Up", x11: 0xff52, mac: 0x7E, win: 0x26},
		keyInfo{name: "right", label: "Right", x11: 0xff53, mac: 0x7C, win: 0x27},
		keyInfo{name: "down", label: "Down", x11: 0xff54, mac: 0x7D, win: 0x28},
		keyInfo{name: "comma", label: ",", x11: 0x002c, mac: 0x2B, win: 0xBC},
		keyInfo{name: "period", alias: []string{"dot"}, label: ".", x11: 0x002e, mac: 0x2F, win: 0xBE},
		keyInfo{name: "slash", label: "/", x11: 0x002f, mac: 0x2C, win: 0xBF},
		keyInfo{name: "semicolon", label: ";", x11: 0x003b, mac: 0x29, win: 0xBA},
		keyInfo{name: "grave", alias: []string{"backquote", "backtick"}, label: "`", x11: 0x0060, mac: 0x32, win: 0xC0},
		keyInfo{name: "minus", label: "-", x11: 0x002d, mac: 0x1B, win: 0xBD},
		keyInfo{name: "equal", alias: []string{"equals"}, label: "=", x11: 0x003d, mac: 0x18, win: 0xBB},
	)
}

func lookupKey(name string) (Key, bool) {
	for i, k := range keys[1:] {
		if k.name == name {
			return Key(i + 1), true
		}
		for _, a := range k.alias {
			if a == name {
				return Key(i + 1), true
			}
		}
	}
	return 0, false
}

func mustKey(name string) Key {
	k, ok := lookupKey(name)
	if !ok {
		panic("hotkey: no key " + name)
	}
	return k
}

func (k Key) info() keyInfo {
	if int(k) >= len(keys) {
		return keyInfo{}
	}
	return keys[k]
}

// String is the key's name as Parse reads it.
func (k Key) String() string { return k.info().name }

func (k Key) label() string { return k.info().label }
