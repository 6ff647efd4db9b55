package apptest

import (
	"path/filepath"

	"github.com/pagedeck/pagedeck/app/store"
)

// DatabasePath is where a Core with this data dir keeps its bbolt file.
func DatabasePath(dataDir string) string { return filepath.Join(dataDir, store.FileName) }
