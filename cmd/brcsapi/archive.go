package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/archive"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/progress"
)

const defaultDB = "brcsapi-archive.db"

func dbFlag() *cli.StringFlag {
	return &cli.StringFlag{Name: "db", Usage: "the archive: a SQLite file path (default " + defaultDB + " for archive sync), or postgres://USER@HOST/DB " +
		"(password from $PGPASSWORD or ~/.pgpass; TLS with the server's certificate checked unless the URL's sslmode says otherwise or the server is on this machine)"}
}

// openArchive opens the --db archive; a DSN the archive refuses before
// connecting (a password on the command line, a key=value string) is a
// usage error.
func (e *env) openArchive(c *cli.Context, dsn string) (*archive.Archive, error) {
	a, err := archive.Open(c.Context, dsn)
	if errors.Is(err, archive.ErrDSN) {
		return nil, cliutil.Usage("--db: %v", err)
	}
	if err != nil {
		return nil, cliutil.Refused(err)
	}
	return a, nil
}

func archiveCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "archive",
		Usage: "keep every closed session's report in a SQLite or PostgreSQL database",
		Subcommands: []*cli.Command{{
			Name: "sync",
			Usage: "archive the sessions that ended since the last sync (idempotent: a session is one row however often it is seen; " +
				"an interrupted sync continues where it stopped)",
			Flags: []cli.Flag{
				dbFlag(),
				&cli.StringFlag{Name: "since", Value: "30d", Usage: "where the first sync starts: RFC 3339, a date, or relative (30d)"},
				&cli.DurationFlag{Name: "lag", Value: time.Minute, Usage: "leave out the last moments, which the appliance may still be writing"},
				&cli.DurationFlag{Name: "window", Value: time.Hour, Usage: "the first request's window: later windows double over quiet times (up to --max-window) and halve over busy ones, and a window whose answer is too large is asked again in halves"},
				&cli.BoolFlag{Name: "fixed-window", Usage: "keep every window --window long"},
				&cli.DurationFlag{Name: "max-window", Value: reporting.DefaultMaxWindow, Usage: "the widest window"},
				&cli.Int64Flag{Name: "max-element-bytes", Value: reporting.DefaultMaxElementBytes, Usage: "refuse a single session larger than this"},
			},
			Action: func(c *cli.Context) error { return e.archiveSync(c) },
		}},
	}
}

func (e *env) archiveSync(c *cli.Context) error {
	now := e.Now()
	since, err := reporting.ParseTime(c.String("since"), now)
	if err != nil {
		return cliutil.Usage("--since: %v", err)
	}
	dsn := c.String("db")
	if dsn == "" {
		dsn = defaultDB
	}
	cl, err := e.client(c, true)
	if err != nil {
		return err
	}
	a, err := e.openArchive(c, dsn)
	if err != nil {
		return err
	}
	defer a.Close()
	p := e.Progress("archive sync", progress.Options{Unit: "sessions", Range: true})
	res, err := a.Sync(c.Context, archive.SourceOf(cl, decodeOptions(c)), archive.SyncOptions{Since: since, Until: now.Add(-c.Duration("lag")), Window: c.Duration("window"),
		Fixed: c.Bool("fixed-window"), MaxWindow: c.Duration("max-window"),
		OnWindow: func(pr reporting.Progress) { p.Cover(pr.Covered); p.Set(int64(pr.Total)) }})
	p.Done()
	upTo := res.Cursor.UTC().Format(time.RFC3339)
	if i := cliutil.InterruptedBy(c.Context); i != nil {
		// The window in progress was rolled back; say what is kept.
		return fmt.Errorf("archive sync stopped: %s in %s committed; the archive holds every session that ended before %s; run the sync again to continue",
			cliutil.Count(res.Sessions, "session"), cliutil.Count(res.Windows, "window"), upTo) // Exit says it after the signal, in one line
	}
	if err != nil {
		return cliutil.Refused(err)
	}
	if c.Bool("json") {
		return e.printJSON(map[string]any{"windows": res.Windows, "requests": res.Requests, "sessions": res.Sessions, "cursor": upTo})
	}
	fmt.Fprintf(e.Stdout, "%d sessions in %d windows; archived up to %s\n", res.Sessions, res.Windows, upTo)
	return nil
}
