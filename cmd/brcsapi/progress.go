package main

import (
	"io"

	"github.com/brcs-toolkit/brcs/internal/progress"
)

// meter is a command's progress line on standard error, drawn only when
// standard error is a terminal (progress.Line).
type meter struct{ *progress.Line }

// done draws the final count and ends the line.
func (m meter) done() { m.Done() }

func newProgress(e *env, what string, total int64, bytes bool) meter {
	return e.meter(what, progress.Options{Total: total, Bytes: bytes})
}

// newRangeProgress counts unit (say "sessions") over a time range.
func newRangeProgress(e *env, what, unit string) meter {
	return e.meter(what, progress.Options{Unit: unit, Range: true})
}

func (e *env) meter(what string, o progress.Options) meter {
	var w io.Writer
	if e.Terminal(e.Stderr) {
		w = e.Stderr
	}
	return meter{progress.New(w, what, o)}
}
