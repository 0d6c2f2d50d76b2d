package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/gen"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

var batchModes = []string{"script", "command", "url", "fetch"}

// MaxCSV is the largest --csv file read, in bytes; a larger one is an
// error, never cut (cutting changes the last row's last value).
const MaxCSV = 64 << 20

// maxRate is the appliance's published API rate limit per account.
const maxRate = 20

func batchCommand(e *env) *cli.Command {
	flags := append(append(commonFlags(), fetchFlags(false)...),
		&cli.StringFlag{Name: "csv", Required: true, Usage: "the rows: a header naming flags (hostname, tag, method, external-key, ...), custom.NAME for custom fields, and optionally output and name"},
		&cli.StringFlag{Name: "mode", Value: "script", Usage: "what each row makes: " + strings.Join(batchModes, ", ")},
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

// rowResult is what one row came to.
type rowResult struct {
	line string // for command and url
	path string // for script and fetch
	err  error
	// warnings are the validator's about a fetched answer.
	warnings []brcs.Diagnostic
}

func runBatch(c *cli.Context, e *env) error {
	cat, err := lookup(c)
	if err != nil {
		return err
	}
	mode := c.String("mode")
	if !slices.Contains(batchModes, mode) {
		return cliutil.Usage("--mode takes %s, not %q", strings.Join(batchModes, ", "), mode)
	}
	if c.Float64("rate") <= 0 || c.Float64("rate") > maxRate {
		return cliutil.Usage("--rate takes a number above 0 and at most %d", maxRate)
	}
	if site := c.String("site"); site != "" && !brcs.IsSiteName(site) {
		return cliutil.Usage("--site %q: a site name is letters, digits, '-' and '_'", site)
	}
	rows, header, err := readCSV(c.String("csv"))
	if err != nil {
		return cliutil.Usage("%v", err)
	}
	if slices.Contains(header, "output") && (mode == "command" || mode == "url") {
		return cliutil.Usage("the output column is for --mode script and fetch; command and url print one line a row")
	}
	var (
		appliance *gen.Appliance
		f         *gen.Fetcher
	)
	if mode == "url" || mode == "fetch" {
		if c.String("appliance") == "" {
			return cliutil.Usage("--mode %s needs --appliance https://HOST", mode)
		}
		if f, appliance, err = fetcher(c, gen.NewLimiter(c.Float64("rate"))); err != nil {
			return err
		}
	}
	jobs := c.Int("jobs")
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
		if mode == "fetch" {
			jobs = 4
		}
	}
	showProgress := c.String("progress") == "always" || c.String("progress") == "auto" && cliutil.IsTerminal(e.Stderr)

	// Output paths are claimed before any row runs, so two rows never
	// write one file.
	claimed := map[string]int{}
	results := make([]rowResult, len(rows))
	work := func(ctx context.Context, i int) rowResult {
		row := rows[i]
		cmd, err := rowCommand(row)
		if err != nil {
			return rowResult{err: err}
		}
		switch mode {
		case "command":
			if err := cmd.Check(cat); err != nil {
				return rowResult{err: err}
			}
			return rowResult{line: cmd.Encode()}
		case "url":
			link, err := gen.Link(appliance, cat, cmd)
			return rowResult{line: link, err: err}
		}
		dest := results[i].path
		var script []byte
		var warnings []brcs.Diagnostic
		if mode == "script" {
			script, err = gen.Script(cat, gen.ScriptOptions{Login: &gen.Login{}, NoDelete: c.Bool("no-delete"), CRLF: c.Bool("crlf")}, cmd)
		} else {
			var got *gen.Fetched
			if got, err = f.Fetch(ctx, appliance, cat, cmd); err == nil {
				script, warnings = got.Script, got.Warnings
			}
		}
		if err != nil {
			return rowResult{err: err}
		}
		if err := checkOutput(c.String("out-dir"), dest); err != nil {
			return rowResult{err: err}
		}
		perm := os.FileMode(0o644)
		if gen.HoldsSecret(cat, script) { // judged from what is written
			perm = 0o600
		}
		if err := fsutil.WriteFileAtomic(dest, script, perm); err != nil {
			return rowResult{err: err}
		}
		return rowResult{path: dest, warnings: warnings}
	}
	for i, row := range rows {
		if mode != "script" && mode != "fetch" {
			continue
		}
		cmd, cmdErr := rowCommand(row)
		dest, err := rowDestination(c, row, cmd, cmdErr)
		if err == nil {
			if j, dup := claimed[dest]; dup {
				err = fmt.Errorf("writes %s, as row %d does", dest, j+1)
			}
		}
		if err != nil {
			results[i].err = err
			continue
		}
		claimed[dest] = i
		results[i].path = dest
	}
	if mode == "script" || mode == "fetch" {
		if err := os.MkdirAll(c.String("out-dir"), 0o755); err != nil {
			return cliutil.Usage("--out-dir: %v", err)
		}
	}

	// An interrupt (SIGINT, SIGTERM) stops handing out rows and cancels
	// fetches; rows under way finish or fail through WriteFileAtomic, which
	// removes its temporary file, so no .tmp- file is left behind.
	ctx, stop := interruptible(c.Context)
	defer stop()
	var (
		wg   sync.WaitGroup
		next = make(chan int)
		done = make(chan int)
	)
	for range min(jobs, max(1, len(rows))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if results[i].err == nil {
					if ctx.Err() != nil {
						results[i] = rowResult{err: errInterrupted}
					} else {
						results[i] = work(ctx, i)
					}
				}
				done <- i
			}
		}()
	}
	go func() {
		for i := range rows {
			select {
			case next <- i:
			case <-ctx.Done():
				for j := i; j < len(rows); j++ {
					results[j] = rowResult{err: errInterrupted}
				}
				close(next)
				wg.Wait()
				close(done)
				return
			}
		}
		close(next)
		wg.Wait()
		close(done)
	}()
	finished, shown := 0, -1
	for range done {
		finished++
		// Redraw when the percentage moves: at most about 100 times.
		if pct := finished * 100 / max(1, len(rows)); showProgress && pct != shown {
			shown = pct
			progress(e.Stderr, finished, len(rows))
		}
	}
	if showProgress {
		fmt.Fprintln(e.Stderr)
	}

	refusedRows := 0
	var report strings.Builder
	for i, r := range results {
		if r.err != nil {
			refusedRows++
			fmt.Fprintf(&report, "  row %d (line %d): %s\n", i+1, i+2, textsafe.EscapeLines(r.err.Error()))
			continue
		}
		for _, d := range r.warnings {
			fmt.Fprintf(&report, "  row %d (line %d): warning: the appliance's answer, line %d: %s [%s]\n", i+1, i+2, d.Start.Line, textsafe.Escape(d.Message), d.Rule)
		}
		if r.line != "" {
			fmt.Fprintln(e.Stdout, r.line)
		}
	}
	fmt.Fprintf(e.Stderr, "%s: batch: %d %s, %d done, %d refused\n%s", name, len(rows), cliutil.Plural(len(rows), "row"), len(rows)-refusedRows, refusedRows, report.String())
	if refusedRows > 0 {
		return cli.Exit("", cliutil.ExitFindings)
	}
	return nil
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

// rowDestination is where a row's script goes: its output column, inside
// --out-dir, or NAME.brcs-SITE named as brcsgen jump would name it.
func rowDestination(c *cli.Context, row map[string]string, cmd gen.Command, cmdErr error) (string, error) {
	if cmdErr != nil {
		return "", cmdErr
	}
	dir := c.String("out-dir")
	if out := row["output"]; out != "" {
		clean := filepath.Clean(filepath.FromSlash(out))
		if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) || filepath.VolumeName(clean) != "" {
			return "", fmt.Errorf("output %q leaves --out-dir; give a path inside it", out)
		}
		dest := filepath.Join(dir, clean)
		return dest, checkOutput(dir, dest)
	}
	site := c.String("site")
	if site == "" {
		return "", errors.New("no output column and no --site to name the file NAME.brcs-SITE")
	}
	return filepath.Join(dir, nameFor(row["name"], cmd)+".brcs-"+site), nil
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

func progress(w io.Writer, done, total int) {
	const width = 30
	filled := width * done / max(1, total)
	fmt.Fprintf(w, "\r[%s%s] %d/%d rows", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total)
}
