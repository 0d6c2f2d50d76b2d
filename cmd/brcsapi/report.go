package main

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliance/reporting/export"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/output"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

func rangeFlags(window time.Duration) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "since", Value: "1d", Usage: "start of the range: RFC 3339, a date, or relative (7d, 12h)"},
		&cli.StringFlag{Name: "until", Value: "now", Usage: "end of the range, as --since"},
		&cli.BoolFlag{Name: "started", Usage: "sessions that started in the range, running ones too (the default)"},
		&cli.BoolFlag{Name: "ended", Usage: "closed sessions that ended in the range"},
		&cli.DurationFlag{Name: "window", Value: window, Usage: "the first request's window (the API has no pagination); for sessions, listing and ticket later windows double over quiet times (up to 30 days) and halve over busy ones, and one whose answer is too large is asked again in halves"},
		&cli.BoolFlag{Name: "fixed-window", Usage: "keep every window --window long (sessions, listing, ticket)"},
		&cli.StringFlag{Name: "format", Value: "jsonl", Usage: "jsonl, json, csv, or xml (the appliance's answer as it is; one request)"},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to FILE (atomically) instead of standard output"},
		&cli.Int64Flag{Name: "max-element-bytes", Value: reporting.DefaultMaxElementBytes, Usage: "refuse a single session larger than this, or holding more than one tag per 32 bytes of it"},
	}
}

// span reads --since and --until, and --ended.
func (e *env) span(c *cli.Context) (reporting.Range, error) {
	if c.Bool("started") && c.Bool("ended") {
		return reporting.Range{}, cliutil.Usage("--started and --ended choose one kind of window; give one")
	}
	rg, err := reporting.ParseRange(c.String("since"), c.String("until"), e.Now())
	var be *reporting.BoundError
	if errors.As(err, &be) {
		return rg, cliutil.Usage("--%s: %v", be.Bound, be.Err)
	} else if err != nil {
		return rg, cliutil.Usage("--until (%s) is not after --since (%s)", rg.To.Format(time.RFC3339), rg.From.Format(time.RFC3339))
	}
	rg.Ended = c.Bool("ended")
	return rg, nil
}

// windows reads the range flags into the windows to ask for.
func (e *env) windows(c *cli.Context, r reporting.Report) ([]reporting.Window, error) {
	rg, err := e.span(c)
	if err != nil {
		return nil, err
	}
	step := c.Duration("window")
	if c.String("format") == "xml" {
		step = 0 // one request: XML documents do not concatenate
	}
	ws, err := rg.Windows(r, step)
	if err != nil {
		return nil, cliutil.Usage("%v", err)
	}
	return ws, nil
}

func reportCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "report",
		Usage: "export a Reporting API report: sessions, listing, summary, team",
		Subcommands: []*cli.Command{
			{
				Name:  "sessions",
				Usage: "AccessSession: every session in full, with its participants and events",
				Flags: append(rangeFlags(time.Hour),
					&cli.StringSliceFlag{Name: "lsid", Usage: "these sessions only (repeatable, or comma-separated)"},
					&cli.BoolFlag{Name: "events", Usage: "one row (or line) per event instead of per session"}),
				Action: func(c *cli.Context) error { return e.reportSessions(c) },
			},
			{
				Name:   "listing",
				Usage:  "AccessSessionListing: session IDs, external keys, whether a recording exists",
				Flags:  append(rangeFlags(24*time.Hour), &cli.StringFlag{Name: "external-key", Usage: "only sessions with this external key"}),
				Action: func(c *cli.Context) error { return e.reportListing(c) },
			},
			{
				Name:   "summary",
				Usage:  "AccessSessionSummary: sessions per user (report_type=user)",
				Flags:  rangeFlags(0), // 0: one request for the range
				Action: func(c *cli.Context) error { return e.reportSimple(c, reporting.AccessSessionSummary) },
			},
			{
				Name:   "team",
				Usage:  "Team: activity within teams",
				Flags:  append(rangeFlags(24*time.Hour), &cli.IntFlag{Name: "team-id", Usage: "this team only"}),
				Action: func(c *cli.Context) error { return e.reportSimple(c, reporting.Team) },
			},
		},
	}
}

// decodeOptions are the decoders' limits from the flags.
func decodeOptions(c *cli.Context) reporting.Options {
	return reporting.Options{MaxElementBytes: c.Int64("max-element-bytes")}
}

