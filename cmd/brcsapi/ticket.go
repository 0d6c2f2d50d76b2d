package main

import (
	"bufio"
	"context"
	"fmt"
	"iter"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliance/reporting/evidence"
	"github.com/brcs-toolkit/brcs/archive"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

func ticketCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "ticket",
		Usage:     "the sessions of a ticket (their external key), and with -o an evidence folder",
		ArgsUsage: "KEY",
		Description: "Without --db, brcsapi asks AccessSessionListing window by window, keeps the sessions whose external key is KEY " +
			"(the API has no such filter), then asks AccessSession for them. With --db it reads the archive. With -o DIR it writes " +
			"DIR/<lsid>/session.json, events.csv and the recordings, and DIR/manifest.json with every file's size and SHA-256. " +
			"DIR's session folders are created new: a folder or link already there is refused.",
		Flags: []cli.Flag{
			dbFlag(),
			&cli.StringFlag{Name: "since", Value: "30d", Usage: "start of the search: RFC 3339, a date, or relative"},
			&cli.StringFlag{Name: "until", Value: "now", Usage: "end of the search"},
			&cli.DurationFlag{Name: "window", Value: 24 * time.Hour, Usage: "time per listing request"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the evidence folder DIR"},
			&cli.BoolFlag{Name: "no-recordings", Usage: "with -o: leave the recordings out"},
			&cli.BoolFlag{Name: "fail-empty", Usage: "exit 1 when the ticket has no session (for scripts)"},
		},
		Action: func(c *cli.Context) error { return e.ticket(c) },
	}
}

func (e *env) ticket(c *cli.Context) error {
	if c.NArg() != 1 || c.Args().First() == "" {
		return cliutil.Usage("give the ticket: brcsapi ticket KEY")
	}
	key := c.Args().First()
	dir := c.String("output")
	// A missing folder is created; a file is a usage error, as recording's.
	if st, err := os.Stat(dir); dir != "" && err == nil && !st.IsDir() {
		return cliutil.Usage("-o %s is not a folder", textsafe.Escape(dir))
	}
	o := evidence.Options{NoRecordings: c.Bool("no-recordings"), Now: e.Now, Warn: e.warn}
	var cl *appliance.Client
	var err error
	if c.String("db") == "" || (dir != "" && !o.NoRecordings) {
		if cl, err = e.client(c, true); err != nil {
			return err
		}
	}
	var sessions iter.Seq2[*reporting.Session, error]
	var where string // for "no session of KEY ..."
	if dsn := c.String("db"); dsn != "" {
		a, err := e.openArchive(c, dsn)
		if err != nil {
			return err
		}
		defer a.Close()
		o.Saved = func(ctx context.Context, r evidence.Recording) error {
			return a.SetSaved(ctx, r.Query, r.Path, r.Download.Size, r.Download.SHA256)
		}
		if sessions, err = a.Sessions(c.Context, archive.Filter{ExternalKey: key}); err != nil {
			return cliutil.Refused(err)
		}
		where = "in the archive " + textsafe.Escape(dsn)
	} else {
		rg, err := e.span(c)
		if err != nil {
			return err
		}
		wk, err := reporting.NewWalker[reporting.SessionSummary](reporting.AccessSessionListing, rg, c.Duration("window"))
		if err != nil {
			return cliutil.Usage("--%v", err)
		}
		wk.Now = e.Now
		sessions = evidence.Find(c.Context, cl, key, *wk, o)
		where = "between " + wk.From.UTC().Format(time.RFC3339) + " and " + wk.To.UTC().Format(time.RFC3339)
	}
	var n int
	if dir == "" {
		n, err = e.ticketList(c, sessions, o)
		if err != nil && cliutil.InterruptedBy(c.Context) != nil {
			return fmt.Errorf("%s listed before the signal; the list is incomplete", cliutil.Count(n, "session")) // Exit says it after the signal, in one line
		}
	} else {
		var m *evidence.Manifest
		m, err = evidence.Write(c.Context, dir, key, sessions, cl, o)
		n = len(m.Sessions)
		if err == nil {
			fmt.Fprintf(e.Stdout, "%s, %s in %s (%s)\n", cliutil.Count(n, "session"), cliutil.Count(len(m.Files), "file"), textsafe.Escape(dir), evidence.ManifestName)
		} else if cliutil.InterruptedBy(c.Context) != nil {
			return fmt.Errorf("%s, %s written in %s before the signal; no %s (incomplete)", cliutil.Count(n, "session"), cliutil.Count(len(m.Files), "file"), textsafe.Escape(dir), evidence.ManifestName) // Exit says it after the signal, in one line
		}
	}
	if err != nil {
		return cliutil.Refused(err)
	}
	if n == 0 {
		fmt.Fprintf(e.Stderr, "%s: no session of %s %s\n", name, textsafe.Quote(key), where)
		if c.Bool("fail-empty") {
			return cli.Exit("", cliutil.ExitFindings)
		}
	}
	return nil
}

// ticketList prints the sessions, one line each (every value from the
// appliance or the archive escaped), or as JSON, and returns how many.
// A session whose lsid is not one is dropped and said, as -o does.
func (e *env) ticketList(c *cli.Context, sessions iter.Seq2[*reporting.Session, error], o evidence.Options) (int, error) {
	n, rows := 0, []evidence.Row{} // rows for --json
	tw := bufio.NewWriter(e.Stdout)
	defer tw.Flush()
	for r, err := range evidence.List(sessions, o) {
		if err != nil {
			return n, err
		}
		if n++; c.Bool("json") {
			rows = append(rows, r)
			continue
		}
		start, end := r.Start, r.End
		if start == "" {
			start = time.Time{}.Format(time.RFC3339) // a session without a start shows the zero time
		}
		if end == "" {
			end = "running"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.LSID, start, end, textsafe.Escape(r.Host), textsafe.Escape(r.Rep))
	}
	if c.Bool("json") {
		return n, e.printJSON(rows)
	}
	return n, nil
}
