package cli_test

import (
	"testing"

	bolt "go.etcd.io/bbolt"
)

// holdLock opens the bbolt file and keeps its exclusive lock until release.
func holdLock(t *testing.T, path string) (release func()) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	return func() { db.Close() }
}
