// Package output is where a command's export goes: standard output,
// written in whole records, or a file put in place atomically only when
// the whole export succeeded, so that a failure or a signal never leaves
// a partial file (nor its temporary file).
package output

import (
	"bufio"
	"bytes"
	"errors"
	"io"

	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
)

// Output is an export's destination. On standard output, records are
// written whole: what a record writes is held until EndRecord, so an
// export cut short ends on a record's end, never inside a line. A file is
// written through an fsutil.AtomicFile.
type Output struct {
	name    string // the file the user asked for, or "standard output"
	file    *fsutil.AtomicFile
	buf     *bufio.Writer // over the file
	stdout  io.Writer
	rec     bytes.Buffer // the record being written (standard output)
	pending bytes.Buffer // whole records not yet written (standard output)
	records int          // whole records
	kept    bool         // the file was put in place
	// Counted, when not nil, is told the number of whole records after
	// each one (a progress line, say).
	Counted func(records int)
}

// flushAt is how much of standard output is held before it is written.
const flushAt = 64 << 10

// Open opens the output path: "" or "-" is stdout, anything else a file
// (mode 0600) created atomically. Its error is an *fsutil.WriteError that
// names path.
func Open(path string, stdout io.Writer) (*Output, error) {
	if path == "" || path == "-" {
		return &Output{name: "standard output", stdout: stdout}, nil
	}
	f, err := fsutil.CreateAtomic(path, 0o600)
	if err != nil {
		var we *fsutil.WriteError
		if !errors.As(err, &we) {
			err = &fsutil.WriteError{Path: path, Err: err}
		}
		return nil, err
	}
	return &Output{name: path, file: f, buf: bufio.NewWriterSize(f, flushAt)}, nil
}

// IsFile reports whether the output is a file (not standard output).
func (o *Output) IsFile() bool { return o.file != nil }

// Write writes into the record being written.
func (o *Output) Write(p []byte) (int, error) {
	if o.file != nil {
		return o.buf.Write(p)
	}
	return o.rec.Write(p)
}

// EndRecord marks the end of a whole record.
func (o *Output) EndRecord() error {
	o.records++
	if o.Counted != nil {
		o.Counted(o.records)
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

// SetRecords sets the number of whole records written, for a writer
// that counts them itself.
func (o *Output) SetRecords(n int) { o.records = n }

func (o *Output) flushPending() error {
	_, err := o.stdout.Write(o.pending.Bytes())
	o.pending.Reset()
	return err
}

// Finish keeps the file when err is nil and removes it otherwise. On
// standard output it writes what was held: everything on success, the
// whole records only on failure. It returns err, or the error of keeping
// the output.
func (o *Output) Finish(err error) error {
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

// Written says what an export left, after Finish: whole records on
// standard output, nothing in a file unless it was kept. noun names one
// record ("session").
func (o *Output) Written(noun string) string {
	if (o.file != nil && !o.kept) || o.records == 0 {
		return "nothing written to " + o.name
	}
	return cliutil.Count(o.records, noun) + " written to " + o.name
}

// RecordWriter is a writer of which each Write is one whole record (a
// copy that writes element by element, say).
func (o *Output) RecordWriter() io.Writer { return recordWriter{o} }

type recordWriter struct{ o *Output }

func (r recordWriter) Write(p []byte) (int, error) {
	n, err := r.o.Write(p)
	if err == nil {
		err = r.o.EndRecord()
	}
	return n, err
}
