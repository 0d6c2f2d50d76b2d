package appliance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
)

// Saving recordings to files. Whatever the appliance suggests, a download
// never replaces a file, never writes through a link, and never takes a
// name that fsutil.CheckName refuses.

// RecordingName is the file name a recording is saved under when the
// appliance suggests no safe one: <lsid>-session or <lsid>-shell-<n>, and
// an extension from the content type (.txt for text, else .bin when the
// type names none).
func RecordingName(q reporting.Query, contentType string) string {
	return RecordingNameHint(q, "", contentType)
}

// RecordingNameHint is RecordingName whose extension may come from the
// appliance's suggested name: the name itself is never used, only its
// extension, and only when it is a video, text or data one (see
// recordingExts; never one a file manager would run, such as .exe, .js
// or .html). The extension a Content-Type names is held to the same
// rule. Evidence folders name their recordings so.
func RecordingNameHint(q reporting.Query, suggested, contentType string) string {
	base := q.LSID + "-session"
	if q.Report == reporting.CommandShellRecording && q.Instance != nil {
		base = fmt.Sprintf("%s-shell-%d", q.LSID, *q.Instance)
	}
	ext := plainExt(suggested)
	if q.Format == "txt" {
		return filepath.Base(base + ".txt") // never the binary form's name
	}
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		switch {
		case mt == "text/plain":
			ext = ".txt"
		case ext != "":
		case mt != "application/octet-stream":
			if exts, _ := mime.ExtensionsByType(mt); len(exts) > 0 {
				ext = plainExt(exts[0]) // the type is the appliance's too
			}
		}
	}
	if ext == "" {
		ext = ".bin"
	}
	return filepath.Base(base + ext) // lsid was checked, this is belt and braces
}

// recordingExts are the extensions a recording may take from the
// appliance (its suggested name or its Content-Type): video, and text or
// data that no file manager runs and no browser renders as active
// content. Any other (.exe, .js, .html, .svg, .reg, and .csv, whose
// formulas a spreadsheet runs) gives .bin: a list of what is safe, since
// one of what runs is never complete.
var recordingExts = map[string]bool{
	".flv": true, ".f4v": true, ".mp4": true, ".m4v": true, ".webm": true, ".mkv": true, ".avi": true, ".mov": true,
	".ogv": true, ".wmv": true, ".mpg": true, ".mpeg": true, ".3gp": true,
	".txt": true, ".log": true, ".bin": true, ".dat": true, ".json": true,
}

// plainExt is name's extension, lower-cased, when it is one of
// recordingExts; "" otherwise.
func plainExt(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	if !recordingExts[ext] {
		return ""
	}
	return ext
}

// SaveOptions say where SaveRecordingWith writes.
type SaveOptions struct {
	// Path returns the file to write, once the appliance has answered
	// with a recording (so it may create the folder then): suggested is
	// the appliance's suggested name when fsutil.CheckName accepts it and
	// its extension is a recording's (video, text, data: see
	// RecordingNameHint), "" otherwise. The file must not exist: it is created new, never
	// replaced, and its folder's links are not followed.
	Path func(suggested, contentType string) (string, error)
	// Progress, when not nil, receives every byte saved (a progress bar's
	// counter).
	Progress io.Writer
}

// SaveRecordingWith streams the recording q asks for into a new file at
// the path o.Path picks, with mode 0600: the bytes go to a temporary file
// (removed on any failure, a cancelled ctx included), which takes the
// name only once complete and synced, and only if nothing has that name
// by then. The Download's SHA-256 is of the bytes as written. An expired
// recording is an error for which IsExpired holds; nothing is written
// then.
func (c *Client) SaveRecordingWith(ctx context.Context, q reporting.Query, o SaveOptions) (string, *Download, error) {
	resp, body, err := c.openRecording(ctx, q)
	if err != nil {
		return "", nil, err
	}
	defer resp.Close()
	suggested := SafeName(resp.Header.Get("Content-Disposition"))
	if fsutil.CheckName(suggested) != nil || plainExt(suggested) == "" {
		suggested = "" // unsafe, or one that runs or renders when opened
	}
	path, err := o.Path(suggested, resp.Header.Get("Content-Type"))
	if err != nil {
		return "", nil, err
	}
	f, err := fsutil.CreateAtomic(path, 0o600)
	if err != nil {
		return "", nil, err
	}
	defer f.Abort()
	var w io.Writer = namedWriter{f}
	if o.Progress != nil {
		w = io.MultiWriter(w, o.Progress)
	}
	d, err := copyDownload(resp, body, w)
	if err != nil {
		return "", nil, err
	}
	if err := f.CommitNew(); err != nil {
		return "", nil, err
	}
	d.Name = suggested
	return path, d, nil
}

