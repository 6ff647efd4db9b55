// Settings: what the settings dialog edits, the configuration in force, and the window's small preferences.

package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
)

// Setting keys in the store.
const (
	SettingClientID        = "client_id"
	SettingRedirectURI     = "redirect_uri"
	SettingBrokerURL       = "broker_url"
	SettingOpenIn          = "open_in"
	SettingRefreshInterval = "refresh_minutes"
)

// Settings are what the settings dialog edits. Environment variables (or
// the demo) win over them; FixedBy says which.
type Settings struct {
	ClientID        string
	RedirectURI     string
	BrokerURL       string
	OpenIn          OpenMode
	RefreshInterval time.Duration // 0: no automatic refresh
	// HasClientSecret: a secret is in the keychain (never read back).
	HasClientSecret bool
	// Configured: Connect can run (own connection or broker, from the
	// environment or these settings). Set even when Settings also returns
	// a keychain error.
	Configured bool
	// FixedBy maps a setting (SettingClientID, SettingClientSecret,
	// SettingRedirectURI, SettingBrokerURL) to what sets it instead: an
	// environment variable's name, or "the demo".
	FixedBy map[string]string
}

// SettingClientSecret names the client secret in Settings.FixedBy; it is
// kept in the keychain, never in the store.
const SettingClientSecret = "client_secret"

func (c *Core) fixedBy() map[string]string {
	out := map[string]string{}
	for key, f := range map[string]struct {
		set bool
		env string
	}{
		SettingClientID:     {c.cfg.ClientID != "", EnvClientID},
		SettingClientSecret: {c.cfg.ClientSecret != "", EnvClientSecret},
		SettingRedirectURI:  {c.cfg.RedirectURI != "", EnvRedirectURI},
		SettingBrokerURL:    {c.cfg.BrokerURL != "", EnvBrokerURL},
	} {
		switch {
		case !f.set:
		case c.cfg.Demo:
			out[key] = "the demo"
		default:
			out[key] = f.env
		}
	}
	return out
}

// Settings reads the saved settings.
func (c *Core) Settings(ctx context.Context) (Settings, error) {
	kv, err := c.store.Settings()
	if err != nil {
		return Settings{}, err
	}
	s := Settings{
		ClientID:        kv[SettingClientID],
		RedirectURI:     kv[SettingRedirectURI],
		BrokerURL:       kv[SettingBrokerURL],
		OpenIn:          OpenMode(kv[SettingOpenIn]),
		RefreshInterval: DefaultRefreshInterval,
		FixedBy:         c.fixedBy(),
	}
	if s.OpenIn != OpenInApp {
		s.OpenIn = OpenInBrowser
	}
	if m, ok := kv[SettingRefreshInterval]; ok {
		if n, err := strconv.Atoi(m); err == nil && n >= 0 {
			s.RefreshInterval = time.Duration(n) * time.Minute
		}
	}
	_, err = c.vault.ClientSecret(ctx)
	s.HasClientSecret = err == nil
	// The same rule as provider: a client id with a secret, or a broker.
	s.Configured = (firstOf(c.cfg.ClientID, s.ClientID) != "" && (c.cfg.ClientSecret != "" || s.HasClientSecret)) ||
		firstOf(c.cfg.BrokerURL, s.BrokerURL) != ""
	if err != nil && !errors.Is(err, auth.ErrNoToken) {
		return s, err
	}
	return s, nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// SaveSettings validates and stores s. A non-empty newSecret replaces the
// client secret in the keychain; clearSecret removes it.
func (c *Core) SaveSettings(ctx context.Context, s Settings, newSecret notion.Secret, clearSecret bool) error {
	s.ClientID = strings.TrimSpace(s.ClientID)
	s.RedirectURI = strings.TrimSpace(s.RedirectURI)
	s.BrokerURL = strings.TrimSpace(s.BrokerURL)
	var errs []error
	if s.ClientID != "" {
		if err := ValidateClientID(s.ClientID); err != nil {
			errs = append(errs, fmt.Errorf("client ID: %w", err))
		}
	}
	if s.RedirectURI != "" {
		if err := ValidateRedirectURI(s.RedirectURI); err != nil {
			errs = append(errs, fmt.Errorf("redirect URI: %w", err))
		}
	}
	if s.BrokerURL != "" {
		if err := ValidateBrokerURL(s.BrokerURL); err != nil {
			errs = append(errs, fmt.Errorf("broker URL: %w", err))
		}
	}
	if s.OpenIn != OpenInBrowser && s.OpenIn != OpenInApp {
		errs = append(errs, fmt.Errorf("open links in: %q is neither browser nor app", s.OpenIn))
	}
	if s.RefreshInterval < 0 || (s.RefreshInterval > 0 && s.RefreshInterval < time.Minute) || s.RefreshInterval > 24*time.Hour {
		errs = append(errs, errors.New("refresh interval: choose between 1 minute and 24 hours, or 0 for never"))
	}
	if strings.ContainsAny(newSecret.Reveal(), " \t\r\n") {
		errs = append(errs, errors.New("client secret: it contains spaces; paste only the secret"))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	switch {
	case newSecret != "":
		if err := c.vault.SaveClientSecret(ctx, newSecret); err != nil {
			return err
		}
	case clearSecret:
		if err := c.vault.DeleteClientSecret(ctx); err != nil {
			return err
		}
	}
	return c.store.SetSettings(map[string]string{
		SettingClientID:        s.ClientID,
		SettingRedirectURI:     s.RedirectURI,
		SettingBrokerURL:       s.BrokerURL,
		SettingOpenIn:          string(s.OpenIn),
		SettingRefreshInterval: strconv.Itoa(int(s.RefreshInterval / time.Minute)),
	})
}

// effective is the configuration in force: the environment, then settings,
// then defaults. The client secret comes from the environment or the
// keychain.
func (c *Core) effective(ctx context.Context) (Config, error) {
	eff := c.cfg
	kv, err := c.store.Settings()
	if err != nil {
		return eff, err
	}
	if eff.ClientID == "" {
		eff.ClientID = kv[SettingClientID]
	}
	if eff.RedirectURI == "" {
		eff.RedirectURI = kv[SettingRedirectURI]
	}
	if eff.RedirectURI == "" {
		eff.RedirectURI = DefaultRedirectURI
	}
	if eff.BrokerURL == "" {
		eff.BrokerURL = kv[SettingBrokerURL]
	}
	if eff.ClientSecret == "" && eff.ClientID != "" {
		s, err := c.vault.ClientSecret(ctx)
		switch {
		case err == nil:
			eff.ClientSecret = s
		case errors.Is(err, auth.ErrNoToken):
		default:
			return eff, err
		}
	}
	return eff, nil
}

// Pref and SetPref keep small UI state (window size, last workspace) in the
// store, so demo mode's temporary data dir holds it too.
func (c *Core) Pref(key string) string {
	v, _, _ := c.store.Setting("ui." + key)
	return v
}

// SetPrefs stores several UI preferences in one transaction.
func (c *Core) SetPrefs(kv map[string]string) error {
	m := make(map[string]string, len(kv))
	for k, v := range kv {
		m["ui."+k] = v
	}
	return c.store.SetSettings(m)
}
