package reporting

import (
	"errors"
	"fmt"
	"time"
)

// Range is a span of time to report on, [From, To), and the kind of
// window asked for over it.
type Range struct {
	From, To time.Time
	// Ended asks for sessions that ended in the range (end_time windows,
	// closed sessions only) rather than those that started in it.
	Ended bool
}

// Empty reports whether the range holds no whole second: the API counts
// whole seconds, so such a range cannot be asked for.
func (rg Range) Empty() bool {
	return !rg.To.Truncate(time.Second).After(rg.From.Truncate(time.Second))
}

// BoundError is ParseRange's error for a bound that does not read.
type BoundError struct {
	Bound string // "since" or "until"
	Err   error  // ParseTime's
}

func (e *BoundError) Error() string { return e.Bound + ": " + e.Err.Error() }
func (e *BoundError) Unwrap() error { return e.Err }

// ErrEmptyRange is the error for a range that does not end after it
// starts, by a whole second at least (Range.Empty).
var ErrEmptyRange = errors.New("the range does not end after it starts")

// ParseRange reads a range as a person gives one: since and until as
// ParseTime reads them, relative to now. A bound that does not read is a
// *BoundError; an until not after since (by a whole second) is
// ErrEmptyRange, and the Range returned then holds both times, to say so.
func ParseRange(since, until string, now time.Time) (Range, error) {
	var rg Range
	var err error
	if rg.From, err = ParseTime(since, now); err != nil {
		return rg, &BoundError{"since", err}
	}
	if rg.To, err = ParseTime(until, now); err != nil {
		return rg, &BoundError{"until", err}
	}
	if rg.Empty() {
		return rg, fmt.Errorf("%w: until %s, since %s", ErrEmptyRange, rg.To.Format(time.RFC3339), rg.From.Format(time.RFC3339))
	}
	return rg, nil
}

// Windows cuts the range into windows of report r at most step long (0:
// one window for the whole range), as Windows does.
func (rg Range) Windows(r Report, step time.Duration) ([]Window, error) {
	if step == 0 {
		step = rg.To.Sub(rg.From)
	}
	return Windows(r, rg.Ended, rg.From, rg.To, step)
}

// NewWalker is the adaptive walk of report r over rg whose first window
// is start long (0 or less: the whole range). An empty range
// (ErrEmptyRange) and a start under a second are refused here, before
// anything is asked. The Walker's other fields (ID, Fixed, Now, ...) are
// the caller's to set.
func NewWalker[T any](r Report, rg Range, start time.Duration) (*Walker[T], error) {
	if rg.Empty() {
		return nil, ErrEmptyRange
	}
	if start <= 0 {
		start = rg.To.Sub(rg.From)
	}
	if start < time.Second {
		return nil, fmt.Errorf("window %s is shorter than a second", start)
	}
	return &Walker[T]{Report: r, Ended: rg.Ended, From: rg.From, To: rg.To, Start: start}, nil
}
