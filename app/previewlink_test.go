package app_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/app"
)

// TestPreviewLinkURL: a link in a page's text opens only when it is https
// and leads off this computer and its network, whatever the spelling; the
// configured Notion origin (the emulator here) is the one exception.
func TestPreviewLinkURL(t *testing.T) {
	h := newHarness(t)
	for _, raw := range []string{
		"https://127.0.0.1/admin", "https://127.0.0.1:8443/", "https://[::1]/", "https://[0:0:0:0:0:0:0:1]/",
		"https://[::ffff:127.0.0.1]/", "https://localhost/", "https://LocalHost./", "https://admin.localhost/",
		"https://169.254.169.254/latest/meta-data/", "https://2852039166/latest/meta-data/",
		"https://10.0.0.1/", "https://172.16.0.1/", "https://192.168.1.1/router", "https://2130706433/",
		"https://0x7f000001/", "https://0x7f.1/", "https://0177.0.0.1/", "https://127.1/", "https://0/",
		"https://１２７.０.０.１/", "https://[fe80::1%25eth0]/", "https://[fd00::1]/",
		"https://100.64.0.1/",
	} {
		if u, err := h.core.Config().PreviewLinkURL(raw); !errors.Is(err, app.ErrLocalLink) {
			t.Errorf("PreviewLinkURL(%q) = %q, %v; want ErrLocalLink", raw, u, err)
		}
	}
	for _, raw := range []string{"http://example.com/", "javascript:alert(1)", "https://user:pw@example.com/", "file:///etc/passwd", "https://%31%32%37.0.0.1/"} {
		if u, err := h.core.Config().PreviewLinkURL(raw); !errors.Is(err, app.ErrUnsafeURL) {
			t.Errorf("PreviewLinkURL(%q) = %q, %v; want ErrUnsafeURL", raw, u, err)
		}
	}
	for _, raw := range []string{"https://www.notion.so/Page-0123", "https://example.com/a?b=c#d", "https://8.8.8.8/", "https://[2606:4700::1111]/"} {
		if u, err := h.core.Config().PreviewLinkURL(raw); err != nil || u != raw {
			t.Errorf("PreviewLinkURL(%q) = %q, %v; want it as it is", raw, u, err)
		}
	}
	// The emulator's origin passes (plain http on loopback); its
	// neighbours on other ports do not.
	emu := strings.TrimRight(h.Config.NotionURL, "/") + "/p/Page-0123"
	if u, err := h.core.Config().PreviewLinkURL(emu); err != nil || u != emu {
		t.Errorf("the configured Notion origin: %q, %v", u, err)
	}
	e, _ := url.Parse(h.Config.NotionURL)
	other := "https://" + e.Hostname() + ":1/"
	if _, err := h.core.Config().PreviewLinkURL(other); !errors.Is(err, app.ErrLocalLink) {
		t.Errorf("another port on the emulator's host: %v", err)
	}
}
