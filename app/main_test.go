package app_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/pagedeck/pagedeck/app/apptest"
)

// A test that leaves a Core, a broker or a stream running fails the
// package.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m, apptest.LeakOptions()...) }
