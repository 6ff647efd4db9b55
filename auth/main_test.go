package auth

import (
	"testing"

	"go.uber.org/goleak"
)

// A server, a stream or a flow still running when the tests end fails the
// package.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
