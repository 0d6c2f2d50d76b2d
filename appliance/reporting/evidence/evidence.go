// Package evidence builds a ticket's evidence folder: every session whose
// external key is the ticket's, each in a folder of its own with the
// session as JSON, its events as CSV and its recordings, and a manifest
// of every file's size and SHA-256.
//
//	DIR/manifest.json
//	DIR/<lsid>/session.json
//	DIR/<lsid>/events.csv
//	DIR/<lsid>/<lsid>-session.<ext>       the screen recording
//	DIR/<lsid>/<lsid>-shell-<n>.<ext>     command shell recording n
//	DIR/<lsid>/<lsid>-shell-<n>.txt       ... and its text
//
// The appliance and the sessions are outside input, and the folder is
// built so that they cannot reach past it: every lsid is checked (32
// lower-case hex digits) before it names a folder, sessions that were not
// asked for are dropped, names come from the scheme above alone (the
// appliance's suggested name gives at most an extension), every folder is
// created new (0700) and every file too (0600), never through a link, and
// no file is written twice. The manifest hashes the bytes as they were
// written.
package evidence

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliance/reporting/export"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// ManifestName is the manifest's file name in the evidence folder.
const ManifestName = "manifest.json"

// File is one file of an evidence folder.
type File struct {
	// LSID is the session the file belongs to.
	LSID string `json:"lsid"`
	// File is the path inside the evidence folder, with '/'.
	File string `json:"file"`
	// Size and SHA256 are of the bytes written.
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest describes an evidence folder; it is written as manifest.json.
type Manifest struct {
	Ticket string `json:"ticket"`
	// Created is the time the folder was built, RFC 3339 in UTC.
	Created  string   `json:"created"`
	Sessions []string `json:"sessions"`
	Files    []File   `json:"files"`
	// Skipped names the recordings that could not be had (expired).
	Skipped []string `json:"skipped,omitempty"`
	// Dropped names, escaped, the sessions left out: an lsid that is not
	// one, a session not asked for, a second copy.
	Dropped []string `json:"dropped,omitempty"`
}

// Recording is one recording saved into the folder, for Options.Saved.
type Recording struct {
	LSID string
	// Query is the request that fetched it.
	Query reporting.Query
	// Path is the file written.
	Path     string
	Download *appliance.Download
}

// Options tune Find, Write and Build.
type Options struct {
	// Decode decodes each session (its caps).
	Decode reporting.Options
	// NoRecordings leaves the recordings out.
	NoRecordings bool
	// Now is the clock of Manifest.Created; nil is time.Now.
	Now func() time.Time
	// Warn, when not nil, is told of what was left out and why: a session
	// dropped, a recording expired. Outside values in it are escaped
	// with textsafe, so it can be shown as it is.
	Warn func(msg string)
	// Saved, when not nil, is called after each recording is saved (to
	// record it in an archive); an error stops the build.
	Saved func(context.Context, Recording) error

	// dropped, set by Build, collects what Find drops, for the manifest.
	dropped *[]string
}

func (o *Options) warn(format string, args ...any) {
	if o.Warn != nil {
		o.Warn(fmt.Sprintf(format, args...))
	}
}

// drop says why something was left out, and keeps it for the manifest.
func (o *Options) drop(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if o.dropped != nil {
		*o.dropped = append(*o.dropped, msg)
	}
	o.warn("%s", msg)
}

// shownLSID is an lsid from outside as a message shows it: escaped, and
// cut to a readable length.
func shownLSID(lsid string) string { return textsafe.QuoteMax(lsid, 64) }

// Find streams the sessions of the ticket key over the range of wk: it
// asks AccessSessionListing with wk's adaptive windows (wk.Report and
// wk.ID are set here), keeps the sessions whose external key is key (the
// API has no such filter), and asks AccessSession for them
// (Client.SessionsByLSID). A listed session whose lsid is not one is
// dropped and said (Options.Warn).
func Find(ctx context.Context, cl *appliance.Client, key string, wk reporting.Walker[reporting.SessionSummary], o Options) iter.Seq2[*reporting.Session, error] {
	return func(yield func(*reporting.Session, error) bool) {
		wk.Report = reporting.AccessSessionListing
		wk.ID = func(s *reporting.SessionSummary) string { return s.LSID }
		listing := wk.Stream(ctx, func(ctx context.Context, w reporting.Window) iter.Seq2[*reporting.SessionSummary, error] {
			return cl.Listing(ctx, w.Query, o.Decode)
		}, nil)
		var ids []string
		for s, err := range listing {
			if err != nil {
				yield(nil, err)
				return
			}
			if s.ExternalKey != key {
				continue
			}
			if appliance.CheckLSID(s.LSID) != nil {
				o.drop("session %s: the listing names it, but it is not a session ID (32 lower-case hex digits); dropped", shownLSID(s.LSID))
				continue
			}
			ids = append(ids, s.LSID)
		}
		if len(ids) == 0 {
			return
		}
		bo := appliance.ByLSIDOptions{Options: o.Decode, Dropped: func(lsid, why string) {
			o.drop("session %s: %s; dropped", shownLSID(lsid), why)
		}}
		for s, err := range cl.SessionsByLSID(ctx, ids, bo) {
			if !yield(s, err) || err != nil {
				return
			}
		}
	}
}

// Build finds the sessions of the ticket key over the range of wk (Find)
// and writes their evidence folder dir (Write), downloading the
// recordings through cl.
func Build(ctx context.Context, cl *appliance.Client, key string, wk reporting.Walker[reporting.SessionSummary], dir string, o Options) (*Manifest, error) {
	o.dropped = new([]string) // Find runs within Write's loop: done before the manifest
	return Write(ctx, dir, key, Find(ctx, cl, key, wk, o), cl, o)
}

// Write writes the evidence folder dir of the ticket key from sessions
// (from Find, or from an archive), downloading the recordings through cl
// (nil with Options.NoRecordings). dir is created (0700) when missing; it
// must not hold a manifest already, and no session folder in it may
// exist (a link planted there is refused, never followed). A session
// whose lsid is not one, or that comes twice, is dropped and said.
//
// The manifest is written last: on an error (a cancelled ctx included),
// Write returns what it wrote so far and no manifest.json exists; the
// files it completed stay, and no temporary file is left.
func Write(ctx context.Context, dir, key string, sessions iter.Seq2[*reporting.Session, error], cl *appliance.Client, o Options) (*Manifest, error) {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	m := &Manifest{Ticket: key, Created: now().UTC().Format(time.RFC3339), Sessions: []string{}, Files: []File{}}
	if !o.NoRecordings && cl == nil {
		return m, errors.New("evidence: recordings need a client (or set NoRecordings)")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return m, fmt.Errorf("cannot create the folder %s: %s", dir, fsutil.Reason(err))
	}
	// The manifest's file is opened first, so an unwritable folder is
	// said before anything is asked of the appliance, naming the file.
	path := filepath.Join(dir, ManifestName)
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&fs.ModeSymlink != 0 {
			return m, fmt.Errorf("%s is a symbolic link, which someone put there; refused, nothing is written through it", path)
		}
		return m, fmt.Errorf("%s already holds an evidence folder (%s); give a new or empty folder", dir, ManifestName)
	}
	mf, err := fsutil.CreateAtomic(path, 0o600)
	if err != nil {
		return m, err
	}
	defer mf.Abort()
	w := &writer{dir: dir, m: m, o: o, cl: cl, seen: map[string]bool{}}
	for s, err := range sessions {
		if err != nil {
			return m, err
		}
		if err := w.session(ctx, s); err != nil {
			return m, err
		}
	}
	if o.dropped != nil {
		m.Dropped = append(*o.dropped, m.Dropped...)
	}
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	if _, err := mf.Write(append(js, '\n')); err != nil {
		return m, &fsutil.WriteError{Path: path, Err: err}
	}
	return m, mf.CommitNew()
}

