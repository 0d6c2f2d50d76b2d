package evidence_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliance/reporting/evidence"
)

var (
	idA = strings.Repeat("a", 32)
	idB = strings.Repeat("b", 32)
)

// of streams sessions as an archive or Find would.
func of(ss ...*reporting.Session) iter.Seq2[*reporting.Session, error] {
	return func(yield func(*reporting.Session, error) bool) {
		for _, s := range ss {
			if !yield(s, nil) {
				return
			}
		}
	}
}

// Issue 18 items 1 and 2: sessions whose lsid is a path, and a second
// copy of a session, name no folder and overwrite nothing; the manifest
// is the files' own hashes.
func TestWriteDropsPathsAndCopies(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "a", "ev")
	var warned []string
	m, err := evidence.Write(context.Background(), dir, "INC1", of(
		&reporting.Session{LSID: idA, LSeq: 1}, &reporting.Session{LSID: "../../escaped"}, &reporting.Session{LSID: ".."},
		&reporting.Session{LSID: "/abs/olute"}, &reporting.Session{LSID: idA, LSeq: 2}, &reporting.Session{LSID: idB},
	), nil, evidence.Options{NoRecordings: true, Warn: func(s string) { warned = append(warned, s) }})
	require.NoError(t, err)
	assert.Equal(t, []string{idA, idB}, m.Sessions)
	assert.Len(t, m.Dropped, 4)
	assert.Equal(t, m.Dropped, warned)
	assert.NoDirExists(t, filepath.Join(root, "escaped"))
	var on struct {
		Files []evidence.File `json:"files"`
	}
	b, err := os.ReadFile(filepath.Join(dir, evidence.ManifestName))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &on))
	assert.Equal(t, m.Files, on.Files)
	require.Len(t, on.Files, 4)
	for _, f := range on.Files {
		data, err := os.ReadFile(filepath.Join(dir, f.File))
		require.NoError(t, err)
		sum := sha256.Sum256(data)
		assert.Equal(t, hex.EncodeToString(sum[:]), f.SHA256, f.File)
	}
	var first reporting.Session
	b, _ = os.ReadFile(filepath.Join(dir, idA, "session.json"))
	require.NoError(t, json.Unmarshal(b, &first))
	assert.Equal(t, int64(1), first.LSeq, "the first copy is kept")
}

// Issue 18 item 3: a link planted in place of a session's folder is
// refused, never followed; a folder already holding a manifest is
// refused before anything is written.
func TestWriteRefusesPlantedLinkAndOldFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need a privilege on Windows")
	}
	dir, theirs := t.TempDir(), t.TempDir()
	require.NoError(t, os.Symlink(theirs, filepath.Join(dir, idA)))
	_, err := evidence.Write(context.Background(), dir, "INC1", of(&reporting.Session{LSID: idA}), nil, evidence.Options{NoRecordings: true})
	assert.ErrorContains(t, err, "is a symbolic link")
	left, _ := os.ReadDir(theirs)
	assert.Empty(t, left)
	assert.NoFileExists(t, filepath.Join(dir, evidence.ManifestName))

	linked := t.TempDir()
	require.NoError(t, os.Symlink(filepath.Join(theirs, "m.json"), filepath.Join(linked, evidence.ManifestName)))
	_, err = evidence.Write(context.Background(), linked, "INC1", of(&reporting.Session{LSID: idA}), nil, evidence.Options{NoRecordings: true})
	assert.ErrorContains(t, err, "is a symbolic link")
	assert.NoFileExists(t, filepath.Join(theirs, "m.json"))
	assert.NoDirExists(t, filepath.Join(linked, idA), "refused before anything is written")

	done := t.TempDir()
	_, err = evidence.Write(context.Background(), done, "INC1", of(&reporting.Session{LSID: idB}), nil, evidence.Options{NoRecordings: true})
	require.NoError(t, err)
	_, err = evidence.Write(context.Background(), done, "INC1", of(&reporting.Session{LSID: idB}), nil, evidence.Options{NoRecordings: true})
	assert.ErrorContains(t, err, "already holds an evidence folder")
}
