//go:build (!unix && !windows) || ios || android

package autostart

func defaultDir() (string, error) { return "", nil }
func enable(Entry) error          { return ErrUnsupported }
func disable(Entry) error         { return nil }
func enabled(Entry) (bool, error) { return false, nil }
