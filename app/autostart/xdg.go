//go:build unix && !darwin && !ios && !android

package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// defaultDir is $XDG_CONFIG_HOME/autostart, or ~/.config/autostart when
// that is unset or not absolute (the XDG Base Directory rule).
func defaultDir() (string, error) {
	base := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(base) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("finding the home directory: %w", err)
		}
		base = filepath.Join(home, ".config")
	}
	return filepath.Join(base, "autostart"), nil
}

func enable(e Entry) error  { return writeFile(desktopPath(e), []byte(desktopEntry(e))) }
func disable(e Entry) error { return removeFile(desktopPath(e)) }

func enabled(e Entry) (bool, error) {
	b, err := os.ReadFile(desktopPath(e))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return desktopEnabled(string(b)), nil
}