type writer struct {
	dir  string
	m    *Manifest
	o    Options
	cl   *appliance.Client
	seen map[string]bool // lsids written
	// unchanged reports whether the session folder being written is
	// still the one made for it.
	unchanged func() error
}

func (w *writer) drop(lsid, why string) {
	msg := fmt.Sprintf("session %s: %s; dropped", shownLSID(lsid), why)
	w.m.Dropped = append(w.m.Dropped, msg)
	w.o.warn("%s", msg)
}

// leftOut says why s is left out of a ticket's sessions, or "" and
// counts it seen: an lsid that is not one names no folder, and a second
// copy adds nothing.
func leftOut(s *reporting.Session, seen map[string]bool) string {
	if appliance.CheckLSID(s.LSID) != nil {
		return "not a session ID (32 lower-case hex digits), so it names no folder"
	}
	if seen[s.LSID] {
		return "it came twice; the first copy is kept"
	}
	seen[s.LSID] = true
	return ""
}

// session writes one session's folder.
func (w *writer) session(ctx context.Context, s *reporting.Session) error {
	if why := leftOut(s, w.seen); why != "" {
		w.drop(s.LSID, why)
		return nil
	}
	sdir := filepath.Join(w.dir, s.LSID)
	if err := mkdirNew(sdir); err != nil {
		return err
	}
	made, err := os.Lstat(sdir)
	if err != nil {
		return err
	}
	// unchanged checks, before each file, that the folder is still the
	// one made above: whoever can write in DIR could swap it for a link
	// while recordings download. The check is repeated at the end, so a
	// swap is never silent.
	w.unchanged = func() error {
		fi, err := os.Lstat(sdir)
		if err != nil || !os.SameFile(fi, made) {
			return fmt.Errorf("%s was replaced while it was being written (by a link or another folder); refused, nothing more is written there", sdir)
		}
		return nil
	}
	w.m.Sessions = append(w.m.Sessions, s.LSID)
	js, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := w.file(s.LSID, "session.json", func(f io.Writer) error { _, err := f.Write(append(js, '\n')); return err }); err != nil {
		return err
	}
	if err := w.file(s.LSID, "events.csv", func(f io.Writer) error {
		ew, err := export.Sessions(f, "csv", true)
		if err != nil {
			return err
		}
		if err := ew.Write(s); err != nil {
			return err
		}
		return ew.Close()
	}); err != nil {
		return err
	}
	if !w.o.NoRecordings {
		if err := w.recordings(ctx, s, sdir); err != nil {
			return err
		}
	}
	return w.unchanged()
}

