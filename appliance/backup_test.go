package appliance_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/internal/testutil/standin"
)

// With nothing to rotate, Deleted is still a list: programs reading the
// JSON get [], never null.
func TestSaveBackupDeletedIsAList(t *testing.T) {
	_, c := standin.Start(t)
	saved, err := c.SaveBackup(context.Background(), appliance.BackupOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	assert.NotNil(t, saved.Deleted)
	b, err := json.Marshal(saved)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"deleted":[]`)
}

// A killed run's temporary file of this appliance's backup is cleared;
// those of other files in the folder, another appliance's backups
// included, are not SaveBackup's to remove.
func TestSaveBackupClearsOnlyItsOwnParts(t *testing.T) {
	s, c := standin.Start(t)
	dir := t.TempDir()
	own := "." + appliance.BackupHost(s.URL) + "-20260101T000000Z.nsb.part-3"
	others := []string{".notes.txt.part-1", ".other.example.com-20260101T000000Z.nsb.part-2"}
	for _, n := range append([]string{own}, others...) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte("cut"), 0o600))
	}
	saved, err := c.SaveBackup(context.Background(), appliance.BackupOptions{Dir: dir})
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(dir, own)}, saved.Removed)
	assert.NoFileExists(t, filepath.Join(dir, own))
	for _, n := range others {
		assert.FileExists(t, filepath.Join(dir, n))
	}
}