// exportTo writes seq through the writer newW makes into the output
// (writeOutput), a record per item that keep accepts (nil: every one).
func exportTo[T any](e *env, c *cli.Context, noun string, newW func(io.Writer) (export.Writer[T], error), seq iter.Seq2[*T, error], keep func(*T) bool) error {
	return e.writeOutput(c, noun, true, func(out *output.Output) error {
		w, err := newW(out)
		if err != nil {
			return cliutil.Usage("--format: %v", err)
		}
		return export.WriteAll(w, seq, keep, out.EndRecord)
	})
}

// raw copies the appliance's XML answer as it is, checked as it streams
// with the decoders' limits; "no results" is written as the empty list
// the guide describes.
func (e *env) raw(c *cli.Context, cl *appliance.Client, q reporting.Query, noun string) error {
	return e.writeOutput(c, noun, false, func(out *output.Output) error {
		// Each write of the copy ends on an element's end: a record.
		n, err := cl.CopyReport(c.Context, q, out.RecordWriter(), decodeOptions(c))
		out.SetRecords(n)
		return err
	})
}

// rawRange copies the answer of report r over the whole range: one
// request, since XML documents do not concatenate.
func (e *env) rawRange(c *cli.Context, cl *appliance.Client, r reporting.Report, noun string) error {
	ws, err := e.windows(c, r)
	if err != nil {
		return err
	}
	return e.raw(c, cl, ws[0].Query, noun)
}

// writeOutput writes into the output (-o, or standard output) with
// write, keeping a file only when everything arrived, and turns the
// error into what the command says: after a signal, what was written; a
// usage error as it is; anything else refused (exit 1). noun names one
// record; with progress, a file is shown filling on a terminal.
func (e *env) writeOutput(c *cli.Context, noun string, progress bool, write func(*output.Output) error) error {
	out, err := output.Open(c.String("output"), e.Stdout)
	if err != nil {
		return cliutil.Refused(err)
	}
	var bar *meter
	if progress && out.IsFile() {
		// A file fills silently: a terminal is shown the count, the share
		// of the range (rangeProgress) and the rate, and the line ends.
		bar = e.rangeProgress(c, noun)
		out.Counted = func(n int) { bar.Set(int64(n)) }
	}
	err = out.Finish(write(out))
	if bar != nil {
		bar.done()
	}
	if cliutil.InterruptedBy(c.Context) != nil {
		return errors.New(out.Written(noun))
	}
	if err == nil && out.IsFile() && e.Terminal(e.Stderr) {
		fmt.Fprintf(e.Stderr, "%s: %s\n", name, out.Written(noun))
	}
	if _, coded := err.(cli.ExitCoder); err == nil || coded { // a usage error stays one
		return err
	}
	return cliutil.Refused(err)
}

// warnDropped says what the answers held that the export left out.
func (e *env) warnDropped(d reporting.Dropped) {
	if s := d.Summary(); s != "" {
		fmt.Fprintf(e.Stderr, "brcsapi: warning: the appliance sent %s; left out\n", s)
	}
}

// sessionSeq streams the AccessSession sessions of the flags: by lsid
// (Client.SessionsByLSID: each once, what was not asked for dropped and
// said), or over the range with adaptive windows.
func (e *env) sessionSeq(c *cli.Context, cl *appliance.Client, ids []string, o reporting.Options) (iter.Seq2[*reporting.Session, error], error) {
	if len(ids) > 0 {
		for _, id := range ids {
			if err := appliance.CheckLSID(id); err != nil {
				return nil, cliutil.Usage("--lsid: %s", textsafe.Escape(err.Error()))
			}
		}
		return cl.SessionsByLSID(c.Context, ids, appliance.ByLSIDOptions{Options: o, Dropped: e.warnNotAsked}), nil
	}
	wk, err := walker[reporting.Session](e, c, reporting.AccessSession, nil)
	if err != nil {
		return nil, err
	}
	return cl.SessionsWalk(c.Context, *wk, o, e.coverRange), nil
}

// rangeProgress is the progress line of an export to a file; the walk's
// windows tell it the share of the range covered (coverRange).
func (e *env) rangeProgress(c *cli.Context, noun string) *meter {
	bar := newRangeProgress(e, "report "+c.Command.Name, noun+"s")
	e.covering = &bar
	return e.covering
}

