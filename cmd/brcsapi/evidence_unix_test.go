//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/archive"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
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

// stallingRecordings makes h send 64 KiB of every recording, then hold
// the rest until the test ends; started hears of each request.
func stallingRecordings(t *testing.T, h *hostileAppliance) (started chan struct{}) {
	started = make(chan struct{}, 8)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // before the server's Close

	h.recording = func(w http.ResponseWriter, lsid string, instance int, txt bool) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", "10000000")
		w.Write(make([]byte, 64<<10))
		w.(http.Flusher).Flush()
		started <- struct{}{}
		<-release
	}
	return started
}

// signalMidDownload runs the built brcsapi with args against h, sends sig
// once a recording download is under way and a temporary file exists in
// dir (or below), and returns the exit status and standard error.
func signalMidDownload(t *testing.T, h *hostileAppliance, started chan struct{}, dir string, sig syscall.Signal, args ...string) (int, string) {
	t.Helper()
	bin := brcsapiBin(t)
	pw := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pw, []byte("pw\n"), 0o600))
	cmd := exec.Command(bin, append([]string{"--appliance", h.URL, "--allow-http", "--username", "u", "--password-file", pw, "--attempts", "1"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("no recording was asked for: %s", stderr.String())
	}
	for deadline := time.Now().Add(5 * time.Second); len(files(dir)) == 0; time.Sleep(5 * time.Millisecond) {
		require.True(t, time.Now().Before(deadline), "no temporary file appeared")
	}
	require.NoError(t, cmd.Process.Signal(sig))
	err := cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}

// files lists the files under dir.
func files(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// parts lists the atomic writes' temporary files under dir.
func parts(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && fsutil.IsPart(d.Name()) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// Issue 17 item 2: SIGTERM during recording removes the temporary file,
// exits 143, and one line says what was written; the next run is not
// stopped by anything left.
func TestRecordingSIGTERMLeavesNothing(t *testing.T) {
	h := newHostile(t)
	started := stallingRecordings(t, h)
	dir := t.TempDir()
	code, stderr := signalMidDownload(t, h, started, dir, syscall.SIGTERM, "recording", lsidA, "-o", dir)
	assert.Equal(t, 143, code, stderr)
	assert.Empty(t, parts(dir), "no temporary file is left")
	assert.Empty(t, files(dir), "no file at all")
	assert.Contains(t, stderr, "0 of 1 recordings written in "+dir+" before the signal")
	assert.Contains(t, stderr, "interrupted by SIGTERM")
	assert.NotContains(t, stderr, "context canceled")
	assert.Equal(t, 1, strings.Count(stderr, "\n"), "the signal and what was written, in one line: %s", stderr)
	h.mu.Lock()
	h.recording = nil
	h.mu.Unlock()
	o := h.run(t, "recording", lsidA, "-o", dir)
	assert.Equal(t, 0, o.status, o.stderr)
}

// Issue 17 item 2: SIGINT during ticket -o (in a recording) removes the
// temporary file, writes no manifest (the folder is incomplete), exits
// 130, and says what was written.
func TestTicketSIGINTLeavesNoPart(t *testing.T) {
	h := newHostile(t)
	h.listing = []string{lsidA}
	h.sessions = []string{hostileSession(lsidA, 1)}
	started := stallingRecordings(t, h)
	dir := filepath.Join(t.TempDir(), "ev")
	code, stderr := signalMidDownload(t, h, started, dir, syscall.SIGINT, "ticket", "INC1", "--since", "2015-03-01", "--until", "2015-03-05", "-o", dir)
	assert.Equal(t, 130, code, stderr)
	assert.Empty(t, parts(dir), "no temporary file is left")
	assert.NoFileExists(t, filepath.Join(dir, "manifest.json"))
	assert.Contains(t, stderr, "1 session, 2 files written in "+dir+" before the signal; no manifest.json")
	assert.Contains(t, stderr, "interrupted by SIGINT")
	assert.NotContains(t, stderr, "context canceled")
}

// Issue 18 item 7: a run killed by SIGKILL leaves its temporary file; the
// next download is not stopped by it, and removes it.
func TestRecordingAfterSIGKILL(t *testing.T) {
	h := newHostile(t)
	started := stallingRecordings(t, h)
	dir := t.TempDir()
	code, stderr := signalMidDownload(t, h, started, dir, syscall.SIGKILL, "recording", lsidA, "-o", dir)
	require.Equal(t, -1, code, stderr)
	require.Len(t, parts(dir), 1, "the killed run's temporary file")
	h.mu.Lock()
	h.recording = nil
	h.mu.Unlock()
	o := h.run(t, "recording", lsidA, "-o", dir)
	require.Equal(t, 0, o.status, o.stderr)
	assert.Empty(t, parts(dir), "the stale temporary file is removed")
	assert.Len(t, files(dir), 1)
}
