package app

import (
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// OpenMode is where an item opens.
type OpenMode string

const (
	OpenInBrowser OpenMode = "browser"
	OpenInApp     OpenMode = "app"
)

// Opener opens a URL outside Pagedeck: the browser, or the Notion app for
// notion:// links. The window uses Fyne's; the command line the system's.
type Opener interface {
	OpenURL(u string) error
}

// notionDomains are Notion's own; items open only there.
var notionDomains = []string{"notion.so", "notion.site", "notion.com"}

// BrowserURL checks that raw is an https URL on Notion's domains.
func BrowserURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.User != nil || !isNotionHost(u.Hostname()) {
		return "", fmt.Errorf("%w: %q", ErrUnsafeURL, raw)
	}
	return u.String(), nil
}

// AppURL is the notion:// form of a Notion URL, which the desktop app
// registers: same host and path, scheme swapped.
func AppURL(raw string) (string, error) {
	b, err := BrowserURL(raw)
	if err != nil {
		return "", err
	}
	return "notion://" + strings.TrimPrefix(b, "https://"), nil
}

func isNotionHost(h string) bool {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	for _, d := range notionDomains {
		if h == d || strings.HasSuffix(h, "."+d) {
			return true
		}
	}
	return false
}

// SystemOpener opens URLs with the operating system's handler.
type SystemOpener struct{}

// OpenURL starts the OS handler for u and waits briefly for it to accept.
func (SystemOpener) OpenURL(u string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("opening %s: %w", u, err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("opening %s: %w", u, err)
		}
		return nil
	case <-ctx.Done():
		// Some handlers stay in the foreground; they got the URL.
		return nil
	}
}
