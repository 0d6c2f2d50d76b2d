package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// The lock file stays in the folder (a kernel lock on it, never a PID in
// it: see appliance.BackupLockName); what must never stay is the lock
// itself. lockFree checks that no process holds it.
func lockFree(t *testing.T, dir string) {
	t.Helper()
	p := filepath.Join(dir, appliance.BackupLockName)
	if _, err := os.Stat(p); err != nil {
		return
	}
	l, err := fsutil.TryLock(p)
	require.NoError(t, err, "the backup lock is free once the run is over")
	l.Unlock()
}

func backupSHA(size int64) string {
	h := sha256.New()
	appliancetest.WriteBackup(h, size)
	return hex.EncodeToString(h.Sum(nil))
}

func TestBackupWritesAtomically(t *testing.T) {
	_, r := standIn(t)
	dir := t.TempDir()
	r.now = time.Date(2026, 3, 1, 2, 3, 4, 0, time.UTC)
	o := r.do(t, "backup", "-o", dir)
	require.Equal(t, 0, o.status, o.stderr)
	files := listDir(t, dir)
	require.Len(t, files, 1, "no temporary file and no lock left")
	name := files[0]
	assert.Regexp(t, `^127\.0\.0\.1_[0-9]+-20260301T020304Z\.nsb$`, name)
	path := filepath.Join(dir, name)
	assert.Equal(t, fmt.Sprintf("%s\t%d bytes\tsha256 %s\n", path, 256<<10, backupSHA(256<<10)), o.stdout)
	if runtime.GOOS != "windows" {
		testutil.AssertMode(t, path, 0o600)
	}
}

// names makes backup names of this stand-in's host at the given times.
func names(host string, times ...time.Time) []string {
	var out []string
	for _, at := range times {
		out = append(out, host+"-"+at.UTC().Format(appliance.BackupStamp)+".nsb")
	}
	return out
}

// listDir lists dir without the lock file, after checking that no
// process holds the lock.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	lockFree(t, dir)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		if e.Name() != appliance.BackupLockName {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestBackupRotation(t *testing.T) {
	s, r := standIn(t)
	host := appliance.BackupHost(s.URL)
	day := 24 * time.Hour
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	old := names(host, now.Add(-1*day), now.Add(-2*day), now.Add(-3*day), now.Add(-10*day))
	foreign := []string{"other.example-20200101T000000Z.nsb", host + "-20200101T000000Z.nsb.bak", "notes.txt", host + "-latest.nsb"}
	setup := func() string {
		dir := t.TempDir()
		for _, n := range append(append([]string{}, old...), foreign...) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600))
		}
		return dir
	}
	r.now = now
	just := names(host, now)[0]

	dir := setup()
	o := r.do(t, "backup", "-o", dir, "--keep", "2")
	require.Equal(t, 0, o.status, o.stderr)
	assert.ElementsMatch(t, append([]string{just, old[0]}, foreign...), listDir(t, dir), "newest 2 kept, foreign untouched")
	assert.Contains(t, o.stdout, "deleted "+filepath.Join(dir, old[3]))

	dir = setup()
	o = r.do(t, "backup", "-o", dir, "--keep-days", "3")
	require.Equal(t, 0, o.status, o.stderr)
	assert.ElementsMatch(t, append([]string{just, old[0], old[1]}, foreign...), listDir(t, dir), "younger than 3 days kept")

	dir = setup()
	o = r.do(t, "backup", "-o", dir, "--keep", "1", "--keep-days", "5")
	require.Equal(t, 0, o.status, o.stderr)
	assert.ElementsMatch(t, append([]string{just, old[0], old[1], old[2]}, foreign...), listDir(t, dir), "kept when either rule keeps it")

	dir = setup()
	o = r.do(t, "backup", "-o", dir)
	require.Equal(t, 0, o.status, o.stderr)
	assert.Len(t, listDir(t, dir), len(old)+len(foreign)+1, "no rotation unless asked")

	// The file just written is kept even when its clock is behind.
	dir = setup()
	r.now = now.Add(-30 * day)
	o = r.do(t, "backup", "-o", dir, "--keep", "1")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Contains(t, listDir(t, dir), names(host, r.now)[0])
}

