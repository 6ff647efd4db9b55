package hostcheck

import (
	"net/netip"
	"testing"
)

func TestPublicAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"93.184.215.14": true, "2606:4700::1111": true, "8.8.8.8": true,
		"127.0.0.1": false, "127.8.9.10": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "0.0.0.0": false, "::": false, "0.1.2.3": false, "fc00::1": false, "fd12::1": false,
		"100.64.0.1": false, "224.0.0.1": false, "ff02::1": false, "255.255.255.255": false,
		"::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false, "64:ff9b::7f00:1": false, "64:ff9b::808:808": true,
	} {
		if got := PublicAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("PublicAddr(%s) = %v", addr, got)
		}
	}
}

// TestLocalHost: every spelling of a local address a browser would open
// is caught; names and public addresses pass.
func TestLocalHost(t *testing.T) {
	for _, h := range []string{
		"127.0.0.1", "127.1", "127.0.1", "2130706433", "0x7f000001", "0x7f.1", "0x7F.0.0.1", "0177.0.0.1", "017700000001",
		"127.0.0.1.", "0", "0.0.0.0", "10.0.0.1", "012.0.0.1", "172.16.5.4", "192.168.0.1", "3232235521", "169.254.169.254",
		"0xa9fea9fe", "2852039166", "100.64.0.1",
		"localhost", "LOCALHOST", "localhost.", "app.localhost", "localhost.localdomain", "ip6-localhost",
		"::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "::ffff:7f00:1", "fe80::1%eth0", "fd00::1", "::",
		"１２７.０.０.１", "１２７。０。０。１", "ｌｏｃａｌｈｏｓｔ",
		// Numbers that are no address: a browser refuses them.
		"1.2.3.4.5", "256.1.1.1", "1.2.3.256", "4294967296", "09.1.1.1", "99999999999999999999999", "",
		// Not an IPv6 address.
		"::zz",
	} {
		if !LocalHost(h) {
			t.Errorf("LocalHost(%q) = false", h)
		}
	}
	for _, h := range []string{
		"example.com", "www.notion.so", "8.8.8.8", "134744072", "0x8080808", "93.184.215.14", "2606:4700::1111",
		"localhost.example.com", "mylocalhost", "1.2.3.com", "0x.example", "xn--bcher-kva.example", "bücher.example",
	} {
		if LocalHost(h) {
			t.Errorf("LocalHost(%q) = true", h)
		}
	}
}

func FuzzLocalHost(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "0x7f.1", "localhost", "::1", "example.com", "１２７.０.０.１"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		local := LocalHost(h)
		// Whatever reads as an IP address agrees with PublicAddr.
		if a, err := netip.ParseAddr(h); err == nil && local == PublicAddr(a) {
			t.Errorf("LocalHost(%q) = %v, PublicAddr = %v", h, local, PublicAddr(a))
		}
	})
}
