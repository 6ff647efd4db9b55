package auth

import (
	"testing"

	"go.uber.org/goleak"
)

// A server, a stream or a flow still running when the tests end fails the
// package.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// With a real Secret Service (make keychain-test), go-keyring talks
		// over D-Bus's session connection, which godbus opens once and keeps
		// for the process's life: its reader goroutines are not ours to
		// stop.
		goleak.IgnoreTopFunction("github.com/godbus/dbus/v5.newConn.func1"),
		goleak.IgnoreAnyFunction("github.com/godbus/dbus/v5.(*Conn).inWorker"),
	)
}
