//go:build unix

package archive

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// The archive holds chat text and who jumped where: the file and its -wal
// and -shm are the owner's only, whatever the umask, and an archive left
// readable by an older version is narrowed when opened.
func TestArchiveFilesAreOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "archive.db")
	a, err := Open(ctx, path)
	require.NoError(t, err)
	_, err = a.Sync(ctx, (&appliance{sessions: population(t, 5), failAt: -1}).source, opts())
	require.NoError(t, err)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		require.NoError(t, err, p)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), p)
	}
	a.Close()

	legacy := filepath.Join(t.TempDir(), "legacy.db")
	require.NoError(t, os.WriteFile(legacy, nil, 0o644))
	require.NoError(t, os.Chmod(legacy, 0o644))
	a, err = Open(ctx, legacy)
	require.NoError(t, err)
	a.Close()
	testutil.AssertMode(t, legacy, 0o600)
}
