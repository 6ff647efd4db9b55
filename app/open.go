package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
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
// Failures come back as ErrNoOpener or ErrOpenerFailed, in words a person
// can act on, never as the exec error of a program they never heard of.
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
		if errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("%w (%s is not installed)", ErrNoOpener, filepath.Base(cmd.Path))
		}
		return fmt.Errorf("%w: %w", ErrOpenerFailed, err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return openerExit(err)
	case <-ctx.Done():
		// Some handlers stay in the foreground; they got the URL.
		return nil
	}
}

// openerExit reads the handler's exit status. xdg-open documents 3 as "a
// required tool could not be found": no browser is configured.
func openerExit(err error) error {
	if err == nil {
		return nil
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) && runtime.GOOS != "darwin" && runtime.GOOS != "windows" && ee.ExitCode() == 3 {
		return ErrNoOpener
	}
	return fmt.Errorf("%w: %w", ErrOpenerFailed, err)
}

// Open opens an item: its https URL in the browser, or its notion:// form
// in the Notion app, falling back to the browser when the app will not
// take it; mode "" is the user's setting. Anything but a Notion https URL
// is refused. An open that worked is recorded, for frecency.
func (c *Core) Open(itemID string, mode OpenMode, op Opener) error {
	if mode == "" {
		mode = c.defaultOpenMode()
	}
	h, err := c.Item(itemID)
	if err != nil {
		return err
	}
	web, err := BrowserURL(h.URL)
	if err != nil {
		return err
	}
	if mode == OpenInApp {
		appURL, _ := AppURL(web)
		if err := op.OpenURL(appURL); err == nil {
			c.recordOpen(h)
			return nil
		}
		c.log.Info("app: the Notion app did not open the link; using the browser")
	}
	if err := op.OpenURL(web); err != nil {
		return err
	}
	c.recordOpen(h)
	return nil
}

// defaultOpenMode is the saved "open links in" setting.
func (c *Core) defaultOpenMode() OpenMode {
	if v, _, _ := c.store.Setting(SettingOpenIn); OpenMode(v) == OpenInApp {
		return OpenInApp
	}
	return OpenInBrowser
}
