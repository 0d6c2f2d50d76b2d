package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/output"
	"github.com/brcs-toolkit/brcs/internal/progress"
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
				Action: func(c *cli.Context) error { return e.report(c, reporting.AccessSession, "session") },
			},
			{
				Name:   "listing",
				Usage:  "AccessSessionListing: session IDs, external keys, whether a recording exists",
				Flags:  append(rangeFlags(24*time.Hour), &cli.StringFlag{Name: "external-key", Usage: "only sessions with this external key"}),
				Action: func(c *cli.Context) error { return e.report(c, reporting.AccessSessionListing, "row") },
			},
			{
				Name:   "summary",
				Usage:  "AccessSessionSummary: sessions per user (report_type=user)",
				Flags:  rangeFlags(0), // 0: one request, since the summary's averages do not add up across windows
				Action: func(c *cli.Context) error { return e.report(c, reporting.AccessSessionSummary, "row") },
			},
			{
				Name:   "team",
				Usage:  "Team: activity within teams",
				Flags:  append(rangeFlags(24*time.Hour), &cli.IntFlag{Name: "team-id", Usage: "this team only"}),
				Action: func(c *cli.Context) error { return e.report(c, reporting.Team, "team activity") },
			},
		},
	}
}

// decodeOptions are the decoders' limits from the flags.
func decodeOptions(c *cli.Context) reporting.Options {
	return reporting.Options{MaxElementBytes: c.Int64("max-element-bytes")}
}

// report exports report r as the flags say (appliance.Export) into the
// output; noun names one record.
func (e *env) report(c *cli.Context, r reporting.Report, noun string) error {
	cl, err := e.client(c, true)
	if err != nil {
		return err
	}
	x := appliance.Export{Report: r, Window: c.Duration("window"), Fixed: c.Bool("fixed-window"), Format: c.String("format"),
		LSIDs: appliance.SplitLSIDs(c.StringSlice("lsid")...), Events: c.Bool("events"), Options: decodeOptions(c),
		Now: e.Now, Progress: e.coverRange, NotAsked: e.warnNotAsked}
	if len(x.LSIDs) == 0 { // sessions by lsid read no range
		if x.Range, err = e.span(c); err != nil {
			return err
		}
	}
	if key := c.String("external-key"); c.IsSet("external-key") {
		x.ExternalKey = &key
	}
	if id := c.Int("team-id"); c.IsSet("team-id") {
		x.TeamID = &id
	}
	var dropped reporting.Dropped
	if r == reporting.AccessSession {
		x.Options.Dropped = &dropped
	}
	// The question is refused before -o is opened, a bad --format once it
	// is, as it always was.
	var xe *appliance.ExportError
	if errors.As(x.Check(), &xe) && xe.Field != "Format" {
		return exportUsage(x, xe)
	}
	if x.Format == "xml" && (r == reporting.AccessSessionSummary || r == reporting.Team) {
		noun = "element"
	}
	var bar *progress.Options // the share of the range only where the walk tells it
	if x.Format != "xml" {
		bar = &progress.Options{Unit: cliutil.Plural(noun), Range: x.Adaptive()}
	}
	err = e.writeOutput(c, noun, bar, func(out *output.Output) error {
		x.EndRecord = out.EndRecord
		n, err := cl.Export(c.Context, out, x)
		out.SetRecords(n)
		return exportUsage(x, err)
	})
	e.warnDropped(dropped)
	return err
}

// exportUsage says a refused export in the command's words (any other
// error as it is): the flag, and for --lsid the reason escaped.
func exportUsage(x appliance.Export, err error) error {
	var xe *appliance.ExportError
	if !errors.As(err, &xe) {
		return err
	}
	switch {
	case xe.Field == "LSIDs":
		return cliutil.Usage("--lsid: %s", textsafe.Escape(xe.Err.Error()))
	case xe.Field == "Format":
		return cliutil.Usage("--format: %v", xe.Err)
	case xe.Field == "Window" && x.Adaptive():
		return cliutil.Usage("--%v", xe.Err) // --window 500ms is shorter than a second
	}
	return cliutil.Usage("%v", xe.Err)
}

// writeOutput writes into the output (-o, or standard output) with
// write, keeping a file only when everything arrived, and turns the
// error into what the command says: after a signal, what was written; a
// usage error as it is; anything else refused (exit 1). noun names one
// record; with bar, a file is shown filling on a terminal.
func (e *env) writeOutput(c *cli.Context, noun string, bar *progress.Options, write func(*output.Output) error) error {
	out, err := output.Open(c.String("output"), e.Stdout)
	if err != nil {
		return cliutil.Refused(err)
	}
	if bar != nil && out.IsFile() {
		// A file fills silently: a terminal is shown the count, the share
		// of the range (coverRange) and the rate, and the line ends.
		e.covering = e.Progress("report "+c.Command.Name, *bar)
		out.Counted = func(n int) { e.covering.Set(int64(n)) }
	}
	err = out.Finish(write(out))
	if e.covering != nil {
		e.covering.Done()
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
