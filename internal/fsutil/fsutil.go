// Package fsutil holds the file-system helpers the commands share.
package fsutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// WriteFileAtomic writes data to path through an AtomicFile: readers see
// the old content or the new, never a part. perm is the new file's mode.
// An existing path must be a regular file (not a link, a device or a
// folder).
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	f, err := CreateAtomic(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return &WriteError{Path: path, Err: err}
	}
	return f.Commit()
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
	case errors.Is(err, fs.ErrExist):
		return "it already exists"
	case errors.Is(err, syscall.ENOSPC):
		return "no space left on the device"
	case errors.Is(err, syscall.EROFS):
		return "the file system is read-only"
	}
	var tl *TooLargeError
	if errors.As(err, &tl) {
		return "it is larger than the " + sizeWords(tl.Cap) + " cap; nothing of it was used"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error() // not the temporary file's name
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
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadLimit(f, limit)
}

// openFile opens path for reading, refusing a folder with an error that
// says so (reading a folder fails later, and less clearly).
func openFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		f.Close()
		return nil, &fs.PathError{Op: "read", Path: path, Err: syscall.EISDIR}
	}
	return f, nil
}

// ReadLimit reads r up to limit+1 bytes.
func ReadLimit(r io.Reader, limit int64) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, limit+1))
}

// TooLargeError is an input larger than the cap it is read with. No input
// is cut to a cap silently: past it, reading fails with this error.
type TooLargeError struct {
	// What names the input: a path, "standard input".
	What string
	// Cap is the most bytes accepted.
	Cap int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than the %s cap; nothing of it was used", e.What, sizeWords(e.Cap))
}

func sizeWords(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB (%d-byte)", n>>20, n)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB (%d-byte)", n>>10, n)
	}
	return fmt.Sprintf("%d-byte", n)
}

// ReadAllCapped reads r to its end, or fails with a *TooLargeError naming
// what and the cap once r holds more than limit bytes.
func ReadAllCapped(r io.Reader, limit int64, what string) ([]byte, error) {
	return io.ReadAll(CappedReader(r, limit, what))
}

// ReadFileCapped reads the file at path, or fails with a *TooLargeError
// when it holds more than limit bytes.
func ReadFileCapped(path string, limit int64) ([]byte, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAllCapped(f, limit, path)
}

// CappedReader reads r, and fails with a *TooLargeError instead of
// returning byte limit+1: for readers that stream (a CSV file), where
// cutting at the cap would silently change the last value read.
func CappedReader(r io.Reader, limit int64, what string) io.Reader {
	return &capped{r: r, left: limit, err: &TooLargeError{What: what, Cap: limit}}
}

type capped struct {
	r    io.Reader
	left int64
	err  *TooLargeError
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, c.err
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return 0, c.err
	}
	return n, err
}
