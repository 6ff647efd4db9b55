package app

// KeepBackupForTest takes the last good copy of the database now.
func (c *Core) KeepBackupForTest() {
	if _, err := c.store.BackupNow(); err != nil {
		panic(err)
	}
}
