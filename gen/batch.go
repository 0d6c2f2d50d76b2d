package gen

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// BatchMode is what each row of a batch makes.
type BatchMode string

// The batch modes.
const (
	// BatchScript writes a script file per row.
	BatchScript BatchMode = "script"
	// BatchCommand makes one command per row, the form --run-script takes.
	BatchCommand BatchMode = "command"
	// BatchURL makes one client scripting API link per row.
	BatchURL BatchMode = "url"
	// BatchFetch asks the appliance for each row's script and writes it.
	BatchFetch BatchMode = "fetch"
)

// BatchModes lists the modes.
var BatchModes = []BatchMode{BatchScript, BatchCommand, BatchURL, BatchFetch}

// writes reports whether the mode writes a file per row.
func (m BatchMode) writes() bool { return m == BatchScript || m == BatchFetch }

// BatchRow is one row of a batch.
type BatchRow struct {
	// Key names the row in every line of output (a ticket number, a host
	// name), so that no result can be taken for another row's.
	Key string
	// Command is what the row makes.
	Command Command
	// Err, when set, is why the row could not be read into a command (a
	// bad cell): the row is refused with it.
	Err error
	// Output is where the file of a script or fetch row goes: a path
	// inside Batch.OutDir, '/' or the system's separator between folders.
	// "" names it NAME.brcs-SITE.
	Output string
	// Name is the NAME of NAME.brcs-SITE ("": see ScriptName).
	Name string
}

// Batch is one script, command or link per row; a bad row never stops
// the others. Run it with Run.
type Batch struct {
	Mode      BatchMode
	Catalogue *brcs.Catalogue
	Rows      []BatchRow
	// NoDelete and CRLF shape the scripts of BatchScript (see
	// ScriptOptions); every script starts with a bare login.
	NoDelete, CRLF bool
	// OutDir is the folder files are written in (script and fetch),
	// created when missing.
	OutDir string
	// Site names the file of a row without Output: NAME.brcs-SITE.
	Site string
	// Appliance is the address the links of BatchURL start with.
	Appliance appliance.Address
	// Fetcher asks the appliance, for BatchFetch; its client's rate limit
	// spaces the requests out.
	Fetcher *Fetcher
	// Jobs is how many rows are worked on at once (0: one per CPU, or 4
	// for BatchFetch).
	Jobs int
	// Progress, when set, is called each time a row is finished, from one
	// goroutine, with the count finished so far.
	Progress func(done, total int)
}

// RowResult is what one row came to.
type RowResult struct {
	// Row is the row's number, from 1 (its CSV line is Row+1).
	Row int
	// Key is the row's Key.
	Key string
	// Text is the command or the link (command and url modes).
	Text string
	// Path is the file written (script and fetch modes), "" when none was.
	Path string
	// Warnings are the validator's about a fetched answer.
	Warnings []brcs.Diagnostic
	// Err is why the row made nothing; nil when it is done.
	Err error
	// Attempted is false for a row that the batch never worked on, or
	// whose work the stop broke off (see BatchReport.Stopped).
	Attempted bool
}

// Done reports whether the row made what it was to make.
func (r RowResult) Done() bool { return r.Attempted && r.Err == nil }

// BatchReport is what a batch came to, row by row in the rows' order.
type BatchReport struct {
	Results []RowResult
	// Done, Refused and NotAttempted count the rows: made, refused (Err),
	// and never worked on.
	Done, Refused, NotAttempted int
	// Stopped, when set, is why rows were not attempted: the context's
	// cause (an interrupt: see context.Cause) or a write that no later row
	// could make either (a full or read-only file system).
	Stopped error
}

// UnwritableError is a folder that files cannot be written into. Every
// row whose file goes there carries the same *UnwritableError, so that
// it is said once.
type UnwritableError struct {
	// Path is the first file asked for in that folder.
	Path string
	// Rows is how many rows' files go there.
	Rows int
	Err  error
}

