package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliance/reporting/export"
	"github.com/brcs-toolkit/brcs/archive"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
)

func ticketCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "ticket",
		Usage:     "the sessions of a ticket (their external key), and with -o an evidence folder",
		ArgsUsage: "KEY",
		Description: "Without --db, brcsapi asks AccessSessionListing window by window, keeps the sessions whose external key is KEY " +
			"(the API has no such filter), then asks AccessSession for them. With --db it reads the archive. With -o DIR it writes " +
			"DIR/<lsid>/session.json, events.csv and the recordings, and DIR/manifest.json with every file's size and SHA-256.",
		Flags: []cli.Flag{
			dbFlag(),
			&cli.StringFlag{Name: "since", Value: "30d", Usage: "start of the search: RFC 3339, a date, or relative"},
			&cli.StringFlag{Name: "until", Value: "now", Usage: "end of the search"},
			&cli.DurationFlag{Name: "window", Value: 24 * time.Hour, Usage: "time per listing request"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the evidence folder DIR"},
			&cli.BoolFlag{Name: "no-recordings", Usage: "with -o: leave the recordings out"},
		},
		Action: func(c *cli.Context) error { return e.ticket(c) },
	}
}

// manifestEntry is one file of an evidence folder.
type manifestEntry struct {
	LSID   string `json:"lsid"`
	File   string `json:"file"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

type manifest struct {
	Ticket   string          `json:"ticket"`
	Created  string          `json:"created"`
	Sessions []string        `json:"sessions"`
	Files    []manifestEntry `json:"files"`
	Skipped  []string        `json:"skipped,omitempty"`
}

func (e *env) ticket(c *cli.Context) error {
	if c.NArg() != 1 || c.Args().First() == "" {
		return cliutil.Usage("give the ticket: brcsapi ticket KEY")
	}
	key := c.Args().First()
	var sessions iter.Seq2[*reporting.Session, error]
	var arch *archive.Archive // set with --db: downloaded recordings are recorded there too
	var cl *appliance.Client
	var err error
	dir := c.String("output")
	if c.String("db") == "" || (dir != "" && !c.Bool("no-recordings")) {
		if cl, err = e.client(c, true); err != nil {
			return err
		}
	}
	if dsn := c.String("db"); dsn != "" {
		a, err := e.openArchive(c, dsn)
		if err != nil {
			return err
		}
		defer a.Close()
		arch = a
		rows, err := a.Find(c.Context, archive.Filter{ExternalKey: key})
		if err != nil {
			return cliutil.Refused(err)
		}
		sessions = func(yield func(*reporting.Session, error) bool) {
			for _, r := range rows {
				if !yield(a.Session(c.Context, r.LSID)) {
					return
				}
			}
		}
	} else {
		ws, err := e.windows(c, reporting.AccessSessionListing)
		if err != nil {
			return err
		}
		var ids []string
		listing := reporting.Ranged(ws, func(s *reporting.SessionSummary) string { return s.LSID }, nil, func(w reporting.Window) iter.Seq2[*reporting.SessionSummary, error] {
			return cl.Listing(c.Context, w.Query, reporting.Options{})
		})
		for s, err := range listing {
			if err != nil {
				return cliutil.Refused(err)
			}
			if s.ExternalKey == key {
				ids = append(ids, s.LSID)
			}
		}
		var ws2 []reporting.Window
		for _, ch := range chunks(ids, lsidsPerRequest) {
			ws2 = append(ws2, reporting.Window{Query: reporting.ByLSIDs(ch...)})
		}
		sessions = reporting.Ranged(ws2, lsidOf, reporting.OnEdge, func(w reporting.Window) iter.Seq2[*reporting.Session, error] {
			return cl.Sessions(c.Context, w.Query, reporting.Options{})
		})
	}
	if dir == "" {
		return e.ticketList(c, sessions)
	}
	return e.evidence(c, cl, arch, key, dir, sessions)
}

func (e *env) ticketList(c *cli.Context, sessions iter.Seq2[*reporting.Session, error]) error {
	var rows []map[string]any
	tw := bufio.NewWriter(e.Stdout)
	defer tw.Flush()
	for s, err := range sessions {
		if err != nil {
			return cliutil.Refused(err)
		}
		host, rep := "", ""
		if s.PrimaryCustomer != nil {
			host = s.PrimaryCustomer.Name
		}
		if s.PrimaryRep != nil {
			rep = s.PrimaryRep.Name
		}
		if c.Bool("json") {
			rows = append(rows, map[string]any{"lsid": s.LSID, "start": s.StartTime, "end": s.EndTime, "host": host, "rep": rep, "has_recording": s.HasRecording(), "shells": len(s.ShellRecordings)})
			continue
		}
		end := "running"
		if s.EndTime.Valid {
			end = s.EndTime.Time().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.LSID, s.StartTime.Time().Format(time.RFC3339), end, host, rep)
	}
	if c.Bool("json") {
		tw.Flush()
		if rows == nil {
			rows = []map[string]any{}
		}
		return e.printJSON(rows)
	}
	return nil
}

// hashFile returns a file's size and SHA-256.
func hashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return n, hex.EncodeToString(h.Sum(nil)), err
}

func (e *env) evidence(c *cli.Context, cl *appliance.Client, arch *archive.Archive, key, dir string, sessions iter.Seq2[*reporting.Session, error]) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return cliutil.Usage("-o %s: %v", dir, err)
	}
	m := manifest{Ticket: key, Created: e.Now().UTC().Format(time.RFC3339), Sessions: []string{}, Files: []manifestEntry{}}
	add := func(lsid, path string) error {
		size, sum, err := hashFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		m.Files = append(m.Files, manifestEntry{lsid, filepath.ToSlash(rel), size, sum})
		return nil
	}
	for s, err := range sessions {
		if err != nil {
			return cliutil.Refused(err)
		}
		sdir := filepath.Join(dir, s.LSID)
		if err := os.MkdirAll(sdir, 0o750); err != nil {
			return cliutil.Refused(err)
		}
		m.Sessions = append(m.Sessions, s.LSID)
		js, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return err
		}
		if err := fsutil.WriteFileAtomic(filepath.Join(sdir, "session.json"), append(js, '\n'), 0o640); err != nil {
			return cliutil.Refused(err)
		}
		if err := add(s.LSID, filepath.Join(sdir, "session.json")); err != nil {
			return cliutil.Refused(err)
		}
		out, err := e.openOutput(filepath.Join(sdir, "events.csv"))
		if err != nil {
			return err
		}
		w, _ := export.Sessions(out, "csv", true)
		err = w.Write(s)
		if err == nil {
			err = w.Close()
		}
		if err := out.finish(err); err != nil {
			return cliutil.Refused(err)
		}
		if err := add(s.LSID, filepath.Join(sdir, "events.csv")); err != nil {
			return cliutil.Refused(err)
		}
		if c.Bool("no-recordings") {
			continue
		}
		var qs []reporting.Query
		if s.HasRecording() {
			qs = append(qs, reporting.ByLSID(reporting.AccessSessionRecording, s.LSID))
		}
		for _, r := range s.ShellRecordings {
			qs = append(qs, reporting.ShellRecordingOf(s.LSID, r.Instance, false), reporting.ShellRecordingOf(s.LSID, r.Instance, true))
		}
		for _, q := range qs {
			path, d, err := cl.SaveRecording(c.Context, q, sdir)
			if appliance.IsExpired(err) {
				fmt.Fprintf(e.Stderr, "%s: warning: %s: the recording has expired on the appliance; skipped\n", name, s.LSID)
				m.Skipped = append(m.Skipped, fmt.Sprintf("%s: %s expired", s.LSID, q.Report))
				continue
			}
			if err != nil {
				return cliutil.Refused(err)
			}
			if err := add(s.LSID, path); err != nil {
				return cliutil.Refused(err)
			}
			if arch != nil && q.Format == "" {
				kind, inst := "session", 0
				if q.Instance != nil {
					kind, inst = "shell", *q.Instance
				}
				if err := arch.SetRecording(c.Context, s.LSID, kind, inst, path, d.Size, d.SHA256); err != nil {
					return cliutil.Refused(err)
				}
			}
		}
	}
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, "manifest.json"), append(mj, '\n'), 0o640); err != nil {
		return cliutil.Refused(err)
	}
	fmt.Fprintf(e.Stdout, "%d sessions, %d files in %s (manifest.json)\n", len(m.Sessions), len(m.Files), dir)
	return nil
}
