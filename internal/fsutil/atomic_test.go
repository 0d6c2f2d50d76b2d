package fsutil

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A child process of this test binary: with FSUTIL_CHILD=part it starts
// an atomic write of FSUTIL_PATH, with =lock it takes the lock on it; then
// it says "ready" and waits to be killed.
func TestMain(m *testing.M) {
	switch os.Getenv("FSUTIL_CHILD") {
	case "part":
		f, err := CreateAtomic(os.Getenv("FSUTIL_PATH"), 0o600)
		if err != nil {
			os.Exit(9)
		}
		f.WriteString("half")
		os.Stdout.WriteString("ready\n")
		time.Sleep(time.Minute)
		os.Exit(8)
	case "lock":
		if _, err := TryLock(os.Getenv("FSUTIL_PATH")); err != nil {
			os.Exit(9)
		}
		os.Stdout.WriteString("ready\n")
		time.Sleep(time.Minute)
		os.Exit(8)
	}
	os.Exit(m.Run())
}

// child starts this test binary as a child of the given kind on path and
// waits until it is ready.
func child(t *testing.T, kind, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FSUTIL_CHILD="+kind, "FSUTIL_PATH="+path)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err, "the child did not get ready")
	require.Equal(t, "ready\n", line)
	return cmd
}

func parts(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		if IsPart(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

// writing starts an atomic write of path holding text, not yet committed:
// where the tests of Commit, CommitNew and Abort begin.
func writing(t *testing.T, path, text string) *AtomicFile {
	t.Helper()
	f, err := CreateAtomic(path, 0o600)
	require.NoError(t, err)
	_, err = f.WriteString(text)
	require.NoError(t, err)
	return f
}

func TestAtomicFileCommit(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.csv")
	require.NoError(t, os.WriteFile(p, []byte("old"), 0o644))
	f := writing(t, p, "new")
	got, _ := os.ReadFile(p)
	assert.Equal(t, "old", string(got), "the target is untouched until Commit")
	require.Len(t, parts(t, dir), 1)
	require.NoError(t, f.Commit())
	got, _ = os.ReadFile(p)
	assert.Equal(t, "new", string(got))
	fi, _ := os.Stat(p)
	assert.Equal(t, fs.FileMode(0o600), fi.Mode().Perm(), "the mode is set exactly, whatever the umask")
	assert.Empty(t, parts(t, dir))
	assert.NoError(t, f.Abort(), "Abort after Commit is a no-op")
	got, _ = os.ReadFile(p)
	assert.Equal(t, "new", string(got))
}

func TestAtomicFileAbort(t *testing.T) {
	dir := t.TempDir()
	f := writing(t, filepath.Join(dir, "out.csv"), "never")
	require.NoError(t, f.Abort())
	require.NoError(t, f.Abort(), "twice is fine")
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries, "neither the target nor a temporary file")
	assert.Error(t, f.Commit(), "no Commit after Abort")
}

func TestAtomicFileCommitNewNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "notes.txt")
	f := writing(t, p, "recording")
	require.NoError(t, os.WriteFile(p, []byte("the user's notes"), 0o644))
	err := f.CommitNew()
	require.Error(t, err)
	assert.True(t, errors.Is(err, fs.ErrExist), "%v", err)
	assert.Equal(t, "cannot write "+p+": it already exists", err.Error(), "the file asked for, never the temporary one")
	got, _ := os.ReadFile(p)
	assert.Equal(t, "the user's notes", string(got))
	assert.Empty(t, parts(t, dir), "the temporary file is removed")

	q := filepath.Join(dir, "new.bin")
	require.NoError(t, writing(t, q, "x").CommitNew())
	got, _ = os.ReadFile(q)
	assert.Equal(t, "x", string(got))
	assert.Empty(t, parts(t, dir))
}

// A part whose writer was SIGKILLed is removed by the next write of the
// same target; a part whose writer is alive is kept.
func TestStalePartOfAKilledWriterIsRemoved(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "backup.nsb")
	live := child(t, "part", p)
	require.Len(t, parts(t, dir), 1)
	assert.Empty(t, RemoveStaleParts(dir, "backup.nsb"), "a live writer's part is kept")
	require.Len(t, parts(t, dir), 1)

	require.NoError(t, live.Process.Kill())
	live.Wait()
	require.Len(t, parts(t, dir), 1, "SIGKILL leaves the part")
	require.NoError(t, WriteFileAtomic(p, []byte("whole"), 0o600))
	assert.Empty(t, parts(t, dir), "the next write of the target removed it")
	got, _ := os.ReadFile(p)
	assert.Equal(t, "whole", string(got))
}

func TestRemoveStalePartsLeavesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.part-1", ".a", "a", ".b.part-x"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), nil, 0o600))
	}
	assert.Empty(t, RemoveStaleParts(dir, "a"), "only .a.part-* belongs to a")
	removed := RemoveStaleParts(dir, "")
	assert.Equal(t, []string{filepath.Join(dir, ".b.part-x")}, removed)
}

// RemoveStalePartsFunc asks about each temporary file's target, named as
// the write named it (a marker in the target's own name included), and
// removes only the parts of the targets it is told.
func TestRemoveStalePartsFuncChoosesByTarget(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{".h-1.nsb.part-1", ".notes.txt.part-2", ".x.part-y.nsb.part-3", ".part-4", "h-2.nsb"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), nil, 0o600))
	}
	var asked []string
	removed := RemoveStalePartsFunc(dir, func(target string) bool {
		asked = append(asked, target)
		return filepath.Ext(target) == ".nsb"
	})
	assert.ElementsMatch(t, []string{"h-1.nsb", "notes.txt", "x.part-y.nsb", ""}, asked, "one question a temporary file, none for the others")
	assert.ElementsMatch(t, []string{filepath.Join(dir, ".h-1.nsb.part-1"), filepath.Join(dir, ".x.part-y.nsb.part-3")}, removed)
	assert.ElementsMatch(t, []string{".notes.txt.part-2", ".part-4"}, parts(t, dir), "the other targets' parts are kept")
	_, err := os.Stat(filepath.Join(dir, "h-2.nsb"))
	assert.NoError(t, err, "a target is never a part")
}

// The lock is released by the kernel when its holder dies: SIGKILL leaves
// no stuck lock.
func TestLockReleasedWhenTheHolderIsKilled(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".lock")
	holder := child(t, "lock", p)
	_, err := TryLock(p)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrLocked), "%v", err)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = LockContext(ctx, p, 10*time.Millisecond)
	require.Error(t, err, "waiting ends with the context")

	require.NoError(t, holder.Process.Kill())
	holder.Wait()
	l, err := TryLock(p)
	require.NoError(t, err, "a dead holder's lock is free")
	require.NoError(t, l.Unlock())
	require.NoError(t, l.Unlock(), "twice is fine")
}

func TestLockWithinOneProcess(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".lock")
	l, err := TryLock(p)
	require.NoError(t, err)
	_, err = TryLock(p)
	assert.True(t, errors.Is(err, ErrLocked), "a second holder in the same process is refused too: %v", err)
	require.NoError(t, l.Unlock())
	l, err = TryLock(p)
	require.NoError(t, err)
	l.Unlock()
}