func (e *UnwritableError) Error() string {
	s := "cannot write " + e.Path
	if e.Rows > 1 {
		s += fmt.Sprintf(" (nor the %d other files in %s)", e.Rows-1, filepath.Dir(e.Path))
	}
	return s + ": " + fsutil.Reason(e.Err)
}

func (e *UnwritableError) Unwrap() error { return e.Err }

// ErrNotAttempted is the Err of a row the batch never worked on.
var ErrNotAttempted = errors.New("not attempted")

// Run runs the batch: it checks the rows' commands, claims every output
// path before any row runs (two rows never write one file; a path
// leaving OutDir, a dot-file, a name read as an option or needing
// escaping, or a symbolic link out of OutDir is refused), checks once
// per folder that files can be written there, then works on Jobs rows at
// once, writing each file atomically (0600 when it holds a password).
//
// When ctx ends (an interrupt), no further row is started, fetches under
// way are cancelled, and the rows left are reported not attempted; no
// temporary file is left. A write that fails for a reason no later row
// escapes (no space, a read-only file system) stops the batch the same
// way. Run's error is for a batch that cannot start (an unknown mode, a
// missing appliance); a row's failure is in its RowResult.
func (b *Batch) Run(ctx context.Context) (*BatchReport, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	results := make([]RowResult, len(b.Rows))
	for i, r := range b.Rows {
		results[i] = RowResult{Row: i + 1, Key: r.Key, Err: r.Err, Attempted: r.Err != nil}
	}
	if b.Mode.writes() {
		b.claim(results)
		b.checkFolders(results)
	}
	stopped := b.work(ctx, results)
	rep := &BatchReport{Results: results, Stopped: stopped}
	for _, r := range results {
		switch {
		case !r.Attempted:
			rep.NotAttempted++
		case r.Err != nil:
			rep.Refused++
		default:
			rep.Done++
		}
	}
	return rep, nil
}

func (b *Batch) check() error {
	switch {
	case !slices.Contains(BatchModes, b.Mode):
		return fmt.Errorf("unknown batch mode %q", b.Mode)
	case b.Catalogue == nil:
		return errors.New("no catalogue")
	case b.Mode == BatchURL && b.Appliance.Host == "":
		return errors.New("the url mode needs the appliance's address")
	case b.Mode == BatchFetch && b.Fetcher == nil:
		return errors.New("the fetch mode needs a Fetcher")
	case b.Site != "" && !brcs.IsSiteName(b.Site):
		return fmt.Errorf("site %q: a site name is letters, digits, '-' and '_'", b.Site)
	}
	if !b.Mode.writes() {
		for _, r := range b.Rows {
			if r.Output != "" {
				return fmt.Errorf("an output file is for the script and fetch modes; %s prints one line a row", b.Mode)
			}
		}
	}
	return nil
}

// claim gives each row its file, in row order, refusing a second claim.
func (b *Batch) claim(results []RowResult) {
	claimed := map[string]int{}
	for i, r := range b.Rows {
		if results[i].Err != nil {
			continue
		}
		dest, err := b.destination(r)
		if err == nil {
			if j, dup := claimed[dest]; dup {
				err = fmt.Errorf("writes %s, as row %d does", dest, j+1)
			}
		}
		if err != nil {
			results[i].Err, results[i].Attempted = err, true
			continue
		}
		claimed[dest] = i
		results[i].Path = dest
	}
}

// destination is where a row's script goes: its Output inside OutDir,
// else OutDir/NAME.brcs-SITE.
func (b *Batch) destination(r BatchRow) (string, error) {
	if r.Output != "" {
		clean := filepath.Clean(filepath.FromSlash(r.Output))
		if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) || filepath.VolumeName(clean) != "" {
			return "", fmt.Errorf("output %q leaves --out-dir; give a path inside it", r.Output)
		}
		dest := filepath.Join(b.OutDir, clean)
		return dest, checkOutput(b.OutDir, dest)
	}
	if b.Site == "" {
		return "", errors.New("no output column and no --site to name the file NAME.brcs-SITE")
	}
	return filepath.Join(b.OutDir, ScriptName(r.Name, r.Command)+".brcs-"+b.Site), nil
}

