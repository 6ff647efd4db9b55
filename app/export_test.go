package app

import (
	"context"

	"github.com/pagedeck/pagedeck/app/store"
)

// KeepBackupForTest takes the last good copy of the database now.
func (c *Core) KeepBackupForTest() {
	if _, err := c.store.BackupNow(); err != nil {
		panic(err)
	}
}

// ContentStored is how many pages of ws have stored content, searchable
// or not yet.
func (c *Core) ContentStored(ws string) int { return c.content.Stored(ws) }

// StartCrawl starts a background crawl, as AutoSync does.
func (c *Core) StartCrawl(ctx context.Context, ws string) { c.startCrawl(ctx, ws) }

// Effective is the configuration in force.
func (c *Core) Effective(ctx context.Context) (Config, error) { return c.effective(ctx) }

// Store is the underlying store, for tests that check what was written.
func (c *Core) Store() *store.Store { return c.store }
