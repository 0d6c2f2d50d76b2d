package appliance

import (
	"context"
	"fmt"
	"io"
	"iter"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliance/reporting/export"
)

// Export is one report to export with Client.Export: the report, the
// sessions it covers (a range, or lsids) and the format. Zero values are
// the defaults: JSON Lines, the whole range as the first window. A field
// that chooses what is reported (LSIDs, Events, ExternalKey, TeamID) is
// refused for a report that does not take it, since ignoring it would
// export other data than asked for; one that tunes only how it is asked
// (Window, Fixed, Now, Progress, NotAsked) is ignored where it does not
// apply.
type Export struct {
	// Report is AccessSession, AccessSessionListing, AccessSessionSummary
	// or Team.
	Report reporting.Report
	// Range is the span reported on (reporting.ParseRange reads one as
	// people write it). It is not read when LSIDs are given.
	Range reporting.Range
	// Window is the first window of AccessSession and AccessSessionListing,
	// whose later windows adapt to the answers (reporting.Walker; 0 or
	// less: the whole range), and every window of AccessSessionSummary and
	// Team (0: the whole range; a negative one is refused; at most
	// reporting.MaxWindows of them). The xml format asks once, for the
	// whole range.
	Window time.Duration
	// Fixed keeps every AccessSession and AccessSessionListing window
	// Window long.
	Fixed bool
	// LSIDs asks AccessSession for these sessions instead of a range: in
	// requests of LSIDsPerRequest, each once (SessionsByLSID); in xml in
	// one request, as given.
	LSIDs []string
	// Format is one of export.Formats: "jsonl" (also ""), "json", "csv",
	// or "xml", the appliance's answer as it is, checked as it streams
	// (CopyReport), so neither Events nor ExternalKey changes it.
	Format string
	// Events writes AccessSession sessions one row (or line) per event.
	Events bool
	// ExternalKey, when not nil, keeps the AccessSessionListing rows of
	// this external key only (the API has no such filter).
	ExternalKey *string
	// TeamID, when not nil, asks Team for this team only.
	TeamID *int
	// Options decode the answers; Options.Dropped, when set, counts what
	// they held that was left out.
	Options reporting.Options
	// Now is the clock that an adaptive walk times its answers with; nil:
	// time.Now.
	Now func() time.Time
	// Progress, when not nil, is told after each window of an adaptive
	// walk (see Adaptive).
	Progress func(reporting.Progress)
	// NotAsked, when not nil, is told of each session that the appliance
	// sent for LSIDs without being asked for it, and that was dropped
	// (ByLSIDOptions.Dropped).
	NotAsked func(lsid, why string)
	// EndRecord, when not nil, is called each time what was written to w
	// ends on a whole record: after each item, and in xml after each write
	// of the copy, which ends on an element's end. A destination that
	// keeps whole records only (standard output cut short by a signal)
	// learns there where one ends. Its error stops the export.
	EndRecord func() error
}

// ExportError is a request that Export refuses before anything is sent or
// written: Field names the field of Export that is wrong ("Report",
// "Range", "Window", "LSIDs", "Format", ...). Any other error of Export
// is a failed export.
type ExportError struct {
	Field string
	Err   error
}

func (e *ExportError) Error() string { return "export: " + e.Field + ": " + e.Err.Error() }
func (e *ExportError) Unwrap() error { return e.Err }

// Export writes the report x describes to w, one item at a time as the
// answers arrive, and returns the records written: items, or in xml the
// elements copied. A bad request is an *ExportError, returned before
// anything is sent or written; after a failure, what was written to w is
// incomplete and must be dropped.
func (c *Client) Export(ctx context.Context, w io.Writer, x Export) (int, error) {
	run, err := x.prepare()
	if err != nil {
		return 0, err
	}
	return run(ctx, c, w)
}

// Check refuses a bad request as Export would, without sending anything:
// for a caller that must know before it opens the destination.
func (x Export) Check() error {
	_, err := x.prepare()
	return err
}

// Adaptive reports whether the windows of x adapt to the answers (an
// AccessSession or AccessSessionListing range, in any format but xml):
// only those tell Progress.
func (x Export) Adaptive() bool {
	return x.Format != "xml" && len(x.LSIDs) == 0 && (x.Report == reporting.AccessSession || x.Report == reporting.AccessSessionListing)
}

// exportRun is an export checked, to run.
type exportRun func(ctx context.Context, c *Client, w io.Writer) (int, error)