// checkFolders makes each claimed file's folder and checks, once per
// folder, that a file can be created there; every row of a folder that
// cannot take one carries the same *UnwritableError.
func (b *Batch) checkFolders(results []RowResult) {
	var order []string
	rows := map[string][]int{}
	for i, r := range results {
		if r.Err == nil && r.Path != "" {
			d := filepath.Dir(r.Path)
			if _, seen := rows[d]; !seen {
				order = append(order, d)
			}
			rows[d] = append(rows[d], i)
		}
	}
	for _, d := range order {
		is := rows[d]
		err := os.MkdirAll(d, 0o755)
		if err == nil {
			var probe *os.File
			if probe, err = os.CreateTemp(d, ".brcsgen-check-*"); err == nil {
				probe.Close()
				os.Remove(probe.Name())
			}
		}
		if err == nil {
			continue
		}
		ue := &UnwritableError{Path: results[is[0]].Path, Rows: len(is), Err: err}
		for _, i := range is {
			results[i].Err, results[i].Attempted, results[i].Path = ue, true, ""
		}
	}
}

// work hands the rows still to make to the workers, in order, until they
// are done or the batch stops; it returns why it stopped early.
func (b *Batch) work(ctx context.Context, results []RowResult) error {
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	jobs := b.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
		if b.Mode == BatchFetch {
			jobs = 4
		}
	}
	// Rows refused before any work count as finished from the start.
	done := 0
	for _, r := range results {
		if r.Attempted {
			done++
		}
	}
	if b.Progress != nil && done > 0 {
		b.Progress(done, len(results))
	}
	var (
		wg       sync.WaitGroup
		next     = make(chan int)
		finished = make(chan struct{})
	)
	for range min(jobs, max(1, len(results))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r := &results[i]
				if ctx.Err() != nil {
					finished <- struct{}{} // stopped while handed over: not attempted
					continue
				}
				r.Attempted = true
				r.Text, r.Path, r.Warnings, r.Err = b.make(ctx, b.Rows[i], r.Path)
				if r.Err != nil && ctx.Err() != nil && (errors.Is(r.Err, context.Canceled) || errors.Is(r.Err, context.Cause(ctx))) {
					r.Attempted, r.Err = false, ErrNotAttempted // broken off by the stop
				} else if fatal(r.Err) {
					stop(r.Err)
				}
				finished <- struct{}{}
			}
		}()
	}
	go func() {
		defer close(finished)
		defer wg.Wait()
		defer close(next)
		for i := range results {
			if results[i].Attempted {
				continue // refused before any work
			}
			if ctx.Err() != nil {
				return // select would pick at random between the two
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range finished {
		done++
		if b.Progress != nil {
			b.Progress(done, len(results))
		}
	}
	for i := range results {
		if !results[i].Attempted {
			results[i].Err, results[i].Path = ErrNotAttempted, ""
		}
	}
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return nil
}

// fatal reports whether a write failed for a reason that every later
// write shares: the file system is full or read-only.
func fatal(err error) bool {
	var we *fsutil.WriteError
	if !errors.As(err, &we) {
		return false
	}
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EROFS) || errors.Is(err, syscall.EDQUOT)
}

// make makes one row: its text (command, url) or its file at dest.
func (b *Batch) make(ctx context.Context, r BatchRow, dest string) (text, path string, warnings []brcs.Diagnostic, err error) {
	switch b.Mode {
	case BatchCommand:
		if err := r.Command.Check(b.Catalogue); err != nil {
			return "", "", nil, err
		}
		return r.Command.Encode(), "", nil, nil
	case BatchURL:
		link, err := Link(b.Appliance, b.Catalogue, r.Command)
		return link, "", nil, err
	}
	var script []byte
	if b.Mode == BatchScript {
		script, err = Script(b.Catalogue, ScriptOptions{Login: &Login{}, NoDelete: b.NoDelete, CRLF: b.CRLF}, r.Command)
	} else {
		var got *Fetched
		if got, err = b.Fetcher.Fetch(ctx, b.Catalogue, r.Command); err == nil {
			script, warnings = got.Script, got.Warnings
		}
	}
	if err != nil {
		return "", "", nil, err
	}
	if err := checkOutput(b.OutDir, dest); err != nil {
		return "", "", nil, err
	}
	perm := fs.FileMode(0o644)
	if HoldsSecret(b.Catalogue, script) { // judged from what is written
		perm = 0o600
	}
	if err := fsutil.WriteFileAtomic(dest, script, perm); err != nil {
		return "", "", nil, err
	}
	return "", dest, warnings, nil
}

// ScriptName picks the NAME of NAME.brcs-SITE for c: given, else the
// external key, the host name or the search string, else the action;
// reduced to letters, digits, '.', '_' and '-' so that it names a file
// and never a path, an option or a dot-file.
func ScriptName(given string, c Command) string {
	if given != "" {
		return safeName(given)
	}
	for _, key := range []string{"session.custom.external_key", "client.hostname", "search_string"} {
		for _, p := range c.Params {
			if p.Key == key && p.Value != "" {
				return safeName(p.Value)
			}
		}
	}
	return strings.TrimPrefix(strings.TrimSuffix(strings.TrimSuffix(c.Action, "_item_session"), "_session"), "start_")
}

func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	// Never a dot-file, never a name that reads as an option.
	n := strings.TrimLeft(strings.Trim(b.String(), "."), ".-")
	if n == "" {
		n = "script"
	}
	return n
}

