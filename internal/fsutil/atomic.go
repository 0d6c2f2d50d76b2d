package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// partMarker stands between a target's name and the random suffix of its
// temporary file: DIR/.NAME.part-123456. Every atomic write of the toolkit
// names its temporary file so, which is how a later run recognises (and
// removes) one that a killed run left.
const partMarker = ".part-"

// AtomicFile is a file written in place of another: the bytes go to a
// temporary file in the same folder, and Commit moves it over the target
// in one step, so readers see the old content or the new, never a part.
// Abort (or a failed Commit) removes the temporary file.
//
// While it is open, the temporary file is locked (see Lock), so that a
// run that finds it can tell a write in progress from debris of a killed
// run: RemoveStaleParts removes only temporary files whose writer is gone.
//
//	f, err := fsutil.CreateAtomic(path, 0o600)
//	if err != nil { ... }
//	defer f.Abort() // a no-op after Commit
//	... write to f ...
//	return f.Commit()
type AtomicFile struct {
	*os.File
	path string
	done bool
}

// CreateAtomic starts an atomic write of path with mode perm (before the
// umask is applied: the mode is set exactly). It first removes what killed
// runs left for the same path. An existing path must be a regular file:
// a link, a folder or a device is not replaced.
func CreateAtomic(path string, perm fs.FileMode) (*AtomicFile, error) {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%s); refusing to replace it", path, describeMode(fi.Mode()))
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	RemoveStaleParts(dir, base)
	tmp, err := createLocked(dir, "."+base+partMarker+"*")
	if err != nil {
		return nil, &WriteError{Path: path, Err: err}
	}
	a := &AtomicFile{File: tmp, path: path}
	if err := tmp.Chmod(perm); err != nil && !isWindows() {
		a.Abort()
		return nil, err
	}
	return a, nil
}

// Path is the target: the name the file gets on Commit.
func (a *AtomicFile) Path() string { return a.path }

// Commit makes the written bytes durable and puts them at the target,
// replacing what was there; the folder is synced too, so the new name
// survives a power loss.
func (a *AtomicFile) Commit() error {
	return a.commit(os.Rename)
}

// CommitNew is Commit that never replaces a file: if the target exists by
// then, it fails with an error wrapping fs.ErrExist and the temporary file
// is removed.
func (a *AtomicFile) CommitNew() error {
	return a.commit(linkNew)
}

func (a *AtomicFile) commit(move func(from, to string) error) (err error) {
	if a.done {
		return errors.New(a.path + ": already committed or aborted")
	}
	defer func() {
		if err != nil {
			a.Abort()
		}
	}()
	if err = a.File.Sync(); err != nil {
		return &WriteError{Path: a.path, Err: err}
	}
	if !renameOpen {
		if err = a.File.Close(); err != nil {
			return err
		}
	}
	if err = move(a.File.Name(), a.path); err != nil {
		return &WriteError{Path: a.path, Err: err}
	}
	a.done = true
	if renameOpen {
		a.File.Close() // releases the lock
	}
	return syncDir(filepath.Dir(a.path))
}

// Abort removes the temporary file; the target is left as it was. It is
// safe to call at any time, and a no-op after Commit.
func (a *AtomicFile) Abort() error {
	if a.done {
		return nil
	}
	a.done = true
	err := os.Remove(a.File.Name()) // before Close, which releases the lock
	a.File.Close()
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// RemoveStaleParts removes the temporary files that atomic writes of
// dir/base left when their process was killed, and only those: a
// temporary file whose writer is alive is locked, and kept. A temporary
// file's target is its name without the leading dot and from the last
// ".part-" on (".a.part-b.part-1" is one of "a.part-b", not of "a"). With
// base "", every target's in dir. It returns what it removed.
func RemoveStaleParts(dir, base string) []string {
	return RemoveStalePartsFunc(dir, func(target string) bool { return base == "" || target == base })
}

// RemoveStalePartsFunc is RemoveStaleParts for the targets in dir whose
// name of is true for, such as the names of one pattern: a folder holding
// several kinds of file clears only its own kind's. It returns what it
// removed.
func RemoveStalePartsFunc(dir string, of func(target string) bool) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || !IsPart(n) || !of(partTarget(n)) {
			continue
		}
		p := filepath.Join(dir, n)
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if lockFile(f) != nil {
			f.Close() // a live writer holds it
			continue
		}
		if !renameOpen {
			f.Close() // Windows removes no open file
		}
		if os.Remove(p) == nil {
			removed = append(removed, p)
		}
		f.Close()
	}
	return removed
}

// createLocked creates a temporary file in dir, as os.CreateTemp, locked
// for as long as it is open. A cleaner that locked and removed it between
// its creation and the lock leaves this process an unlinked file: the
// name is checked to still be this file, else a new one is made.
func createLocked(dir, pattern string) (*os.File, error) {
	for {
		f, err := os.CreateTemp(dir, pattern)
		if err != nil {
			return nil, err
		}
		if err := lockFile(f); err != nil {
			f.Close()
			if errors.Is(err, ErrLocked) {
				continue // a cleaner holds it, and removes it
			}
			return nil, err
		}
		a, errA := f.Stat()
		b, errB := os.Stat(f.Name())
		if errA == nil && errB == nil && os.SameFile(a, b) {
			return f, nil
		}
		f.Close()
		if errA != nil {
			return nil, errA
		}
	}
}

// IsPart reports whether name is the name of an atomic write's temporary
// file, for listings that must not take one for a result.
func IsPart(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, partMarker)
}

// partTarget is the target's name in a temporary file's name (IsPart):
// what stands before the last marker, since the random suffix holds none.
func partTarget(name string) string {
	if i := strings.LastIndex(name, partMarker); i > 0 {
		return name[1:i]
	}
	return ""
}

func isWindows() bool { return filepath.Separator == '\\' }

// WriteError is a failure to write Path, the file the user asked for (not
// the temporary file behind it), said in words.
type WriteError struct {
	Path string
	Err  error
}

func (e *WriteError) Error() string { return "cannot write " + e.Path + ": " + Reason(e.Err) }

func (e *WriteError) Unwrap() error { return e.Err }