func TestBackupFailuresLeaveNothingAndDeleteNothing(t *testing.T) {
	t.Parallel() // waits for idle timeouts
	s, r := standIn(t)
	host := appliance.BackupHost(s.URL)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	r.now = now
	old := names(host, now.Add(-48*time.Hour), now.Add(-96*time.Hour))
	s.Update(func(d *appliancetest.Data) { d.BackupSize = 4 << 20 })
	s.SetStallAfter(1 << 20)
	for _, c := range []struct {
		b    appliancetest.Behavior
		want string
	}{
		{appliancetest.Stall, "stalled (idle timeout)"},
		{appliancetest.Truncated, "reading the answer"},
		{appliancetest.XMLError, "The API is disabled."},
		{appliancetest.LoginPage, "HTML page"},
		{appliancetest.Empty, "empty backup"},
	} {
		dir := t.TempDir()
		for _, n := range old {
			require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600))
		}
		s.Misbehave(c.b, 0)
		o := r.do(t, "--idle-timeout", "1s", "--attempts", "1", "backup", "-o", dir, "--keep", "1")
		assert.Equal(t, 1, o.status, "%d: %s", c.b, o.stderr)
		assert.Contains(t, o.stderr, c.want)
		assert.ElementsMatch(t, old, listDir(t, dir), "no partial file, nothing deleted, no lock left")
	}
	s.Misbehave(appliancetest.Normal, 0)

	// An interrupted run (the context cancelled mid-transfer) too.
	dir := t.TempDir()
	for _, n := range old {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600))
	}
	s.Misbehave(appliancetest.Stall, 0)
	ctx, cancel := context.WithCancel(context.Background())
	r.ctx = ctx
	time.AfterFunc(300*time.Millisecond, cancel)
	o := r.do(t, "backup", "-o", dir, "--keep", "1")
	assert.Equal(t, 1, o.status, o.stderr)
	assert.ElementsMatch(t, old, listDir(t, dir))
}

// Issue 17 item 1: a lock the kernel holds, not a PID file. A lock file
// left by an earlier (killed) run stops nothing; a live run's lock stops
// a second run before it asks the appliance anything.
func TestBackupLock(t *testing.T) {
	s, r := standIn(t)
	dir := t.TempDir()
	lock := filepath.Join(dir, appliance.BackupLockName)
	require.NoError(t, os.WriteFile(lock, []byte("123\n"), 0o600)) // what the PID-file lock left behind
	o := r.do(t, "backup", "-o", dir, "--keep", "1")
	require.Equal(t, 0, o.status, "a stale lock file stops nothing: %s", o.stderr)
	require.Len(t, listDir(t, dir), 1)

	held, err := fsutil.TryLock(lock) // a run in progress
	require.NoError(t, err)
	defer held.Unlock()
	n := len(s.Requests())
	o = r.do(t, "backup", "-o", dir, "--keep", "1")
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stderr, "another backup is running in "+dir)
	assert.Equal(t, 1, strings.Count(o.stderr, "\n"), "said once: %s", o.stderr)
	assert.Len(t, s.Requests(), n, "nothing asked while locked")
}

// A hostile Content-Disposition never names the file: brcsapi uses its
// own pattern.
func TestBackupIgnoresHostileName(t *testing.T) {
	s, r := standIn(t)
	s.Update(func(d *appliancetest.Data) { d.BackupName = "../../evil.nsb" })
	dir := t.TempDir()
	o := r.do(t, "--json", "backup", "-o", dir)
	require.Equal(t, 0, o.status, o.stderr)
	assert.NotContains(t, o.stdout, "suggested_name")
	files := listDir(t, dir)
	require.Len(t, files, 1)
	assert.Regexp(t, `^127\.0\.0\.1_[0-9]+-[0-9]{8}T[0-9]{6}Z\.nsb$`, files[0])
	_, err := os.Stat(filepath.Join(dir, "..", "..", "evil.nsb"))
	assert.True(t, os.IsNotExist(err))
}

func TestBackupProgressOnlyOnTerminal(t *testing.T) {
	_, r := standIn(t)
	o := r.do(t, "backup", "-o", t.TempDir())
	require.Equal(t, 0, o.status, o.stderr)
	assert.Empty(t, o.stderr)
	r.terminal = true
	o = r.do(t, "backup", "-o", t.TempDir())
	require.Equal(t, 0, o.status, o.stderr)
	assert.Contains(t, o.stderr, "backup 0.3 MB")
}

// Issue 17 item 8: backup -o DIR creates a missing DIR (0700), as
// recording, ticket and brcsgen do; a file given as DIR is a usage error.
func TestBackupCreatesTheFolder(t *testing.T) {
	_, r := standIn(t)
	dir := filepath.Join(t.TempDir(), "new", "backups")
	o := r.do(t, "backup", "-o", dir)
	require.Equal(t, 0, o.status, o.stderr)
	assert.Len(t, listDir(t, dir), 1)
	if runtime.GOOS != "windows" {
		testutil.AssertMode(t, dir, 0o700)
	}
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	o = r.do(t, "backup", "-o", file)
	assert.Equal(t, 2, o.status, o.stderr)
	assert.Contains(t, o.stderr, "not a folder")
}

// Issue 17 item 7: an output that cannot be written exits 1, said once,
// naming the file asked for (not the temporary file behind it).
func TestBackupUnwritableFolderExits1(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no mode bits to take the write permission away")
	}
	_, r := standIn(t)
	dir := filepath.Join(t.TempDir(), "ro")
	require.NoError(t, os.Mkdir(dir, 0o500))
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	target := dir
	if probe, err := os.Create(filepath.Join(dir, "probe")); err == nil {
		probe.Close() // root writes anywhere: a folder under /proc then
		target = "/proc/1/brcsapi-backups"
	}
	r.now = time.Date(2026, 3, 1, 2, 3, 4, 0, time.UTC)
	o := r.do(t, "backup", "-o", target)
	assert.Equal(t, 1, o.status, o.stderr)
	assert.Contains(t, o.stderr, "cannot write "+filepath.Join(target, "127.0.0.1_"))
	assert.Contains(t, o.stderr, "-20260301T020304Z.nsb: ")
	assert.NotContains(t, o.stderr, ".part")
	assert.Equal(t, 1, strings.Count(o.stderr, "\n"), "said once: %s", o.stderr)
}

