//go:build unix

package fsutil

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A lock file planted as a link (in a shared backup folder: a link to
// /etc/nologin, for a backup run by root from cron) is refused, never
// followed: its target is neither created nor locked. A named pipe in
// its place is refused too.
func TestTryLockNeverFollowsALink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "elsewhere", "nologin")
	require.NoError(t, os.Mkdir(filepath.Dir(target), 0o700))
	lock := filepath.Join(dir, ".lock")
	require.NoError(t, os.Symlink(target, lock))
	_, err := TryLock(lock)
	require.Error(t, err)
	assert.False(t, errors.Is(err, ErrLocked), "%v", err)
	assert.Contains(t, err.Error(), lock)
	assert.Contains(t, err.Error(), "symbolic link")
	assert.ErrorIs(t, err, ErrNotLockFile)
	assert.NoFileExists(t, target, "the link's target is not created")

	existing := filepath.Join(dir, "mine")
	require.NoError(t, os.WriteFile(existing, []byte("x"), 0o600))
	lock2 := filepath.Join(dir, ".lock2")
	require.NoError(t, os.Symlink(existing, lock2))
	_, err = TryLock(lock2)
	assert.Error(t, err, "a link to an existing file is refused as well")

	fifo := filepath.Join(dir, ".lock3")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	_, err = TryLock(fifo)
	assert.ErrorContains(t, err, "named pipe")
}
