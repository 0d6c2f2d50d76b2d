//go:build unix

package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/archive"
)

// Issue 18 item 3: another user plants DIR/<lsid> as a link to their own
// folder. Nothing is written through it, and the run fails saying so.
func TestTicketRefusesPlantedLink(t *testing.T) {
	h := newHostile(t)
	h.listing = []string{lsidA}
	h.sessions = []string{hostileSession(lsidA, 1)}
	dir, theirs := t.TempDir(), t.TempDir()
	require.NoError(t, os.Symlink(theirs, filepath.Join(dir, lsidA)))
	o := h.run(t, "ticket", "INC1", "--since", "2015-03-01", "--until", "2015-03-05", "-o", dir)
	assert.Equal(t, 1, o.status, o.stderr)
	assert.Contains(t, o.stderr, "symbolic link")
	left, _ := os.ReadDir(theirs)
	assert.Empty(t, left, "nothing written through the link")
	assert.NoFileExists(t, filepath.Join(dir, "manifest.json"))
}

// Issue 18 item 6: with umask 022, every file of an evidence folder and a
// recording is 0600 and every folder brcsapi creates 0700.
func TestEvidenceIsOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	h := newHostile(t)
	h.listing = []string{lsidA}
	h.sessions = []string{hostileSession(lsidA, 1, 0)}
	dir := filepath.Join(t.TempDir(), "new", "ev")
	o := h.run(t, "ticket", "INC1", "--since", "2015-03-01", "--until", "2015-03-05", "-o", dir)
	require.Equal(t, 0, o.status, o.stderr)
	n := 0
	filepath.WalkDir(filepath.Dir(dir), func(p string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		fi, err := d.Info()
		require.NoError(t, err)
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		assert.Equal(t, want, fi.Mode().Perm(), p)
		n++
		return nil
	})
	assert.Equal(t, 9, n, "new, ev, manifest.json, the session's folder and its 5 files")

	rdir := filepath.Join(t.TempDir(), "recordings")
	o = h.run(t, "recording", lsidA, "-o", rdir)
	require.Equal(t, 0, o.status, o.stderr)
	fi, err := os.Stat(rdir)
	require.NoError(t, err)
	assert.Equal(t, fs.FileMode(0o700), fi.Mode().Perm())
	entries, _ := os.ReadDir(rdir)
	require.Len(t, entries, 1)
	fi, _ = entries[0].Info()
	assert.Equal(t, fs.FileMode(0o600), fi.Mode().Perm())
}

// Issue 18 item 1: lsids stored in the archive are checked again when
// replayed through ticket --db -o: one that is a path names no folder.
func TestTicketFromArchiveChecksLSIDs(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	db := filepath.Join(root, "a.db")
	a, err := archive.Open(ctx, db)
	require.NoError(t, err)
	err = a.Update(ctx, func(b *archive.Batch) error {
		for _, id := range []string{lsidA, "../../escaped"} {
			if err := b.PutSession(ctx, &reporting.Session{LSID: id, ExternalKey: "INC1"}); err != nil {
				return err
			}
		}
		return nil
	})
	a.Close()
	if err != nil {
		t.Skipf("the archive refuses such an lsid already: %v", err)
	}
	h := newHostile(t)
	dir := filepath.Join(root, "x", "y", "ev")
	o := h.run(t, "ticket", "INC1", "--db", db, "--no-recordings", "-o", dir)
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, []string{lsidA}, readManifest(t, dir).Sessions)
	assert.NoDirExists(t, filepath.Join(root, "x", "escaped"))
	assert.Contains(t, o.stderr, "session ../../escaped: not a session ID")
	o = h.run(t, "ticket", "INC1", "--db", db)
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, 1, strings.Count(o.stdout, "\n"), o.stdout)
}

// Issue 17 item 7: an output folder that cannot be made or written exits
// 1 (not 2), naming the folder or file the user asked for.
func TestEvidenceUnwritableOutputExits1(t *testing.T) {
	h := newHostile(t)
	h.listing = []string{lsidA}
	h.sessions = []string{hostileSession(lsidA, 1)}
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	dir := filepath.Join(file, "ev")
	o := h.run(t, "ticket", "INC1", "--since", "2015-03-01", "--until", "2015-03-05", "-o", dir)
	assert.Equal(t, 1, o.status, o.stderr)
	assert.Contains(t, o.stderr, dir)
	o = h.run(t, "recording", lsidA, "-o", dir)
	assert.Equal(t, 1, o.status, o.stderr)
	assert.Contains(t, o.stderr, dir)
	assert.Equal(t, 1, strings.Count(o.stderr, "\n"), "said once: %s", o.stderr)
	if os.Geteuid() == 0 {
		return // root writes into a read-only folder
	}
	ro := filepath.Join(t.TempDir(), "ro")
	require.NoError(t, os.Mkdir(ro, 0o500))
	o = h.run(t, "ticket", "INC1", "--since", "2015-03-01", "--until", "2015-03-05", "-o", ro)
	assert.Equal(t, 1, o.status, o.stderr)
	assert.Contains(t, o.stderr, filepath.Join(ro, "manifest.json"))
	assert.NotContains(t, o.stderr, ".part-")
}