// SaveRecording streams the recording q asks for into a new file in dir
// (see SaveRecordingProgress). It returns the file's path.
func (c *Client) SaveRecording(ctx context.Context, q reporting.Query, dir string) (string, *Download, error) {
	return c.SaveRecordingProgress(ctx, q, dir, nil)
}

// maxNameTries bounds the numbered names tried when the plain ones are
// taken.
const maxNameTries = 100

// SaveRecordingProgress streams the recording q asks for into a new file
// in dir (created, 0700, when missing, once the appliance has answered
// with a recording, so that a refused or expired one leaves nothing),
// writing every byte saved to progress too when it is not nil. The file
// is named as the appliance suggests when that name is safe
// (fsutil.CheckName) and free; else RecordingName, then RecordingName
// numbered (-2, -3, ...): an existing file is never replaced, and each
// download is a file of its own. It returns the file's path.
func (c *Client) SaveRecordingProgress(ctx context.Context, q reporting.Query, dir string, progress io.Writer) (string, *Download, error) {
	pick := func(suggested, contentType string) (string, error) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("cannot create the folder %s: %s", dir, fsutil.Reason(err))
		}
		fallback := RecordingNameHint(q, suggested, contentType)
		var names []string
		if suggested != "" {
			names = append(names, suggested)
		}
		names = append(names, fallback)
		ext := filepath.Ext(fallback)
		for i := 2; i <= maxNameTries; i++ {
			names = append(names, fmt.Sprintf("%s-%d%s", strings.TrimSuffix(fallback, ext), i, ext))
		}
		for _, n := range names {
			p := filepath.Join(dir, n)
			if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
				return p, nil
			} else if err != nil {
				return "", &fsutil.WriteError{Path: p, Err: err}
			}
		}
		return "", fmt.Errorf("cannot write the recording in %s: %s and %d numbered names are all taken", dir, fallback, maxNameTries-1)
	}
	return c.SaveRecordingWith(ctx, q, SaveOptions{Path: pick, Progress: progress})
}

// ShellRecordings asks the AccessSession report for session lsid
// (SessionsByLSID, with o: a session the appliance sends that was not
// asked for is dropped and told to o.Dropped) and returns the queries of
// its command shell recordings, each instance once, as text with txt.
// A session that has none has no query; one that the appliance does not
// return is ErrNoSession.
func (c *Client) ShellRecordings(ctx context.Context, lsid string, txt bool, o ByLSIDOptions) ([]reporting.Query, error) {
	qs, found := []reporting.Query{}, false
	for s, err := range c.SessionsByLSID(ctx, []string{lsid}, o) {
		if err != nil {
			return nil, err
		}
		found = true
		for _, n := range s.ShellInstances() {
			qs = append(qs, reporting.ShellRecordingOf(lsid, n, txt))
		}
	}
	if !found {
		return nil, fmt.Errorf("session %s: %w", lsid, ErrNoSession)
	}
	return qs, nil
}

// ErrNoSession is the error for a session the appliance's report does
// not hold (unknown, or outside the account's report scope); IsNotFound
// counts it.
var ErrNoSession = errors.New("the AccessSession report holds no such session")

// SavedRecording is a recording SaveRecordings wrote: the file, and the
// size and SHA-256 (hex) of the bytes written.
type SavedRecording struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// SaveRecordings saves the recordings qs into dir one after the other,
// each a new file (SaveRecordingProgress), and returns the files saved in
// order. It stops at the first error and returns the files saved before
// it with the error; the file in progress is removed. progress, when not
// nil, gives each recording's progress writer before its download, and
// done, called once that download ends.
func (c *Client) SaveRecordings(ctx context.Context, qs []reporting.Query, dir string, progress func(reporting.Query) (w io.Writer, done func())) ([]SavedRecording, error) {
	var out []SavedRecording
	for _, q := range qs {
		var w io.Writer
		var done func()
		if progress != nil {
			w, done = progress(q)
		}
		path, d, err := c.SaveRecordingProgress(ctx, q, dir, w)
		if done != nil {
			done()
		}
		if err != nil {
			return out, err
		}
		out = append(out, SavedRecording{path, d.Size, d.SHA256})
	}
	return out, nil
}