// Issue 18, "Also seen": names planted in a shared folder (dated in the
// future, to look newest) make rotation delete real backups. Only files
// recognised as this toolkit's backups count, and only they are deleted.
func TestBackupRotationIgnoresPlantedNames(t *testing.T) {
	s, r := standIn(t)
	host := appliance.BackupHost(s.URL)
	day := 24 * time.Hour
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	r.now = now
	dir := t.TempDir()
	real := names(host, now.Add(-1*day), now.Add(-2*day))
	for i, n := range real {
		p := filepath.Join(dir, n)
		require.NoError(t, os.WriteFile(p, []byte("x"), 0o600))
		at := now.Add(-time.Duration(i+1) * day).Add(time.Minute) // written when named
		require.NoError(t, os.Chtimes(p, at, at))
	}
	// Future names, written now (their name's date is after the file was
	// written), and a name readable by others.
	planted := names(host, now.Add(1000*day), now.Add(1001*day), now.Add(1002*day))
	for _, n := range planted {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600))
		require.NoError(t, os.Chtimes(filepath.Join(dir, n), now, now))
	}
	shared := names(host, now.Add(-time.Hour))[0]
	require.NoError(t, os.WriteFile(filepath.Join(dir, shared), []byte("x"), 0o600))
	require.NoError(t, os.Chmod(filepath.Join(dir, shared), 0o644))
	var foreignOwner []string
	if os.Getuid() == 0 { // another user's file: only root can make one here
		n := names(host, now.Add(-2*time.Hour))[0]
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600))
		require.NoError(t, os.Chown(filepath.Join(dir, n), 65534, 65534))
		foreignOwner = append(foreignOwner, n)
	}
	o := r.do(t, "backup", "-o", dir, "--keep", "2")
	require.Equal(t, 0, o.status, o.stderr)
	just := names(host, now)[0]
	want := append(append(append([]string{just, real[0]}, planted...), shared), foreignOwner...)
	assert.ElementsMatch(t, want, listDir(t, dir), "the newest real backup kept beside the one just written; planted names neither count nor go")
	assert.Contains(t, o.stdout, "deleted "+filepath.Join(dir, real[1]))
	assert.Equal(t, 1, strings.Count(o.stdout, "deleted "))
}

// backup --json is data for programs: "deleted" is a list, empty when
// nothing was rotated away, never null (jq '.deleted[]' fails on null).
func TestBackupJSONDeletedIsAList(t *testing.T) {
	_, r := standIn(t)
	o := r.do(t, "--json", "backup", "-o", t.TempDir())
	require.Equal(t, 0, o.status, o.stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(o.stdout), &got), o.stdout)
	assert.Equal(t, []any{}, got["deleted"], o.stdout)
}

// A lock file planted as a link in a shared backup folder is refused:
// the run exits 1 saying so, its target is not created, nothing is
// asked of the appliance.
func TestBackupLockPlantedAsALink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need a privilege on Windows")
	}
	s, r := standIn(t)
	dir := t.TempDir()
	target := filepath.Join(t.TempDir(), "nologin")
	require.NoError(t, os.Symlink(target, filepath.Join(dir, appliance.BackupLockName)))
	n := len(s.Requests())
	o := r.do(t, "backup", "-o", dir)
	assert.Equal(t, 1, o.status, o.stderr)
	assert.Contains(t, o.stderr, "cannot take the lock "+filepath.Join(dir, appliance.BackupLockName)+": it is a symbolic link")
	assert.NoFileExists(t, target)
	assert.Len(t, s.Requests(), n, "nothing asked")
}

// A lock file that another user owns (planted in a shared folder, where
// they could hold it for ever and every run would say "another backup is
// running") is refused, saying whose it is.
func TestBackupLockOfAnotherUser(t *testing.T) {
	if runtime.GOOS == "windows" || os.Getuid() != 0 {
		t.Skip("giving a file to another user needs root on Unix")
	}
	_, r := standIn(t)
	dir := t.TempDir()
	lock := filepath.Join(dir, appliance.BackupLockName)
	require.NoError(t, os.WriteFile(lock, nil, 0o666))
	require.NoError(t, os.Chown(lock, 65534, 65534))
	o := r.do(t, "backup", "-o", dir)
	assert.Equal(t, 1, o.status, o.stderr)
	assert.Contains(t, o.stderr, "cannot take the lock "+lock+": it belongs to another user")
	assert.Len(t, listDir(t, dir), 0, "nothing written")
}
