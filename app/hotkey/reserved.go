package hotkey

import "fmt"

// reserved are hotkeys that a desktop keeps for itself, with what it does
// with them. A grab of one either fails or, worse, succeeds and takes the
// key from the desktop (no more alt+tab), so Parse refuses them all, on
// every system: a setting may travel with the user to another desktop.
// The list holds the well-known system keys of GNOME, KDE Plasma, Xfce,
// Windows and macOS, not every application's shortcuts.
var reserved = func() map[Hotkey]string {
	m := map[Hotkey]string{}
	add := func(what string, texts ...string) {
		for _, t := range texts {
			h, err := parseSyntax(t)
			if err != nil {
				panic("hotkey: reserved " + t + ": " + err.Error())
			}
			m[h] = what
		}
	}
	add("it switches windows", "alt+tab", "alt+shift+tab", "super+tab", "super+shift+tab", "alt+grave", "alt+escape", "ctrl+alt+escape")
	add("it opens the security screen or logs out", "ctrl+alt+delete")
	add("it opens the task manager", "ctrl+shift+escape")
	add("it stops the X server", "ctrl+alt+backspace")
	add("it closes the window", "alt+f4")
	add("it locks the screen", "super+l", "ctrl+alt+l", "ctrl+super+q")
	add("it opens the run dialog or the application menu", "alt+f1", "alt+f2", "super+r")
	add("it opens a terminal", "ctrl+alt+t")
	add("it shows the desktop", "super+d", "ctrl+alt+d")
	add("it switches the keyboard layout or opens the launcher", "super+space", "super+shift+space")
	add("it opens the emoji picker", "ctrl+super+space")
	add("it forces programs to quit", "alt+super+escape")
	add("it takes screenshots", "shift+super+3", "shift+super+4", "shift+super+5")
	for i := 1; i <= 12; i++ {
		add("it switches to a text console", fmt.Sprintf("ctrl+alt+f%d", i))
	}
	return m
}()

// reservedBy says what the desktop does with h, when it keeps it.
func reservedBy(h Hotkey) (string, bool) {
	what, ok := reserved[h]
	return what, ok
}
