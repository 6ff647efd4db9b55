package autostart

import (
	"path/filepath"
	"strings"
)

// desktopPath is the XDG autostart file.
func desktopPath(e Entry) string { return filepath.Join(e.Dir, ID+".desktop") }

// execViaShell runs the program named by its first argument with the rest:
// the Exec line of a program whose path has a %.
const execViaShell = `exec "$0" "$@"`

// desktopEntry is the XDG autostart file's text.
func desktopEntry(e Entry) string {
	argv := append([]string{e.Exe}, e.Args...)
	if strings.Contains(e.Exe, "%") {
		// The spec writes a % in Exec as %%, but GLib looks for the
		// program named by Exec's first word before it expands %%, finds
		// no ".../100%%/pagedeck", and refuses the whole entry ("Unable
		// to load application information"). So the program is started
		// by /bin/sh, whose path has no %, and the real one is an
		// argument, which every reader expands the same way.
		argv = append([]string{"/bin/sh", "-c", execViaShell}, argv...)
	}
	var exec []string
	for _, a := range argv {
		exec = append(exec, execArg(a))
	}
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=" + Name + "\n" +
		"Comment=Start Pagedeck in the tray at login\n" +
		"Icon=" + ID + "\n" +
		"Exec=" + escapeString(strings.Join(exec, " ")) + "\n" +
		// Without the program the desktop skips the entry instead of
		// failing at every login.
		"TryExec=" + escapeString(e.Exe) + "\n" +
		"Terminal=false\n" +
		"NoDisplay=true\n" +
		"X-GNOME-Autostart-enabled=true\n"
}

// execArg quotes one argument of Exec= as the Desktop Entry
// Specification says: an argument with a reserved character goes in
// double quotes, inside which ", `, $ and \ take a backslash; % is doubled
// so it is not a field code.
func execArg(a string) string {
	a = strings.ReplaceAll(a, "%", "%%")
	if a != "" && !strings.ContainsAny(a, " \t\n\"'\\><~|&;$*?#()`") {
		return a
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range a {
		if strings.ContainsRune("\"`$\\", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// escapeString applies the string escapes every value goes through (the
// spec applies them before Exec's quoting, so a quoted backslash is
// written as four).
func escapeString(s string) string {
	return strings.ReplaceAll(s, `\`, `\\`)
}

// desktopEnabled reads an autostart file the way desktops do: Hidden=true
// or X-GNOME-Autostart-enabled=false (what GNOME Tweaks writes) switch it
// off.
func desktopEnabled(text string) bool {
	inMain := false
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			inMain = line == "[Desktop Entry]"
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !inMain || !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "Hidden":
			if strings.TrimSpace(v) == "true" {
				return false
			}
		case "X-GNOME-Autostart-enabled":
			if strings.TrimSpace(v) == "false" {
				return false
			}
		}
	}
	return true
}
