package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// sqliteURI turns the file path of an archive into the URI the driver
// opens, so that the path is taken as written: "ev#1.db" and "p%41.db"
// are those files, not a fragment or an escape. It refuses what is no
// file (":memory:", "") and a dangling symbolic link, which SQLite would
// follow and create its target.
func sqliteURI(path string) (string, error) {
	switch {
	case path == "":
		return "", fmt.Errorf("%w: no archive file given", ErrDSN)
	case path == ":memory:" || strings.HasPrefix(path, ":memory:?"):
		return "", fmt.Errorf("%w: :memory: keeps nothing once the command ends; give a file path", ErrDSN)
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("%w: %s is a symbolic link to a file that does not exist; give the file itself", ErrDSN, path)
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrDSN, path, err)
	}
	p := filepath.ToSlash(abs)
	if runtime.GOOS == "windows" {
		p = "/" + p // file:///C:/...
	}
	q := url.Values{}
	// WAL lets readers work during a sync; the busy timeout makes a second
	// writer wait instead of failing, and an immediate transaction takes the
	// write lock at BEGIN, so that two writers never deadlock half-way.
	q.Add("_pragma", "busy_timeout(60000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	// url.URL escapes %, # and ? in the path; SQLite decodes them back.
	return (&url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}).String(), nil
}

// createPrivate creates the archive file owner-only before SQLite does, and
// narrows an existing one (and its -wal and -shm, which SQLite creates with
// the file's mode) that others could read: it holds chat text and who
// jumped where.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, fs.ErrExist) {
		return err
	}
	// Only an archive is narrowed: a regular file that is empty or starts
	// with SQLite's header. A device, a folder, a pipe or a file of
	// another kind (--db /etc/passwd, /dev/null) is refused untouched.
	if err := checkArchiveFile(path); err != nil {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Lstat(p)
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o077 == 0 {
			continue // absent, not ours to change, or already private
		}
		if err := os.Chmod(p, fi.Mode().Perm()&0o700); err != nil {
			return err
		}
	}
	return nil
}

// sqliteHeader starts every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// checkArchiveFile refuses an existing --db that is not a regular file
// holding a SQLite database (or nothing yet), before anything touches it.
func checkArchiveFile(path string) error {
	fi, err := os.Stat(path) // a link to an archive is an archive; what it leads to is checked
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (%s); give the path of an archive file", path, fi.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	n, _ := io.ReadFull(f, head)
	if n == 0 || string(head[:n]) == sqliteHeader {
		return nil
	}
	return fmt.Errorf("%s is not a SQLite database; give the path of an archive file (or a new name)", path)
}

func openSQLite(ctx context.Context, path string) (*sql.DB, error) {
	uri, err := sqliteURI(path)
	if err != nil {
		return nil, err
	}
	if err := createPrivate(path); err != nil {
		return nil, err // openError names the archive
	}
	return sql.Open("sqlite", uri)
}

// isBusy reports SQLite's "database is locked" (SQLITE_BUSY and its
// extended codes), which the busy timeout does not cover everywhere: the
// switch of a new file to WAL can fail at once while another connection
// creates the schema.
func isBusy(err error) bool {
	var c interface{ Code() int }
	return errors.As(err, &c) && c.Code()&0xff == 5
}

// retryBusy runs f again while SQLite says the database is locked, for up
// to a minute (the busy timeout), then gives up with the last error.
func retryBusy(ctx context.Context, f func() error) error {
	deadline := time.Now().Add(time.Minute)
	wait := 5 * time.Millisecond
	for {
		err := f()
		if !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}
