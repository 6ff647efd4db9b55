package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BackupEvery is the least time between two last-good copies.
const BackupEvery = time.Minute

// BackupName is the last good copy's name inside the data directory.
const BackupName = FileName + ".last-good"

func (s *Store) backupPath() string { return filepath.Join(s.dir, BackupName) }

// Backup keeps a copy of the database as it is now, for Open to restore
// when the file is found damaged. The core calls it after each successful
// sync; a copy younger than BackupEvery is kept instead (it reports false).
// A copy is checked before it replaces the previous one, so damage is never
// kept as the last good state.
func (s *Store) Backup() (bool, error) {
	if s.readOnly {
		return false, ErrReadOnly
	}
	if fi, err := os.Stat(s.backupPath()); err == nil {
		if age := time.Since(fi.ModTime()); age >= 0 && age < BackupEvery {
			return false, nil
		}
	}
	return s.backupNow()
}

// BackupNow is Backup whatever the age of the last copy.
func (s *Store) BackupNow() (bool, error) {
	if s.readOnly {
		return false, ErrReadOnly
	}
	return s.backupNow()
}

func (s *Store) backupNow() (bool, error) {
	tmp, err := os.CreateTemp(s.dir, BackupName+".*.tmp")
	if err != nil {
		return false, fmt.Errorf("keeping a copy of the database: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	err = s.view(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(tmp)
		return err
	})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = checkFile(tmp.Name(), nil)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.backupPath())
	}
	if err != nil {
		return false, fmt.Errorf("keeping a copy of the database: %w", err)
	}
	return true, nil
}

// checkBackup reports when the last good copy was taken, or why it cannot
// be used (os.ErrNotExist when there is none).
func (s *Store) checkBackup() (time.Time, error) {
	fi, err := os.Stat(s.backupPath())
	if err != nil {
		return time.Time{}, err
	}
	if fi.Size() == 0 {
		return time.Time{}, errors.New("the copy is empty")
	}
	if err := checkFile(s.backupPath(), nil); err != nil {
		return time.Time{}, err
	}
	return fi.ModTime(), nil
}

// copyFile writes a copy of src at dst through a temporary file, so dst is
// never half written.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(dst), filepath.Base(dst)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name())
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(out.Name(), dst)
	}
	return err
}

// Scrub overwrites with zeros the pages bbolt keeps free: the bytes of a
// deleted record stay in them until the page is reused, and a
// disconnected workspace's titles must leave the disk when it goes. It
// holds bbolt's exclusive lock meanwhile. The last good copy, when there
// is one, is taken again at once, so it no longer holds them either.
func (s *Store) Scrub() error {
	if s.readOnly {
		return ErrReadOnly
	}
	err := s.guard(func() error {
		db, err := s.boltOpen(false)
		if err != nil {
			return err
		}
		defer db.Close()
		f, err := os.OpenFile(s.path, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		c := &checker{f: f, size: fi.Size()}
		m, err := c.meta()
		if err == nil {
			err = c.walk(m)
		}
		if err != nil {
			return s.corrupt(err)
		}
		zero := make([]byte, c.ps)
		for id := range c.free {
			if _, err := f.WriteAt(zero, int64(id)*c.ps); err != nil {
				return err
			}
		}
		return f.Sync()
	})
	if err != nil {
		return fmt.Errorf("clearing deleted data from the database: %w", err)
	}
	s.walked = walkKey{}
	if _, err := os.Stat(s.backupPath()); err == nil {
		if _, err := s.backupNow(); err != nil {
			return err
		}
	}
	return nil
}
