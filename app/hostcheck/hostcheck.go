// Package hostcheck tells an address, or a URL's host, on the internet from
// one on this computer or its local network. Anyone who can edit a page
// chooses its links and icon URLs, and a link to 127.0.0.1 or
// 169.254.169.254 is a request to a local service made with the user's
// click, so the icon fetcher and the preview's links share this one check.
package hostcheck

import (
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

var (
	cgnat = netip.MustParsePrefix("100.64.0.0/10")
	nat64 = netip.MustParsePrefix("64:ff9b::/96")
	// 0.0.0.0/8 reaches this host on Linux; 192.0.0.0/24 is protocol
	// assignments; 198.18.0.0/15 benchmarking; 240.0.0.0/4 reserved
	// (and the broadcast address).
	special = []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),
		netip.MustParsePrefix("192.0.0.0/24"),
		netip.MustParsePrefix("198.18.0.0/15"),
		netip.MustParsePrefix("240.0.0.0/4"),
	}
)

// PublicAddr reports whether a is on the internet: not loopback, private
// (RFC 1918, fc00::/7), link-local, unspecified, multicast, shared
// carrier-grade NAT or reserved, in IPv4, IPv6 or IPv4 inside IPv6.
func PublicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if nat64.Contains(a) { // a NAT64 address stands for the IPv4 one inside
		b := a.As16()
		return PublicAddr(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
	}
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() || cgnat.Contains(a) {
		return false
	}
	for _, p := range special {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// localNames are names every system resolves to itself without DNS
// (Debian's /etc/hosts adds the ip6- ones).
var localNames = []string{"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}

// LocalHost reports whether host, a URL's Hostname(), names this computer
// or the local network as a browser reads it, without asking DNS: a
// localhost name (and *.localhost), or an IP address that is not public,
// in any form a browser accepts: 127.0.0.1, [::1], 2130706433, 0x7f.1,
// 0177.0.0.1, full-width digits. A host that looks like a number but is no
// address counts too (a browser refuses it anyway), as does an empty one.
// A name that DNS resolves to a local address is not caught: the browser
// resolves it itself, and could get another answer than a check made here.
func LocalHost(host string) bool {
	h := strings.ToLower(host)
	if mapped, err := idna.Lookup.ToASCII(h); err == nil || mapped != "" {
		// Browsers map the name first (UTS 46): full-width digits and
		// dots become ASCII ones. Both forms are checked.
		if mapped != h && localHost(mapped) {
			return true
		}
	}
	return localHost(h)
}

func localHost(h string) bool {
	if h == "" {
		return true
	}
	if strings.Contains(h, ":") { // IPv6, possibly with a zone
		a, err := netip.ParseAddr(h)
		return err != nil || !PublicAddr(a)
	}
	name := strings.TrimSuffix(h, ".")
	for _, l := range localNames {
		if name == l || strings.HasSuffix(name, "."+l) {
			return true
		}
	}
	a, numeric, ok := parseIPv4(h)
	switch {
	case !numeric:
		return false
	case !ok:
		return true
	}
	return !PublicAddr(a)
}

// parseIPv4 reads a host the way the WHATWG URL Standard's IPv4 parser
// does, which is how browsers read it: one to four dot-separated numbers,
// each decimal, octal (a leading 0) or hex (0x), the last filling the
// bytes left. numeric says the host ends in a number, so a browser takes
// it for an address; ok says it is a valid one.
func parseIPv4(h string) (a netip.Addr, numeric, ok bool) {
	parts := strings.Split(h, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if !endsInNumber(parts[len(parts)-1]) {
		return netip.Addr{}, false, false
	}
	if len(parts) > 4 {
		return netip.Addr{}, true, false
	}
	var v uint64
	for i, p := range parts {
		n, good := ipv4Number(p)
		if !good {
			return netip.Addr{}, true, false
		}
		if i < len(parts)-1 {
			if n > 255 {
				return netip.Addr{}, true, false
			}
			v |= n << (8 * (3 - i))
			continue
		}
		if n >= 1<<(8*(5-len(parts))) {
			return netip.Addr{}, true, false
		}
		v |= n
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true, true
}

// endsInNumber: the last label is all digits, or 0x and hex digits.
func endsInNumber(last string) bool {
	if last == "" {
		return false
	}
	if allIn(last, "0123456789") {
		return true
	}
	rest, hex := strings.CutPrefix(last, "0x")
	return hex && allIn(rest, "0123456789abcdef")
}

// ipv4Number reads one part: 0x hex, leading-0 octal, or decimal.
func ipv4Number(p string) (uint64, bool) {
	if p == "" {
		return 0, false
	}
	base := 10
	switch {
	case strings.HasPrefix(p, "0x"):
		p, base = p[2:], 16
		if p == "" {
			return 0, true
		}
	case len(p) > 1 && p[0] == '0':
		p, base = p[1:], 8
	}
	n, err := strconv.ParseUint(p, base, 64)
	if err != nil {
		// Too big for 64 bits is still a number, and no address.
		return 0, false
	}
	return n, true
}

func allIn(s, set string) bool {
	for _, r := range s {
		if !strings.ContainsRune(set, r) {
			return false
		}
	}
	return true
}

// Origin is u's scheme://host:port, lower case, with the default port
// spelled, so two URLs of one origin compare equal.
func Origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(net.JoinHostPort(u.Hostname(), port))
}
