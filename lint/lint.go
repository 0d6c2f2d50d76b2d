// Package lint runs the brcs validator over files, folders, standard input
// and command strings the way brcslint does: it finds the inputs, resolves
// each one's settings from config layers and flags, checks inputs in
// parallel, filters and re-grades the findings, and fixes files in place.
// It adds no rule of its own: every finding comes from package brcs.
package lint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
)

// Options are one run's settings.
type Options struct {
	// Flags is the command line's layer; it overrides the config's.
	Flags Layer
	// Config is the config file in force, or nil.
	Config *Config
	// Fix rewrites files to their fixed form; Diff computes the fixed form
	// without writing it.
	Fix, Diff bool
	// StdinName names standard input in findings ("-" reads it).
	StdinName string
	// Workers is how many inputs are checked at once (0: one per CPU).
	Workers int
	// MaxSize caps an input's size in bytes (0: brcs.DefaultMaxSize).
	MaxSize int
	// Dir is the folder paths are shown relative to ("" : the working folder).
	Dir string
	// Exclude are globs (relative to the working folder, as a config's
	// paths globs are to its folder) of files and folders a folder walk
	// skips; the config's exclude adds to them.
	Exclude []string
}

// NoScriptsError is a folder given to Collect in which no script was
// found: not a failure to read, but worth saying.
type NoScriptsError struct{ Dir string }

func (e *NoScriptsError) Error() string {
	return fmt.Sprintf("%s holds no script (no *.brcs-SITE, *.brcs or *.brcs.tmpl file)", e.Dir)
}

// skippedDirs are folders a walk never enters besides hidden ones: other
// people's code.
var skippedDirs = map[string]bool{"vendor": true, "node_modules": true, "third_party": true}

// Input is one thing to check.
type Input struct {
	// Path is where to read it; "-" is standard input. Empty for a command.
	Path string
	// Name is how findings name it.
	Name string
	// Command, when Path is empty, is a single command to check.
	Command string
	// Template marks a template (by its name or by --template).
	Template bool
}

// Result is what checking one input found.
type Result struct {
	Input
	// Source is the input as read; Fixed its fixed form when Fix or Diff
	// was asked and fixing changed something (nil otherwise).
	Source, Fixed []byte
	Diagnostics   []brcs.Diagnostic
	// Secrets and FixedSecrets are where Source and Fixed hold secret values.
	Secrets, FixedSecrets []brcs.Span
	// Err is why the input could not be read or written.
	Err error
}

// IsTemplateName reports whether a file name is a script template's.
func IsTemplateName(name string) bool { return strings.HasSuffix(name, ".brcs.tmpl") }

// isScriptName reports whether a folder walk picks up this file: *.brcs,
// *.brcs.tmpl, or *.brcs-SITE where SITE is a site name and nothing else
// (so jump.brcs-support.out, an expected output, is not a script).
func isScriptName(name string) bool {
	if strings.HasSuffix(name, ".brcs") || IsTemplateName(name) {
		return true
	}
	i := strings.LastIndex(name, ".brcs-")
	return i > 0 && brcs.IsSiteName(name[i+len(".brcs-"):])
}

// excluder matches paths against exclude globs, each relative to its own
// folder.
type excluder struct {
	dirs  []string
	globs []string
	res   []*regexp.Regexp
}

func (x *excluder) add(dir string, globs []string) error {
	for _, g := range globs {
		re, err := globRegexp(filepath.ToSlash(g))
		if err != nil {
			return usagef("exclude %q: %v", g, err)
		}
		x.dirs, x.globs, x.res = append(x.dirs, dir), append(x.globs, g), append(x.res, re)
	}
	return nil
}

