//go:build !unix

package appliance

import "io/fs"

// ownBackup reports whether fi may be a file SaveBackup wrote; where the
// system has no Unix owner and mode, the name's pattern and date decide.
func ownBackup(fs.FileInfo) bool { return true }

// ownFile: where the system has no Unix owner, the folder's ACL decides.
func ownFile(fs.FileInfo) bool { return true }
