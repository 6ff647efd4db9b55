package app

import (
	"fmt"
	"net/url"

	"github.com/pagedeck/pagedeck/app/content"
	"github.com/pagedeck/pagedeck/app/hostcheck"
)

// PreviewLinkURL checks a link in the preview before it is opened: only
// https, and never to this computer or the local network (the same
// addresses the icon fetcher refuses), since whoever edits a page chooses
// its links. Links to the configured Notion origin (PAGEDECK_NOTION_URL,
// an emulator on loopback in tests and the demo) pass as they are.
func (c Config) PreviewLinkURL(raw string) (string, error) {
	if u, err := url.Parse(raw); err == nil && u.User == nil && u.Host != "" && c.isNotionOrigin(u) {
		return u.String(), nil
	}
	s, ok := content.LinkURL(raw)
	if !ok {
		return "", fmt.Errorf("%w: %q", ErrUnsafeURL, raw)
	}
	u, err := url.Parse(s)
	if err != nil || hostcheck.LocalHost(u.Hostname()) {
		return "", fmt.Errorf("%w: %q", ErrLocalLink, raw)
	}
	return s, nil
}

// isNotionOrigin reports whether u is on the configured Notion API origin.
func (c Config) isNotionOrigin(u *url.URL) bool {
	n, err := url.Parse(c.NotionURL)
	return err == nil && n.Host != "" && hostcheck.Origin(n) == hostcheck.Origin(u)
}
