//go:build unix

package appliance

import (
	"io/fs"
	"os"
	"syscall"
)

// ownBackup reports whether fi is a file this user owns that nobody else
// may read, as every backup SaveBackup writes is (mode 0600).
func ownBackup(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid() && fi.Mode().Perm()&0o077 == 0
}

// ownFile reports whether this user owns fi.
func ownFile(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
