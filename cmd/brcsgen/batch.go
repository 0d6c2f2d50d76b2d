package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/gen"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
	"github.com/brcs-toolkit/brcs/internal/progress"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// batchModes are gen's, as words for the flag and its completion.
var batchModes = func() []string {
	var out []string
	for _, m := range gen.BatchModes {
		out = append(out, string(m))
	}
	return out
}()

// batchFormats are what --format writes on standard output.
var batchFormats = []string{"plain", "tsv", "csv", "jsonl"}

// MaxCSV is the largest --csv file read, in bytes; a larger one is an
// error, never cut (cutting changes the last row's last value).
const MaxCSV = 64 << 20

// maxRate is the appliance's published API rate limit per account.
const maxRate = appliance.DefaultRate

func batchCommand(e *env) *cli.Command {
	flags := append(append(commonFlags(), fetchFlags(false)...),
		&cli.StringFlag{Name: "csv", Required: true, Usage: "the rows: a header naming flags (hostname, tag, method, external-key, ...), custom.NAME for custom fields, and optionally output and name"},
		&cli.StringFlag{Name: "mode", Value: "script", Usage: "what each row makes: " + strings.Join(batchModes, ", ")},
		&cli.StringFlag{Name: "format", Value: "plain", Usage: "what standard output gets: plain (one command or link a line, an empty line for a row that made none), or tsv, csv or jsonl (one record a row: row, key, status, the command, link or path, error)"},
		&cli.StringFlag{Name: "key", Usage: "the column that names each row in --format output (default: external-key, else hostname, when the CSV has it)"},
		&cli.StringFlag{Name: "out-dir", Value: ".", Usage: "the folder scripts are written in (a row's output is relative to it)"},
		&cli.StringFlag{Name: "site", Usage: "the company site name, to name files NAME.brcs-SITE"},
		&cli.BoolFlag{Name: "crlf", Usage: "end lines with \\r\\n"},
		&cli.BoolFlag{Name: "no-delete", Usage: "leave out the final delete_script_file"},
		&cli.Float64Flag{Name: "rate", Value: maxRate, Usage: fmt.Sprintf("fetch requests a second, at most %d (the appliance's limit per API account)", maxRate)},
		&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "rows worked on at once", DefaultText: "4 for fetch, one per CPU otherwise"},
		&cli.StringFlag{Name: "progress", Value: "auto", Usage: "progress bar on standard error: auto (on a terminal), always or never"},
	)
	return &cli.Command{
		Name:  "batch",
		Usage: "one script, command or link per row of a CSV file; a bad row never stops the others",
		Flags: flags,
		Action: func(c *cli.Context) error {
			return runBatch(c, e)
		},
	}
}

// runBatch reads the flags and the CSV into a gen.Batch, runs it and
// prints what it came to.
func runBatch(c *cli.Context, e *env) error {
	b, format, err := readBatch(c)
	if err != nil {
		return err
	}
	var bar *progress.Line
	if c.String("progress") == "always" || c.String("progress") == "auto" && e.Terminal(e.Stderr) {
		b.Progress = func(done, total int) {
			if bar == nil { // the total is known once the rows are read
				bar = progress.New(e.Stderr, "", progress.Options{Total: int64(total), Unit: "rows", Now: e.Now})
			}
			bar.Set(int64(done))
		}
	}
	rep, err := b.Run(c.Context)
	if err != nil {
		return cliutil.Usage("%v", err)
	}
	if bar != nil {
		bar.Done()
	}
	if err := printResults(e.Stdout, format, b.Mode, rep); err != nil {
		return cliutil.Refused(fmt.Errorf("writing the results: %v", err))
	}
	fmt.Fprint(e.Stderr, batchSummary(rep))
	switch {
	case cliutil.InterruptedBy(c.Context) != nil:
		return cli.Exit("", cliutil.ExitInterrupted) // cliutil.Exit says which signal
	case rep.Refused > 0 || rep.NotAttempted > 0:
		return cli.Exit("", cliutil.ExitFindings)
	}
	return nil
}

