package app

import "github.com/pagedeck/pagedeck/app/store"

// Recovery reports that the database was found damaged at start, moved
// aside, and its last good copy restored. Its String is the sentence to
// show.
type Recovery = store.Recovery

// ErrCorrupt: the database is damaged and could not be restored; the
// error's text names the file and says what Pagedeck did.
var ErrCorrupt = store.ErrCorrupt

// Recovered is what the store restored when the core started, or nil. The
// window shows it once; the command line prints it on stderr.
func (c *Core) Recovered() *Recovery { return c.store.Recovered() }

// keepBackup keeps the store's last good copy after a successful sync (the
// store takes at most one a minute). A failure costs only the copy.
func (c *Core) keepBackup() {
	if _, err := c.store.Backup(); err != nil {
		c.log.Warn("app: keeping a copy of the database", "err", err)
	}
}
