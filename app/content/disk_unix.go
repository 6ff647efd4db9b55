//go:build unix

package content

import "syscall"

// lowDisk says whether the disk holding path has almost no room left: a
// failure of the index then is the full disk, not damage (bleve panics on
// some failed writes).
func lowDisk(path string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return false
	}
	return uint64(st.Bavail)*uint64(st.Bsize) < 4<<20
}