// readBatch checks the flags and reads the CSV's rows.
func readBatch(c *cli.Context) (*gen.Batch, string, error) {
	cat, err := lookup(c)
	if err != nil {
		return nil, "", err
	}
	b := &gen.Batch{Mode: gen.BatchMode(c.String("mode")), Catalogue: cat, NoDelete: c.Bool("no-delete"), CRLF: c.Bool("crlf"),
		OutDir: c.String("out-dir"), Site: c.String("site"), Jobs: c.Int("jobs")}
	format := c.String("format")
	switch {
	case !slices.Contains(batchModes, string(b.Mode)):
		return nil, "", cliutil.Usage("--mode takes %s, not %q", strings.Join(batchModes, ", "), b.Mode)
	case !slices.Contains(batchFormats, format):
		return nil, "", cliutil.Usage("--format takes %s, not %q", strings.Join(batchFormats, ", "), format)
	case c.Float64("rate") <= 0 || c.Float64("rate") > maxRate:
		return nil, "", cliutil.Usage("--rate takes a number above 0 and at most %d", maxRate)
	case b.Site != "" && !brcs.IsSiteName(b.Site):
		return nil, "", cliutil.Usage("--site %q: a site name is letters, digits, '-' and '_'", b.Site)
	}
	rows, header, err := readCSV(c.String("csv"))
	if err != nil {
		return nil, "", cliutil.Usage("%v", err)
	}
	if slices.Contains(header, "output") && (b.Mode == gen.BatchCommand || b.Mode == gen.BatchURL) {
		return nil, "", cliutil.Usage("the output column is for --mode script and fetch; command and url print one line a row")
	}
	key := c.String("key")
	switch {
	case key != "" && !slices.Contains(header, key):
		return nil, "", cliutil.Usage("--key %s: the CSV has no such column (it has %s)", textsafe.Quote(key), strings.Join(header, ", "))
	case key == "" && slices.Contains(header, "external-key"):
		key = "external-key"
	case key == "" && slices.Contains(header, "hostname"):
		key = "hostname"
	}
	if b.Mode == gen.BatchURL || b.Mode == gen.BatchFetch {
		if c.String("appliance") == "" {
			return nil, "", cliutil.Usage("--mode %s needs --appliance https://HOST", b.Mode)
		}
		if b.Appliance, err = address(c); err != nil {
			return nil, "", err
		}
		if b.Mode == gen.BatchFetch {
			if b.Fetcher, err = fetcher(c, c.Float64("rate")); err != nil {
				return nil, "", err
			}
		}
	}
	for _, row := range rows {
		cmd, err := rowCommand(row)
		b.Rows = append(b.Rows, gen.BatchRow{Key: row[key], Command: cmd, Err: err, Output: row["output"], Name: row["name"]})
	}
	return b, format, nil
}

// rowCommand is the jump a CSV row describes.
func rowCommand(row map[string]string) (gen.Command, error) {
	var customs []string
	for k, v := range row {
		if n, ok := strings.CutPrefix(k, "custom."); ok && v != "" {
			customs = append(customs, n+"="+v)
		}
	}
	return jumpCommand(func(f string) string { return row[f] }, customs)
}

// readCSV reads a CSV file whose header names flags; it refuses unknown
// columns.
func readCSV(path string) ([]map[string]string, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fsutil.ReadError("the --csv file", path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, nil, fsutil.ReadError("the --csv file", path, syscall.EISDIR)
	}
	r := csv.NewReader(fsutil.CappedReader(f, MaxCSV, path))
	r.FieldsPerRecord = 0
	header, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: no header row: %v", path, err)
	}
	known := map[string]bool{"output": true, "name": true}
	for _, s := range jumpSpecs() {
		if !s.Prefix {
			known[s.Flag] = true
		}
	}
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		header[i] = h
		if !known[h] && !(strings.HasPrefix(h, "custom.") && len(h) > len("custom.")) {
			return nil, nil, fmt.Errorf("%s: unknown column %q (known: %s, custom.NAME)", path, h, strings.Join(slices.Sorted(maps.Keys(known)), ", "))
		}
		if seen[h] {
			return nil, nil, fmt.Errorf("%s: column %q is given twice", path, h)
		}
		seen[h] = true
	}
	var rows []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var tl *fsutil.TooLargeError
		if errors.As(err, &tl) {
			return nil, nil, tl
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", path, err)
		}
		row := map[string]string{}
		for i, v := range rec {
			row[header[i]] = v
		}
		rows = append(rows, row)
	}
	return rows, header, nil
}
