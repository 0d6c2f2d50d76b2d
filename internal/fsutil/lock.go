package fsutil

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// ErrLocked is returned by TryLock when another process holds the lock.
var ErrLocked = errors.New("locked by another process")

// Lock is an advisory lock on a file that the kernel releases when the
// process holding it exits, however it exits (SIGKILL and power loss
// included): flock(2) on Unix, LockFileEx on Windows. A lock never goes
// stale, so nobody ever has to delete a lock file by hand; the file itself
// is left in place (deleting it would let two processes lock two
// different files of the same name).
type Lock struct {
	f *os.File
}

// TryLock takes the lock on path, creating the file (0600) if needed, or
// fails at once with an error wrapping ErrLocked when another process
// holds it. A path that is not a regular file (a link planted in a shared
// folder, a named pipe) is refused, never followed: its target is neither
// created nor locked.
func TryLock(path string) (*Lock, error) {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", path, notLockFile(fi.Mode()))
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|noFollow, 0o600)
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && !fi.Mode().IsRegular() {
			err = notLockFile(fi.Mode()) // planted since the check above
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = notLockFile(fi.Mode())
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, ErrLocked) {
			return nil, fmt.Errorf("%s: %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

// LockContext waits for the lock on path until ctx ends, trying again
// every poll.
func LockContext(ctx context.Context, path string, poll time.Duration) (*Lock, error) {
	for {
		l, err := TryLock(path)
		if !errors.Is(err, ErrLocked) {
			return l, err
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("waiting for the lock %s: %w", path, context.Cause(ctx))
		case <-t.C:
		}
	}
}

// Unlock releases the lock. It is safe to call more than once.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// ErrNotLockFile is wrapped by TryLock's error when the lock's path is
// not a regular file (a link, a named pipe, a folder).
var ErrNotLockFile = errors.New("not a lock file")

func notLockFile(m os.FileMode) error {
	return refusedLock("it is " + describeMode(m) + ", not a lock file; refused, never followed (remove it)")
}

// refusedLock is a lock path refused for what it is (or whose it is);
// it matches ErrNotLockFile.
type refusedLock string

func (r refusedLock) Error() string        { return string(r) }
func (r refusedLock) Is(target error) bool { return target == ErrNotLockFile }
