package notiontest

import (
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
)

// Tests need loopback ports before anything listens on them: the OAuth
// callback registered with the emulator, a Redis that restarts on its
// port, an address where nothing answers.
//
// Listening on port 0 and closing the listener races: the port goes back
// to the kernel's ephemeral pool, and a test in another package (go test
// runs packages as parallel processes) can be handed it by its next
// Listen(":0") before the first test binds it again. So these ports come
// from below every default ephemeral range (Linux 32768–60999, macOS and
// Windows 49152–65535), where Listen(":0") never lands, and a port is
// reserved while its twin, portSpan above, is held by a listener: binding
// is a lock every process honours, and a crashed test leaves none behind.
//
// The demo binary links this package, so it takes the few methods of
// testing.TB it needs rather than importing testing.
const (
	portBase = 20000
	portSpan = 6000
)

// TB is the part of testing.TB that Port uses.
type TB interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
}

// Port reserves a loopback port that nothing listens on, for the rest of
// the test: no other test that asks here is given it.
func Port(t TB) int {
	t.Helper()
	start := rand.IntN(portSpan)
	for i := range portSpan {
		p := portBase + (start+i)%portSpan
		twin, err := net.Listen("tcp", loopback(p+portSpan))
		if err != nil {
			continue
		}
		if !free(p) {
			twin.Close()
			continue
		}
		t.Cleanup(func() { twin.Close() })
		return p
	}
	t.Fatalf("no free loopback port in %d–%d", portBase, portBase+portSpan-1)
	return 0
}

// RedirectURI is an OAuth callback on a reserved loopback port, as a user
// registers it in Notion.
func RedirectURI(t TB) string {
	t.Helper()
	return fmt.Sprintf("http://localhost:%d/callback", Port(t))
}

// free says whether p can be bound on the loopback addresses the OAuth
// listener uses (IPv6 only where the machine has it).
func free(p int) bool {
	ln, err := net.Listen("tcp", loopback(p))
	if err != nil {
		return false
	}
	ln.Close()
	if ln6, err := net.Listen("tcp", net.JoinHostPort("::1", strconv.Itoa(p))); err == nil {
		ln6.Close()
	} else if probe, perr := net.Listen("tcp", "[::1]:0"); perr == nil {
		probe.Close() // IPv6 works, so p is taken there
		return false
	}
	return true
}

func loopback(p int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(p)) }
