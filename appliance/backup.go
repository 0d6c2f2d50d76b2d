package appliance

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/internal/fsutil"
)

// Download is what a streamed file download wrote.
type Download struct {
	// Name is the file name the appliance suggested, when it is a plain
	// name (no path, no leading dot, no control character); "" otherwise.
	Name        string `json:"suggested_name,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Size        int64  `json:"size"`
	// SHA256 is the hex digest of the bytes written.
	SHA256 string `json:"sha256"`
}

// Backup asks /api/backup (an administrator's account) and streams the
// backup file to w. An empty answer, an XML answer (the appliance's
// <error>, e.g. "Invalid credentials") or an HTML page is refused before
// anything is written. When Backup fails after writing began, w holds a
// partial file: write to a temporary file and keep it only on success.
func (c *Client) Backup(ctx context.Context, w io.Writer) (*Download, error) {
	d, err := c.backup(ctx, w)
	return d, c.seal(err) // the appliance's <error> may quote a secret back
}

func (c *Client) backup(ctx context.Context, w io.Writer) (*Download, error) {
	call := Call{Path: BackupPath, Name: "backup"}
	resp, err := c.Open(ctx, call)
	if err != nil {
		return nil, err
	}
	defer resp.Close()
	fail := func(kind Kind, format string, args ...any) error {
		return &Error{Endpoint: resp.Endpoint, Call: call.Name, Status: http.StatusOK, Kind: kind, Err: fmt.Errorf(format, args...)}
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(resp.Body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	head = head[:n]
	trimmed := bytes.TrimSpace(head)
	switch {
	case len(trimmed) == 0:
		return nil, fail(Malformed, "the appliance answered with an empty backup")
	case trimmed[0] == '<':
		rest, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		if ae, _ := ReadError(io.MultiReader(bytes.NewReader(head), bytes.NewReader(rest))); ae != nil {
			return nil, refused(resp.Endpoint, call.Name, ae)
		}
		return nil, fail(Malformed, "the appliance answered with XML or HTML, not a backup file")
	}
	h := sha256.New()
	d := &Download{Name: SafeName(resp.Header.Get("Content-Disposition")), ContentType: resp.Header.Get("Content-Type")}
	d.Size, err = io.Copy(io.MultiWriter(w, h), io.MultiReader(bytes.NewReader(head), resp.Body))
	if err != nil {
		return nil, err
	}
	d.SHA256 = hex.EncodeToString(h.Sum(nil))
	return d, nil
}

// SafeName returns the file name of a Content-Disposition header when it
// is a plain name: no folder, no leading dot, no control or path
// character; "" otherwise.
func SafeName(cd string) string {
	_, params, err := mime.ParseMediaType(cd)
	if err != nil {
		return ""
	}
	name := params["filename"]
	if name == "" || name != filepath.Base(name) || strings.ContainsAny(name, "/\\:") || strings.HasPrefix(name, ".") || len(name) > 200 {
		return ""
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return ""
		}
	}
	return name
}

// BackupStamp is the layout of the time in a backup's file name:
// HOST-20060102T150405Z.nsb, in UTC.
const BackupStamp = "20060102T150405Z"

// BackupLockName is the lock file in a backup folder that keeps two runs
// apart. The lock is the kernel's (see fsutil.Lock), released when its
// process ends however it ends, so it never goes stale; the file stays.
const BackupLockName = ".brcsapi-backup.lock"

// BackupHost is the part of a backup's file name that names the
// appliance at base (scheme://host[:port]): its host and port, ':'
// written '_' and IPv6 brackets left out (127.0.0.1_9443).
func BackupHost(base string) string {
	h := base
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	return strings.NewReplacer(":", "_", "[", "", "]", "").Replace(strings.TrimSuffix(h, "/"))
}

// BackupOptions say where SaveBackup writes, and what it rotates.
type BackupOptions struct {
	// Dir is the folder written into; a missing folder is created (0700).
	Dir string
	// Now is the time the file is named after (zero: time.Now()); also
	// the "now" that --keep-days counts from.
	Now time.Time
	// Keep, when above 0, keeps the newest Keep of this appliance's
	// backups in Dir after a good backup; older ones are deleted.
	Keep int
	// KeepDays, when above 0, keeps this appliance's backups younger than
	// KeepDays days. A file stays when either rule keeps it.
	KeepDays int
	// Progress, when set, is written every byte as it arrives (a bar).
	Progress io.Writer
}

// SavedBackup is what SaveBackup wrote and deleted.
type SavedBackup struct {
	// Path is the backup file: Dir/HOST-STAMP.nsb, mode 0600.
	Path string `json:"path"`
	*Download
	// Deleted are the older backups rotation removed: a list, never nil
	// (for programs reading the JSON).
	Deleted []string `json:"deleted"`
	// Removed are the temporary files of killed runs that were cleared.
	Removed []string `json:"-"`
}

// SaveBackup downloads the appliance's backup into o.Dir and then rotates
// that folder's older backups of this appliance, in one call:
//
//   - it takes the folder's lock (BackupLockName), a kernel lock: a second
//     run in the same folder fails at once with an error wrapping
//     fsutil.ErrLocked, and a killed run never leaves it taken;
//   - it removes the temporary files of this appliance's backups that a
//     killed run left (a live run's are locked, and kept);
//   - it streams the backup into a temporary file (mode 0600), syncs it
//     and puts it at Dir/HOST-STAMP.nsb, never replacing a file; on any
//     failure, a cancelled ctx included, the temporary file is removed and
//     nothing is deleted;
//   - after a good backup it deletes what Keep and KeepDays do not keep
//     (see RotateBackups).
//
// A failure to write names the file asked for (a *fsutil.WriteError). A
// failure of rotation returns the SavedBackup with the error: the backup
// itself is written.
func (c *Client) SaveBackup(ctx context.Context, o BackupOptions) (*SavedBackup, error) {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	host := BackupHost(c.Base())
	path := filepath.Join(o.Dir, host+"-"+o.Now.UTC().Format(BackupStamp)+".nsb")
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, &fsutil.WriteError{Path: path, Err: err}
	}
	lockPath := filepath.Join(o.Dir, BackupLockName)
	if fi, err := os.Lstat(lockPath); err == nil && fi.Mode().IsRegular() && !ownFile(fi) {
		// Planted in a shared folder, it could be held for ever, and every
		// run would say "another backup is running".
		return nil, fmt.Errorf("cannot take the lock %s: it belongs to another user, who could hold it for ever; refused (remove it, and keep backups in a folder only you can write); this run wrote nothing", lockPath)
	}
	lock, err := fsutil.TryLock(lockPath)
	if errors.Is(err, fsutil.ErrLocked) {
		return nil, fmt.Errorf("another backup is running in %s (it holds the lock on %s); this run wrote nothing: %w", o.Dir, BackupLockName, fsutil.ErrLocked)
	}
	if errors.Is(err, fsutil.ErrNotLockFile) {
		return nil, fmt.Errorf("cannot take the lock %v; this run wrote nothing", err)
	}
	if err != nil {
		return nil, &fsutil.WriteError{Path: path, Err: errors.Unwrap(err)}
	}
	defer lock.Unlock()
	// Only this appliance's backups' parts whose writer is gone (killed,
	// or the power lost): another run's are locked.
	saved := &SavedBackup{Path: path, Removed: fsutil.RemoveStalePartsFunc(o.Dir, backupPattern(host).MatchString)}
	if saved.Download, err = c.writeBackup(ctx, path, o.Progress); err != nil {
		return nil, err
	}
	saved.Deleted, err = rotate(o.Dir, host, filepath.Base(path), o.Keep, o.KeepDays, o.Now)
	if saved.Deleted == nil {
		saved.Deleted = []string{}
	}
	if err != nil {
		return saved, fmt.Errorf("the backup is written, but rotating failed: %w", err)
	}
	return saved, nil
}

// writeBackup streams the backup into an atomic file at path.
func (c *Client) writeBackup(ctx context.Context, path string, progress io.Writer) (*Download, error) {
	f, err := fsutil.CreateAtomic(path, 0o600)
	if err != nil {
		return nil, err
	}
	defer f.Abort() // a no-op after the commit
	var w io.Writer = namedWriter{f}
	if progress != nil {
		w = io.MultiWriter(w, progress)
	}
	d, err := c.Backup(ctx, w)
	if err != nil {
		return nil, err
	}
	if err := f.CommitNew(); err != nil {
		return nil, err
	}
	return d, nil
}

func backupPattern(host string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(host) + `-([0-9]{8}T[0-9]{6}Z)\.nsb$`)
}

// clockSkew is how far a backup's name may be ahead of its modification
// time and still be taken for one of ours (the name is taken when the
// download starts, the modification time when it ends, so the name is
// normally behind).
const clockSkew = 5 * time.Minute

// RotateBackups deletes the older backups of the appliance at base in
// dir: a backup stays when it is among the newest keep, or younger than
// keepDays days counted from now (each rule only when above 0).
//
// Only files recognised as backups this toolkit wrote are ranked, counted
// or deleted: regular files (no link) of the name pattern
// BackupHost(base)-STAMP.nsb, owned by this user and readable by nobody
// else (on Unix), whose name's date is not after the file's own
// modification time. Any other file is left alone and does not count, so
// names planted in a shared folder (future dates, to look newest) can
// neither push real backups out nor be deleted. Backups are ranked by
// the earlier of the name's date and the modification time.
func RotateBackups(base, dir string, keep, keepDays int, now time.Time) ([]string, error) {
	return rotate(dir, BackupHost(base), "", keep, keepDays, now)
}

// rotate is RotateBackups; just, the file this run wrote, is always kept.
func rotate(dir, host, just string, keep, keepDays int, now time.Time) ([]string, error) {
	if keep <= 0 && keepDays <= 0 {
		return nil, nil
	}
	pattern := backupPattern(host)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	type backup struct {
		name string
		at   time.Time
	}
	var all []backup
	for _, en := range entries {
		m := pattern.FindStringSubmatch(en.Name())
		if m == nil || !en.Type().IsRegular() {
			continue
		}
		named, err := time.Parse(BackupStamp, m[1])
		if err != nil {
			continue
		}
		fi, err := os.Lstat(filepath.Join(dir, en.Name()))
		if err != nil || !fi.Mode().IsRegular() || !ownBackup(fi) {
			continue
		}
		if en.Name() != just && named.After(fi.ModTime().Add(clockSkew)) {
			continue // named after it was written: not one of ours
		}
		all = append(all, backup{en.Name(), earliest(named, fi.ModTime())})
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].name == just || all[j].name == just {
			return all[i].name == just && all[j].name != just
		}
		return all[i].at.After(all[j].at)
	})
	var deleted []string
	var errs []error
	for i, b := range all {
		if b.name == just {
			continue
		}
		keptByCount := keep > 0 && i < keep
		keptByAge := keepDays > 0 && now.Sub(b.at) < time.Duration(keepDays)*24*time.Hour
		if keptByCount || keptByAge {
			continue
		}
		p := filepath.Join(dir, b.name)
		if err := os.Remove(p); err != nil {
			errs = append(errs, err)
			continue
		}
		deleted = append(deleted, p)
	}
	return deleted, errors.Join(errs...)
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// namedWriter writes to an atomic file; a failed write (a full disk)
// names the file asked for, never the temporary file behind it.
type namedWriter struct{ f *fsutil.AtomicFile }

func (w namedWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		err = &fsutil.WriteError{Path: w.f.Path(), Err: err}
	}
	return n, err
}
