// Package autostart installs and removes the entry that starts Pagedeck
// hidden in the tray at login: an XDG autostart .desktop file on Linux and
// the BSDs, a LaunchAgent on macOS, a value under the per-user Run key on
// Windows. The entry is the setting: it is on while the entry exists.
package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// ID names the entry (the .desktop file, the LaunchAgent's label); it is
// the app's ID, app.ID.
const ID = "com.github.pagedeck"

// Name is what the desktop shows for the entry (and the Run key's value).
const Name = "Pagedeck"

// HiddenFlag starts Pagedeck in the tray without its window.
const HiddenFlag = "--hidden"

// ErrUnsupported: this system has no autostart entry Pagedeck knows.
var ErrUnsupported = errors.New("starting at login is not supported on this system")

// Entry starts Exe with Args at login.
type Entry struct {
	// Exe is the absolute path of the program.
	Exe  string
	Args []string
	// Dir holds the entry file: $XDG_CONFIG_HOME/autostart (Linux, BSD)
	// or ~/Library/LaunchAgents (macOS). Windows keeps it in the registry.
	Dir string
}

// ForThisProgram is the entry for the running binary, started with
// --hidden. Inside an AppImage it names the AppImage, not its temporary
// mount.
func ForThisProgram() (Entry, error) {
	exe := os.Getenv("APPIMAGE")
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return Entry{}, fmt.Errorf("finding this program's path: %w", err)
		}
		if p, err := filepath.EvalSymlinks(exe); err == nil {
			exe = p
		}
	}
	dir, err := defaultDir()
	if err != nil {
		return Entry{}, err
	}
	return Entry{Exe: exe, Args: []string{HiddenFlag}, Dir: dir}, nil
}

// Enable writes the entry, replacing an older one (so a moved program is
// found again).
func (e Entry) Enable() error {
	if err := e.check(); err != nil {
		return err
	}
	if err := enable(e); err != nil {
		return fmt.Errorf("adding %s to the programs started at login: %w", Name, err)
	}
	return nil
}

// Disable removes the entry; without one it does nothing.
func (e Entry) Disable() error {
	if err := disable(e); err != nil {
		return fmt.Errorf("removing %s from the programs started at login: %w", Name, err)
	}
	return nil
}

// Enabled reports whether the entry is there and not switched off by the
// desktop's own settings.
func (e Entry) Enabled() (bool, error) { return enabled(e) }

// check refuses what no entry format can carry safely.
func (e Entry) check() error {
	if !filepath.IsAbs(e.Exe) && !isWindowsAbs(e.Exe) {
		return fmt.Errorf("the program path %q is not absolute", e.Exe)
	}
	for _, s := range append([]string{e.Exe}, e.Args...) {
		if strings.IndexFunc(s, unicode.IsControl) >= 0 {
			return fmt.Errorf("%q contains a control character, which a login entry cannot hold", s)
		}
	}
	return nil
}

// isWindowsAbs accepts C:\… and \\server\share\… on any system, so the
// Windows command line is testable on Linux.
func isWindowsAbs(p string) bool {
	return (len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') && unicode.IsLetter(rune(p[0]))) ||
		strings.HasPrefix(p, `\\`)
}
