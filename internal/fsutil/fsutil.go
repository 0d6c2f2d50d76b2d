// Package fsutil holds the file-system helpers the commands share.
package fsutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// WriteFileAtomic writes data to path through a temporary file in the same
// folder, synced and then renamed over path, so that readers see the old
// content or the new, never a part. perm is the new file's mode. An
// existing path must be a regular file (not a link, a device or a folder).
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) (err error) {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file (%s); refusing to replace it", path, describeMode(fi.Mode()))
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}

// Describe phrases a file-system error as "path: reason", without the
// name of the system call that failed ("stat", "lstat", "open").
func Describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + Reason(err)
	}
	return err.Error()
}

// Reason says in words why a file operation failed, without the system
// call's name: "it does not exist", "it is a folder, not a file".
func Reason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "it does not exist"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, syscall.EISDIR):
		return "it is a folder, not a file"
	case errors.Is(err, syscall.ENOTDIR):
		return "a part of its path is not a folder"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// ReadError is the error of reading path, which is what (such as "the
// template" or "the --vars file"), failing with err: which file, what was
// being done and why, in words.
func ReadError(what, path string, err error) error {
	return fmt.Errorf("cannot read %s %s: %s", what, path, Reason(err))
}

// ReadFileLimit reads at most limit bytes of path; a larger file is read
// only as far as limit+1 bytes, so the caller can tell it is too large
// without reading it all.
func ReadFileLimit(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		f.Close()
		return nil, &fs.PathError{Op: "read", Path: path, Err: syscall.EISDIR}
	}
	defer f.Close()
	return ReadLimit(f, limit)
}

// ReadLimit reads r up to limit+1 bytes.
func ReadLimit(r io.Reader, limit int64) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, limit+1))
}
