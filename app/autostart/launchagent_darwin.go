package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// defaultDir is ~/Library/LaunchAgents. The agent is loaded at the next
// login; enabling does not start a second Pagedeck now.
func defaultDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the home directory: %w", err)
	}
	return filepath.Join(home, "Library", "LaunchAgents"), nil
}

func enable(e Entry) error  { return writeFile(launchAgentPath(e), launchAgent(e)) }
func disable(e Entry) error { return removeFile(launchAgentPath(e)) }

func enabled(e Entry) (bool, error) {
	_, err := os.Stat(launchAgentPath(e))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}