// coverRange tells the progress line of the export in progress how much
// of the range the walk has covered.
func (e *env) coverRange(p reporting.Progress) {
	if e.covering != nil {
		e.covering.Cover(p.Covered)
	}
}

// warnNotAsked says that a session the appliance sent was dropped.
func (e *env) warnNotAsked(lsid, why string) {
	fmt.Fprintf(e.Stderr, "%s: warning: session %s: %s; dropped\n", name, textsafe.QuoteMax(lsid, 64), why)
}

// walker reads the range flags into an adaptive walk of report r: the
// number of requests grows with the number of items, not with the length
// of the range (reporting.Walker).
func walker[T any](e *env, c *cli.Context, r reporting.Report, id func(*T) string) (*reporting.Walker[T], error) {
	rg, err := e.span(c)
	if err != nil {
		return nil, err
	}
	wk, err := reporting.NewWalker[T](r, rg, c.Duration("window"))
	if err != nil {
		return nil, cliutil.Usage("--%v", err)
	}
	wk.Fixed, wk.ID, wk.Now = c.Bool("fixed-window"), id, e.Now
	return wk, nil
}

func summaryLSID(s *reporting.SessionSummary) string { return s.LSID }

func (e *env) reportSessions(c *cli.Context) error {
	cl, err := e.client(c, true)
	if err != nil {
		return err
	}
	ids := appliance.SplitLSIDs(c.StringSlice("lsid")...)
	if c.String("format") == "xml" {
		if len(ids) == 0 {
			return e.rawRange(c, cl, reporting.AccessSession, "session")
		}
		q := reporting.ByLSIDs(ids...)
		if _, err := q.Params(); err != nil {
			return cliutil.Usage("--lsid: %s", textsafe.Escape(err.Error()))
		}
		return e.raw(c, cl, q, "session")
	}
	var dropped reporting.Dropped
	o := decodeOptions(c)
	o.Dropped = &dropped
	seq, err := e.sessionSeq(c, cl, ids, o)
	if err != nil {
		return err
	}
	format, events := c.String("format"), c.Bool("events")
	err = exportTo(e, c, "session", func(w io.Writer) (export.Writer[reporting.Session], error) { return export.Sessions(w, format, events) }, seq, nil)
	e.warnDropped(dropped)
	return err
}

func (e *env) reportListing(c *cli.Context) error {
	cl, err := e.client(c, true)
	if err != nil {
		return err
	}
	if c.String("format") == "xml" {
		return e.rawRange(c, cl, reporting.AccessSessionListing, "row")
	}
	wk, err := walker[reporting.SessionSummary](e, c, reporting.AccessSessionListing, summaryLSID)
	if err != nil {
		return err
	}
	key, keyed := c.String("external-key"), c.IsSet("external-key")
	seq := cl.ListingWalk(c.Context, *wk, decodeOptions(c), e.coverRange)
	format := c.String("format")
	return exportTo(e, c, "row", func(w io.Writer) (export.Writer[reporting.SessionSummary], error) { return export.Listing(w, format) }, seq,
		func(s *reporting.SessionSummary) bool { return !keyed || s.ExternalKey == key })
}

// reportSimple runs the summary and team reports: one request for the
// range (the summary aggregates, so it is never cut), or windows for team.
func (e *env) reportSimple(c *cli.Context, r reporting.Report) error {
	cl, err := e.client(c, true)
	if err != nil {
		return err
	}
	// The summary's averages do not add up across windows: its window
	// defaults to the whole range.
	ws, err := e.windows(c, r)
	if err != nil {
		return err
	}
	if c.IsSet("team-id") {
		id := c.Int("team-id")
		for i := range ws {
			ws[i].Query.TeamID = &id
		}
	}
	format := c.String("format")
	if format == "xml" {
		return e.raw(c, cl, ws[0].Query, "element")
	}
	o := decodeOptions(c)
	if r == reporting.AccessSessionSummary {
		return exportTo(e, c, "row", func(w io.Writer) (export.Writer[reporting.UserSummary], error) { return export.Summary(w, format) },
			cl.SummaryOver(c.Context, ws, o), nil)
	}
	// A team shows up in every window it was active in: no deduplication.
	return exportTo(e, c, "team activity", func(w io.Writer) (export.Writer[reporting.TeamActivity], error) { return export.Team(w, format) },
		cl.TeamOver(c.Context, ws, o), nil)
}