// recordings saves the session's recordings, each under its own name of
// the fixed scheme: a shell instance listed twice is saved once.
func (w *writer) recordings(ctx context.Context, s *reporting.Session, sdir string) error {
	var qs []reporting.Query
	if s.HasRecording() {
		qs = append(qs, reporting.ByLSID(reporting.AccessSessionRecording, s.LSID))
	}
	for _, n := range s.ShellInstances() {
		qs = append(qs, reporting.ShellRecordingOf(s.LSID, n, false), reporting.ShellRecordingOf(s.LSID, n, true))
	}
	names := map[string]bool{"session.json": true, "events.csv": true}
	for _, q := range qs {
		pick := func(suggested, contentType string) (string, error) {
			if err := w.unchanged(); err != nil {
				return "", err
			}
			n := appliance.RecordingNameHint(q, suggested, contentType)
			if q.Instance != nil && q.Format != "txt" && filepath.Ext(n) == ".txt" {
				// The shell's text form is <lsid>-shell-<n>.txt, whatever
				// type the appliance gives the binary form.
				n = strings.TrimSuffix(n, ".txt") + ".bin"
			}
			if names[n] {
				return "", fmt.Errorf("%s: two recordings of session %s would be named %s; refused", sdir, s.LSID, n)
			}
			names[n] = true
			return filepath.Join(sdir, n), nil
		}
		path, d, err := w.cl.SaveRecordingWith(ctx, q, appliance.SaveOptions{Path: pick})
		if appliance.IsExpired(err) {
			w.m.Skipped = append(w.m.Skipped, fmt.Sprintf("%s: %s expired", s.LSID, q.Report))
			w.o.warn("%s: the recording has expired on the appliance; skipped (the %s)", s.LSID, what(q))
			continue
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(w.dir, path)
		w.m.Files = append(w.m.Files, File{LSID: s.LSID, File: filepath.ToSlash(rel), Size: d.Size, SHA256: d.SHA256})
		if w.o.Saved != nil {
			if err := w.o.Saved(ctx, Recording{LSID: s.LSID, Query: q, Path: path, Download: d}); err != nil {
				return err
			}
		}
	}
	return nil
}

func what(q reporting.Query) string {
	if q.Instance != nil {
		return fmt.Sprintf("command shell recording %d", *q.Instance)
	}
	return "screen recording"
}

// file writes one file of the session's folder and lists it.
func (w *writer) file(lsid, name string, write func(io.Writer) error) error {
	if err := w.unchanged(); err != nil {
		return err
	}
	var f File
	if err := writeNew(filepath.Join(w.dir, lsid, name), write, &f); err != nil {
		return err
	}
	f.LSID, f.File = lsid, lsid+"/"+name
	w.m.Files = append(w.m.Files, f)
	return nil
}

// writeNew creates path (0600, never replacing a file, never through a
// link) with what write writes, and puts its size and SHA-256 into f.
func writeNew(path string, write func(io.Writer) error, f *File) error {
	af, err := fsutil.CreateAtomic(path, 0o600)
	if err != nil {
		return err
	}
	defer af.Abort()
	h := sha256.New()
	cw := &counter{w: io.MultiWriter(af, h)}
	if err := write(cw); err != nil {
		return &fsutil.WriteError{Path: path, Err: err}
	}
	if err := af.CommitNew(); err != nil {
		return err
	}
	if f != nil {
		f.Size, f.SHA256 = cw.n, hex.EncodeToString(h.Sum(nil))
	}
	return nil
}

type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// mkdirNew creates the folder path, 0700; it must not exist, and a link
// in its place is refused, never followed.
func mkdirNew(path string) error {
	err := os.Mkdir(path, 0o700)
	if err == nil {
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link, which someone put there; refused, nothing is written through it", path)
		}
		return fmt.Errorf("%s exists already; give a new or empty folder", path)
	}
	return fmt.Errorf("cannot create the folder %s: %s", path, fsutil.Reason(err))
}
