// Settings: small key-value settings and the window's preferences.

package store

import bolt "go.etcd.io/bbolt"

// Setting reads one setting; ok is false when it was never set.
func (s *Store) Setting(key string) (value string, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketSettings).Get([]byte(key)); v != nil {
			value, ok = string(v), true
		}
		return nil
	})
	return value, ok, err
}

// Settings reads every setting.
func (s *Store) Settings() (map[string]string, error) {
	out := map[string]string{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSettings).ForEach(func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
	})
	return out, err
}

// SetSettings writes several settings at once; an empty value deletes.
func (s *Store) SetSettings(kv map[string]string) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSettings)
		for k, v := range kv {
			var err error
			if v == "" {
				err = b.Delete([]byte(k))
			} else {
				err = b.Put([]byte(k), []byte(v))
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}
