package app

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pagedeck/pagedeck/app/hotkey"
	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
)

// Defaults.
const (
	DefaultRedirectURI     = "http://localhost:47219/callback"
	DefaultRefreshInterval = 15 * time.Minute
	// FullSyncEvery: an automatic refresh becomes a full sync this often, so
	// items unshared in Notion disappear without anyone asking.
	FullSyncEvery = 6 * time.Hour
)

// Environment variables, read first so tests and packagers can set them.
const (
	EnvClientID       = "PAGEDECK_CLIENT_ID"
	EnvClientSecret   = "PAGEDECK_CLIENT_SECRET"
	EnvBrokerURL      = "PAGEDECK_BROKER_URL"
	EnvRedirectURI    = "PAGEDECK_REDIRECT_URI"
	EnvNotionURL      = "PAGEDECK_NOTION_URL"
	EnvDataDir        = "PAGEDECK_DATA_DIR"
	EnvKeyringService = "PAGEDECK_KEYRING_SERVICE"
	EnvDebug          = "PAGEDECK_DEBUG"
	EnvHotkey         = "PAGEDECK_HOTKEY"
)

// Config is what the environment says. Settings saved in the app fill in
// what it leaves empty (see Core.Effective).
type Config struct {
	ClientID       string
	ClientSecret   notion.Secret
	BrokerURL      string
	RedirectURI    string
	NotionURL      string
	DataDir        string
	KeyringService string
	Debug          bool
	// Hotkey opens Quick Open from anywhere; zero when the environment
	// names none (see Core.Hotkey for the one in force).
	Hotkey hotkey.Hotkey
	// HotkeyProblem says why PAGEDECK_HOTKEY was ignored (it does not
	// parse, or names a key the desktop keeps); nil when it is unset or
	// good. It is a warning, never a failed command: only the window uses
	// the hotkey, and it falls back to the settings or the default.
	HotkeyProblem error
	// Demo: the configuration is the built-in demo's, not the user's.
	Demo bool
}

// ConfigFromEnv reads the environment; getenv is os.Getenv outside tests.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		ClientID:       strings.TrimSpace(getenv(EnvClientID)),
		ClientSecret:   notion.Secret(strings.TrimSpace(getenv(EnvClientSecret))),
		BrokerURL:      strings.TrimSpace(getenv(EnvBrokerURL)),
		RedirectURI:    strings.TrimSpace(getenv(EnvRedirectURI)),
		NotionURL:      strings.TrimSpace(getenv(EnvNotionURL)),
		DataDir:        strings.TrimSpace(getenv(EnvDataDir)),
		KeyringService: strings.TrimSpace(getenv(EnvKeyringService)),
		Debug:          getenv(EnvDebug) != "" && getenv(EnvDebug) != "0",
	}
	if c.NotionURL == "" {
		c.NotionURL = notion.DefaultBaseURL
	}
	if c.KeyringService == "" {
		c.KeyringService = ID
	}
	if c.DataDir == "" {
		d, err := DefaultDataDir()
		if err != nil {
			return c, err
		}
		c.DataDir = d
	}
	if c.RedirectURI != "" {
		if err := ValidateRedirectURI(c.RedirectURI); err != nil {
			return c, fmt.Errorf("%s: %w", EnvRedirectURI, err)
		}
	}
	if c.BrokerURL != "" {
		if err := ValidateBrokerURL(c.BrokerURL); err != nil {
			return c, fmt.Errorf("%s: %w", EnvBrokerURL, err)
		}
	}
	if _, err := url.ParseRequestURI(c.NotionURL); err != nil {
		return c, fmt.Errorf("%s: %w", EnvNotionURL, err)
	}
	if v := getenv(EnvHotkey); strings.TrimSpace(v) != "" {
		h, err := hotkey.Parse(v)
		if err != nil {
			c.HotkeyProblem = fmt.Errorf("%s is ignored: %w", EnvHotkey, err)
		} else {
			c.Hotkey = h
		}
	}
	return c, nil
}

// DefaultDataDir is the user's config directory for the app:
// ~/.config/pagedeck on Linux, ~/Library/Application Support/pagedeck on
// macOS, %AppData%\pagedeck on Windows.
func DefaultDataDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config directory (set %s): %w", EnvDataDir, err)
	}
	return filepath.Join(d, "pagedeck"), nil
}

// ValidateRedirectURI accepts http://localhost:PORT/PATH (or 127.0.0.1,
// [::1]). Port 80 is refused: the browser drops it, so the flow could
// never complete (see auth.ErrPort80).
func ValidateRedirectURI(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return fmt.Errorf("%q must look like %s", raw, DefaultRedirectURI)
	}
	switch u.Hostname() {
	case "localhost", "127.0.0.1", "::1":
	default:
		return fmt.Errorf("%q must be on localhost, like %s", raw, DefaultRedirectURI)
	}
	p, err := strconv.Atoi(u.Port())
	if err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("%q needs a port, like %s", raw, DefaultRedirectURI)
	}
	if p == 80 {
		return fmt.Errorf("%q: %w", raw, auth.ErrPort80)
	}
	return nil
}

// ValidateBrokerURL accepts an https URL, or http on localhost for testing.
func ValidateBrokerURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not a URL", raw)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1" || u.Hostname() == "::1"):
	default:
		return fmt.Errorf("%q must use https (plain http only on localhost)", raw)
	}
	return nil
}

// ValidateClientID checks the shape of a Notion OAuth client id.
func ValidateClientID(id string) error {
	id = strings.TrimSpace(id)
	if id == "" {
		return errors.New("the client ID is empty")
	}
	if len(id) > 100 || strings.ContainsAny(id, " \t\r\n/?#&") {
		return fmt.Errorf("%q does not look like a Notion client ID", id)
	}
	return nil
}
