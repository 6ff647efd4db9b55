package notiontest

import (
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestPortsAreReservedAndFree: each port is one nothing listens on, no two
// reservations share one, and none is in the range the kernel hands out
// for Listen(":0"), which is what made a callback port of one test
// package go to a server in another.
func TestPortsAreReservedAndFree(t *testing.T) {
	low := 49152 // macOS and Windows
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		low, _ = strconv.Atoi(strings.Fields(string(b))[0])
	}
	seen := map[int]bool{}
	for range 50 {
		p := Port(t)
		if seen[p] {
			t.Fatalf("port %d reserved twice", p)
		}
		seen[p] = true
		if p >= low {
			t.Errorf("port %d is in the ephemeral range from %d", p, low)
		}
		ln, err := net.Listen("tcp", loopback(p))
		if err != nil {
			t.Fatalf("port %d: %v", p, err)
		}
		ln.Close()
	}
	// A reservation holds across tests (and processes): its twin is taken.
	p := Port(t)
	if ln, err := net.Listen("tcp", loopback(p+portSpan)); err == nil {
		ln.Close()
		t.Errorf("port %d is not held", p)
	}
}