// prepare checks x and chooses its sequence and writer.
func (x Export) prepare() (exportRun, error) {
	if err := x.checkFields(); err != nil {
		return nil, err
	}
	if x.Format == "xml" {
		return x.prepareCopy()
	}
	switch x.Report {
	case reporting.AccessSession:
		newW := func(w io.Writer) (export.Writer[reporting.Session], error) {
			return export.Sessions(w, x.Format, x.Events)
		}
		if len(x.LSIDs) > 0 {
			for _, id := range x.LSIDs {
				if err := CheckLSID(id); err != nil {
					return nil, &ExportError{"LSIDs", err}
				}
			}
			o := ByLSIDOptions{Options: x.Options, Dropped: x.NotAsked}
			return exportItems(x, newW, nil, func(ctx context.Context, c *Client) iter.Seq2[*reporting.Session, error] {
				return c.SessionsByLSID(ctx, x.LSIDs, o)
			})
		}
		wk, err := exportWalker[reporting.Session](x)
		if err != nil {
			return nil, err
		}
		return exportItems(x, newW, nil, func(ctx context.Context, c *Client) iter.Seq2[*reporting.Session, error] {
			return c.SessionsWalk(ctx, *wk, x.Options, x.Progress)
		})
	case reporting.AccessSessionListing:
		wk, err := exportWalker[reporting.SessionSummary](x)
		if err != nil {
			return nil, err
		}
		var keep func(*reporting.SessionSummary) bool
		if x.ExternalKey != nil {
			key := *x.ExternalKey
			keep = func(s *reporting.SessionSummary) bool { return s.ExternalKey == key }
		}
		return exportItems(x, func(w io.Writer) (export.Writer[reporting.SessionSummary], error) { return export.Listing(w, x.Format) }, keep,
			func(ctx context.Context, c *Client) iter.Seq2[*reporting.SessionSummary, error] {
				return c.ListingWalk(ctx, *wk, x.Options, x.Progress)
			})
	}
	ws, err := x.windows()
	if err != nil {
		return nil, err
	}
	if x.Report == reporting.AccessSessionSummary {
		return exportItems(x, func(w io.Writer) (export.Writer[reporting.UserSummary], error) { return export.Summary(w, x.Format) }, nil,
			func(ctx context.Context, c *Client) iter.Seq2[*reporting.UserSummary, error] {
				return c.SummaryOver(ctx, ws, x.Options)
			})
	}
	return exportItems(x, func(w io.Writer) (export.Writer[reporting.TeamActivity], error) { return export.Team(w, x.Format) }, nil,
		func(ctx context.Context, c *Client) iter.Seq2[*reporting.TeamActivity, error] {
			return c.TeamOver(ctx, ws, x.Options)
		})
}

// checkFields refuses a report Export does not write, a field its report
// does not take, and an empty range.
func (x Export) checkFields() error {
	switch x.Report {
	case reporting.AccessSession, reporting.AccessSessionListing, reporting.AccessSessionSummary, reporting.Team:
	default:
		return &ExportError{"Report", fmt.Errorf("%s is not one of AccessSession, AccessSessionListing, AccessSessionSummary, Team", reporting.Quote(string(x.Report)))}
	}
	for _, f := range []struct {
		field string
		set   bool
		of    reporting.Report
	}{
		{"LSIDs", len(x.LSIDs) > 0, reporting.AccessSession},
		{"Events", x.Events, reporting.AccessSession},
		{"ExternalKey", x.ExternalKey != nil, reporting.AccessSessionListing},
		{"TeamID", x.TeamID != nil, reporting.Team},
	} {
		if f.set && x.Report != f.of {
			return &ExportError{f.field, fmt.Errorf("%s takes it, %s does not", f.of, x.Report)}
		}
	}
	if len(x.LSIDs) == 0 && x.Range.Empty() {
		return &ExportError{"Range", reporting.ErrEmptyRange}
	}
	return nil
}

// prepareCopy is the xml export: one request, since XML documents do not
// concatenate.
func (x Export) prepareCopy() (exportRun, error) {
	var q reporting.Query
	if len(x.LSIDs) > 0 {
		q = reporting.ByLSIDs(x.LSIDs...)
		if _, err := q.Params(); err != nil {
			return nil, &ExportError{"LSIDs", err}
		}
	} else {
		ws, err := x.windows()
		if err != nil {
			return nil, err
		}
		q = ws[0].Query
	}
	return func(ctx context.Context, c *Client, w io.Writer) (int, error) {
		return c.CopyReport(ctx, q, recordEnds{w, x.EndRecord}, x.Options)
	}, nil
}

// recordEnds calls end after each write to w.
type recordEnds struct {
	w   io.Writer
	end func() error
}

func (r recordEnds) Write(p []byte) (int, error) {
	n, err := r.w.Write(p)
	if err == nil && r.end != nil {
		err = r.end()
	}
	return n, err
}

// exportWalker is the adaptive walk over the range of x.
func exportWalker[T any](x Export) (*reporting.Walker[T], error) {
	wk, err := reporting.NewWalker[T](x.Report, x.Range, x.Window)
	if err != nil {
		return nil, &ExportError{"Window", err}
	}
	wk.Fixed, wk.Now = x.Fixed, x.Now
	return wk, nil
}

// windows are the fixed windows of x, each of its team (TeamID); in xml
// one, the whole range.
func (x Export) windows() ([]reporting.Window, error) {
	step := x.Window
	if x.Format == "xml" {
		step = 0
	}
	ws, err := x.Range.Windows(x.Report, step)
	if err != nil {
		return nil, &ExportError{"Window", err}
	}
	if x.TeamID != nil {
		id := *x.TeamID
		for i := range ws {
			ws[i].Query.TeamID = &id
		}
	}
	return ws, nil
}

// exportItems is the export of the items seq yields, those keep accepts
// (nil: all), through the writer newW makes; the format is checked here.
func exportItems[T any](x Export, newW func(io.Writer) (export.Writer[T], error), keep func(*T) bool, seq func(context.Context, *Client) iter.Seq2[*T, error]) (exportRun, error) {
	if _, err := newW(io.Discard); err != nil {
		return nil, &ExportError{"Format", err}
	}
	return func(ctx context.Context, c *Client, w io.Writer) (int, error) {
		ew, err := newW(w)
		if err != nil {
			return 0, &ExportError{"Format", err}
		}
		n := 0
		err = export.WriteAll(ew, seq(ctx, c), keep, func() error {
			n++
			if x.EndRecord != nil {
				return x.EndRecord()
			}
			return nil
		})
		return n, err
	}, nil
}