func (x *excluder) match(path string) bool {
	if len(x.res) == 0 {
		return false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	for i, re := range x.res {
		rel, err := filepath.Rel(x.dirs[i], abs)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		subject := filepath.ToSlash(rel)
		if !strings.Contains(x.globs[i], "/") {
			subject = filepath.Base(rel)
		}
		if re.MatchString(subject) {
			return true
		}
	}
	return false
}

// Collect turns the command line's paths into inputs: files as given,
// folders walked for *.brcs-SITE, *.brcs and *.brcs.tmpl files (skipping
// hidden folders, vendor, node_modules, third_party and what o.Exclude and
// the config's exclude match), "-" for standard input. forceTemplate marks
// every input a template. Paths that cannot be read are returned as
// errors, and so is a folder with no script in it, as a *NoScriptsError.
func Collect(paths []string, forceTemplate bool, o Options) ([]Input, []error) {
	var out []Input
	var errs []error
	var x excluder
	wd, _ := os.Getwd()
	if err := x.add(wd, o.Exclude); err != nil {
		return nil, []error{err}
	}
	if o.Config != nil {
		if err := x.add(o.Config.Dir, o.Config.Exclude); err != nil {
			return nil, []error{err}
		}
	}
	for _, p := range paths {
		if p == "-" {
			name := o.StdinName
			if name == "" {
				name = "<stdin>"
			}
			out = append(out, Input{Path: "-", Name: name, Template: forceTemplate || IsTemplateName(name)})
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !fi.IsDir() {
			out = append(out, Input{Path: p, Name: o.display(p), Template: forceTemplate || IsTemplateName(p)})
			continue
		}
		found := len(out)
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			if d.IsDir() {
				if path != p && (strings.HasPrefix(d.Name(), ".") || skippedDirs[d.Name()] || x.match(path)) {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && isScriptName(d.Name()) && !x.match(path) {
				out = append(out, Input{Path: path, Name: o.display(path), Template: forceTemplate || IsTemplateName(path)})
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
		if len(out) == found {
			errs = append(errs, &NoScriptsError{Dir: p})
		}
	}
	return out, errs
}

// display returns path relative to o.Dir when it lies below it.
func (o Options) display(path string) string {
	dir := o.Dir
	if dir == "" {
		dir, _ = os.Getwd()
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	if rel, err := filepath.Rel(dir, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(path)
}

// Run checks every input, several at once, and returns their results in
// the order of the inputs. stdin is read for the input "-".
func Run(ctx context.Context, inputs []Input, stdin io.Reader, o Options) []Result {
	results := make([]Result, len(inputs))
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(1, len(inputs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = checkOne(ctx, inputs[i], stdin, o)
			}
		}()
	}
	for i := range inputs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}

func checkOne(ctx context.Context, in Input, stdin io.Reader, o Options) Result {
	r := Result{Input: in}
	if err := ctx.Err(); err != nil {
		r.Err = err
		return r
	}
	limit := int64(o.MaxSize)
	if limit <= 0 {
		limit = brcs.DefaultMaxSize
	}
	var err error
	switch {
	case in.Path == "":
		r.Source = []byte(in.Command)
	case in.Path == "-":
		r.Source, err = fsutil.ReadLimit(stdin, limit)
	default:
		r.Source, err = fsutil.ReadFileLimit(in.Path, limit)
	}
	if err != nil {
		r.Err = err
		return r
	}
	st, err := o.settingsFor(in)
	if err != nil {
		r.Err = err
		return r
	}
	r.Diagnostics, r.Secrets, err = st.checkSecrets(in, r.Source, o)
	if err != nil {
		r.Err = err
		return r
	}
	if !o.Fix && !o.Diff {
		return r
	}
	fixed, err := st.fix(in, r.Source, r.Diagnostics, o)
	if err != nil {
		r.Err = err
		return r
	}
	if string(fixed) == string(r.Source) {
		return r
	}
	r.Fixed = fixed
	ds, fixedSecrets, err := st.checkSecrets(in, fixed, o)
	if err != nil {
		r.Err = err
		return r
	}
	r.FixedSecrets = fixedSecrets
	if o.Fix {
		// Report what is left in the fixed text, since that is the file now.
		r.Diagnostics, r.Secrets = ds, r.FixedSecrets
	}
	return r
}

// settings is what applies to one input once every layer is applied.
type settings struct {
	profile  string
	syntax   brcs.Syntax
	template bool
	disabled map[string]bool
	severity map[string]brcs.Severity
	ignore   []*regexp.Regexp
}

func (o Options) settingsFor(in Input) (settings, error) {
	st := settings{syntax: brcs.Mustache, template: in.Template, disabled: map[string]bool{}, severity: map[string]brcs.Severity{}}
	var layers []Layer
	if in.Path != "" && in.Path != "-" {
		if abs, err := filepath.Abs(in.Path); err == nil {
			layers = o.Config.layersFor(abs)
		}
	} else if o.Config != nil {
		layers = []Layer{o.Config.Layer}
	}
	layers = append(layers, o.Flags)
	for _, l := range layers {
		if err := l.Check(); err != nil {
			return st, &UsageError{err}
		}
		if l.Profile != "" {
			st.profile = l.Profile
		}
		if l.TemplateSyntax != "" {
			st.syntax, _ = brcs.ParseSyntax(l.TemplateSyntax)
		}
		if l.Template != nil {
			st.template = *l.Template || in.Template
		}
		for _, r := range l.Enable {
			delete(st.disabled, r)
		}
		for _, r := range l.Disable {
			st.disabled[r] = true
		}
		for r, s := range l.Severity {
			st.severity[r], _ = brcs.ParseSeverity(s)
		}
		for _, re := range l.Ignore {
			st.ignore = append(st.ignore, regexp.MustCompile(re)) // checked above
		}
	}
	return st, nil
}

// checkSecrets is check, and where the script holds secret values, which
// a report must not show.
func (st settings) checkSecrets(in Input, src []byte, o Options) ([]brcs.Diagnostic, []brcs.Span, error) {
	s, ds, err := st.check(in, src, o)
	if err != nil || s == nil { // no script to look in: a command, or text that did not parse
		return ds, nil, err
	}
	cat, _ := brcs.LookupProfile(st.profile)
	return ds, brcs.SecretSpans(s, cat), nil
}

// check validates src and applies the settings to the findings.
func (st settings) check(in Input, src []byte, o Options) (*brcs.Script, []brcs.Diagnostic, error) {
	opts := brcs.Options{Profile: st.profile, MaxSize: o.MaxSize}
	if st.template {
		opts.Template = st.syntax
	}
	var (
		s   *brcs.Script
		ds  []brcs.Diagnostic
		err error
	)
	if in.Path == "" {
		_, ds, err = brcs.CheckCommand(string(src), opts)
		for i := range ds {
			ds[i].File = in.Name
		}
	} else {
		s, ds, err = brcs.Check(in.Name, src, opts)
		if !st.template && (in.Path != "-" || o.StdinName != "") {
			ds = append(ds, brcs.CheckFileName(in.Name)...)
		}
	}
	if err != nil {
		return nil, nil, &UsageError{err}
	}
	return s, st.filter(ds), nil
}

// filter drops disabled and ignored findings and re-grades the rest.
func (st settings) filter(ds []brcs.Diagnostic) []brcs.Diagnostic {
	out := ds[:0]
next:
	for _, d := range ds {
		if st.disabled[d.Rule] {
			continue
		}
		for _, re := range st.ignore {
			if re.MatchString(d.Message) {
				continue next
			}
		}
		if s, ok := st.severity[d.Rule]; ok {
			d.Severity = s
		}
		out = append(out, d)
	}
	brcs.SortDiagnostics(out)
	return out
}

// fix applies the fixes of the findings, checking again between rounds
// since some fixes (an empty line left by removing its '&'s) only show
// once others are made.
func (st settings) fix(in Input, src []byte, ds []brcs.Diagnostic, o Options) ([]byte, error) {
	out := src
	for range 5 {
		next, n, err := brcs.ApplyFixes(out, ds)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			break
		}
		out = next
		if _, ds, err = st.check(in, out, o); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// WriteFixes writes each fixed file in place, atomically and with its
// permissions kept. Standard input and commands are not written here (the
// caller prints them). It returns one *fsutil.WriteError per file it
// could not write, naming the file (not the temporary file beside it).
func WriteFixes(results []Result) []error {
	var errs []error
	for i := range results {
		r := &results[i]
		if r.Fixed == nil || r.Err != nil || r.Path == "" || r.Path == "-" {
			continue
		}
		fi, err := os.Lstat(r.Path)
		if err == nil && !fi.Mode().IsRegular() {
			err = errors.New("not a regular file; --fix only rewrites regular files")
		}
		if err == nil {
			err = fsutil.WriteFileAtomic(r.Path, r.Fixed, fi.Mode().Perm())
		}
		if err != nil {
			if we := (*fsutil.WriteError)(nil); !errors.As(err, &we) {
				err = &fsutil.WriteError{Path: r.Path, Err: err}
			}
			r.Err = err
			errs = append(errs, err)
		}
	}
	return errs
}

// SortResults orders results by name, for output that does not depend on
// the order the inputs were found or finished in.
func SortResults(rs []Result) {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Name < rs[j].Name })
}

// IsUsage reports whether err is a usage error.
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}
