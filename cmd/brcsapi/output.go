package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
)

// output is where an export goes: standard output, or a file written
// through an fsutil.AtomicFile, put in place only when the whole export
// succeeded, so a failure or a signal never leaves a partial file (nor its
// temporary file). On standard output, records are written whole: what a
// record writes is held until endRecord, so an export cut short ends on a
// record's end, never inside a line.
type output struct {
	name    string // the file the user asked for, or "standard output"
	file    *fsutil.AtomicFile
	buf     *bufio.Writer // over the file
	stdout  io.Writer
	rec     bytes.Buffer // the record being written (standard output)
	pending bytes.Buffer // whole records not yet written (standard output)
	records int          // whole records
	kept    bool         // the file was put in place
	// progress, when not nil, counts the records (a line on a terminal
	// while an export goes to a file).
	progress *progress
}

// flushAt is how much of standard output is held before it is written.
const flushAt = 64 << 10

func (e *env) openOutput(path string) (*output, error) {
	if path == "" || path == "-" {
		return &output{name: "standard output", stdout: e.Stdout}, nil
	}
	f, err := fsutil.CreateAtomic(path, 0o600)
	if err != nil {
		var we *fsutil.WriteError
		if !errors.As(err, &we) {
			err = &fsutil.WriteError{Path: path, Err: err}
		}
		return nil, cliutil.Refused(err)
	}
	return &output{name: path, file: f, buf: bufio.NewWriterSize(f, flushAt)}, nil
}

func (o *output) Write(p []byte) (int, error) {
	if o.file != nil {
		return o.buf.Write(p)
	}
	return o.rec.Write(p)
}

// endRecord marks the end of a whole record.
func (o *output) endRecord() error {
	o.records++
	if o.progress != nil {
		o.progress.set(int64(o.records))
	}
	if o.file != nil {
		return nil
	}
	o.pending.Write(o.rec.Bytes())
	o.rec.Reset()
	if o.pending.Len() < flushAt {
		return nil
	}
	return o.flushPending()
}

func (o *output) flushPending() error {
	_, err := o.stdout.Write(o.pending.Bytes())
	o.pending.Reset()
	return err
}

// finish keeps the file when err is nil and removes it otherwise. On
// standard output it writes what was held: everything on success, the
// whole records only on failure.
func (o *output) finish(err error) error {
	if o.file == nil {
		if err == nil {
			o.pending.Write(o.rec.Bytes())
		}
		o.rec.Reset()
		if ferr := o.flushPending(); err == nil {
			err = ferr
		}
		return err
	}
	if err == nil {
		err = o.buf.Flush()
	}
	if err == nil {
		err = o.file.Commit()
		o.kept = err == nil
		return err
	}
	o.file.Abort()
	return err
}

// written says what an export cut short left: whole records on standard
// output, nothing in a file (unless it was complete before the signal).
func (o *output) written(noun string) string {
	if (o.file != nil && !o.kept) || o.records == 0 {
		return "nothing written to " + o.name
	}
	return fmt.Sprintf("%d %s written to %s", o.records, cliutil.Plural(o.records, noun), o.name)
}

// parseWhen reads an RFC 3339 time, a date (UTC midnight), or a time
// relative to now: 7d, 12h, 30m, 90s (in the past).
func parseWhen(v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return t, nil
	}
	if v == "now" {
		return now, nil
	}
	if n := len(v); n > 1 {
		if k, err := strconv.Atoi(v[:n-1]); err == nil && k >= 0 {
			unit := map[byte]time.Duration{'d': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute, 's': time.Second}[v[n-1]]
			if unit != 0 {
				return now.Add(-time.Duration(k) * unit), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC 3339 (2015-03-01T08:00:00Z), a date (2015-03-01) nor relative (7d, 12h, 30m)", v)
}

func splitIDs(values []string) []string {
	var out []string
	for _, v := range values {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}
