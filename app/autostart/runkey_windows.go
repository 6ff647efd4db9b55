package autostart

import (
	"errors"

	"golang.org/x/sys/windows/registry"
)

// runKey is where Windows keeps the current user's programs to start at
// login; the value named Name holds the command line.
const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// defaultDir: Windows keeps the entry in the registry, not in a file.
func defaultDir() (string, error) { return "", nil }

func enable(e Entry) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	return k.SetStringValue(Name, runCommand(e))
}

func disable(Entry) error {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer k.Close()
	if err := k.DeleteValue(Name); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return err
	}
	return nil
}

// enabled: the Run value exists. (Task Manager's Startup tab can switch it
// off elsewhere, under StartupApproved; that is not read here.)
func enabled(Entry) (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer k.Close()
	_, _, err = k.GetStringValue(Name)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}