// checkOutput refuses a row's output path (outside input) that could
// harm: a part that fsutil.CheckName refuses (a name that reads as an
// option, a dot-file, a name that needs escaping to be shown, a reserved
// Windows name), or a folder that is a symbolic link leading out of
// outDir. It is checked when rows are claimed and again just before the
// write.
func checkOutput(outDir, dest string) error {
	rel, err := filepath.Rel(outDir, dest)
	if err != nil {
		return err
	}
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		// The same rule as for a name an appliance suggests: a file named
		// with a new line, ESC or invisible characters attacks whatever
		// lists it.
		if err := fsutil.CheckName(part); err != nil {
			return fmt.Errorf("output %s: %v; refused", textsafe.Quote(rel), err)
		}
	}
	root, err := filepath.EvalSymlinks(outDir)
	if err != nil {
		return nil // the out-dir is made later; nothing in it yet to follow
	}
	// The nearest folder on the way that exists: a link there would take
	// the folders still to be made, and the file, out of outDir.
	parent, err := existingAncestor(filepath.Dir(dest), outDir)
	if err != nil {
		return nil // nothing on the way exists: it is made, or the write says why not
	}
	if r, err := filepath.Rel(root, parent); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return fmt.Errorf("output %s: its folder is a symbolic link leading out of --out-dir (to %s); refused", textsafe.Quote(rel), textsafe.Quote(parent))
	}
	if fi, err := os.Lstat(dest); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("output %s is a symbolic link; refused", textsafe.Quote(rel))
	}
	return nil
}

// existingAncestor resolves the links of dir, or of its nearest ancestor
// that exists, up to stop (outDir, which exists by then).
func existingAncestor(dir, stop string) (string, error) {
	for {
		p, err := filepath.EvalSymlinks(dir)
		if err == nil || !errors.Is(err, fs.ErrNotExist) || dir == stop {
			return p, err
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", err
		}
		dir = up
	}
}
