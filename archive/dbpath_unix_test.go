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

// A --db that is not an archive is refused untouched: opening it never
// narrows the mode of a device, a folder, a pipe, or a file of another
// kind (before, /dev/null became 0600, and a typo such as /etc/passwd
// would have been made unreadable to others), nor of what a link leads to.
func TestOpenNeverChmodsWhatIsNotAnArchive(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(text, []byte("name:x:0:0\n"), 0o644))
	require.NoError(t, os.Chmod(text, 0o644))
	folder := filepath.Join(dir, "adir.db")
	require.NoError(t, os.Mkdir(folder, 0o755))
	require.NoError(t, os.Chmod(folder, 0o755))
	fifo := filepath.Join(dir, "pipe.db")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	require.NoError(t, os.Chmod(fifo, 0o644))
	link := filepath.Join(dir, "link.db")
	require.NoError(t, os.Symlink(text, link))
	for _, p := range []string{text, folder, fifo, link} {
		_, err := Open(context.Background(), p)
		assert.Error(t, err, p)
	}
	for p, want := range map[string]os.FileMode{text: 0o644, folder: 0o755, fifo: 0o644} {
		fi, err := os.Stat(p)
		require.NoError(t, err)
		assert.Equal(t, want, fi.Mode().Perm(), "%s keeps its mode", p)
	}

	// An archive readable by others is still narrowed, as before.
	db := filepath.Join(dir, "a.db")
	a, err := Open(context.Background(), db)
	require.NoError(t, err)
	a.Close()
	require.NoError(t, os.Chmod(db, 0o644))
	a, err = Open(context.Background(), db)
	require.NoError(t, err)
	a.Close()
	testutil.AssertMode(t, db, 0o600)
}
