// Package launcher stands between a downloaded BRCS script and the access
// console: it checks the script with the brcs validator, shows the
// technician what it will do, asks, and starts the console with a private
// copy of the checked bytes, through an argument list and never a shell.
// The copy is removed when the console exits, by whichever process waits
// for it (see Options.Helper and ServeCopy). It also registers brcslaunch
// as the handler of *.brcs-<site> files.
//
// It is handed files from the internet, so it refuses arguments that start
// with '-', symbolic links and anything but regular files, scripts that do
// not validate, sites outside the allow-list, and running unasked when
// nobody can be asked.
package launcher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// Options are one launch's settings.
type Options struct {
	// Profile is the catalogue scripts are checked against ("" : default).
	Profile string
	// Console is the console's absolute path; when empty, Search finds it
	// (after the script is checked and before anyone is asked).
	Console string
	Search  ConsoleSearch
	// AllowSites, when not empty, are the only sites whose scripts run.
	AllowSites []string
	// AllowOrigins, when not empty, are the only hosts a downloaded script
	// may come from, as far as the browser recorded it (see Origin).
	AllowOrigins []string
	// RefusePasswords refuses scripts that log in with a plain-text
	// password instead of warning about them.
	RefusePasswords bool
	// Yes runs without asking.
	Yes bool
	// Prompter asks the technician; nil means nobody can be asked.
	Prompter Prompter
	// Wait waits for the console and returns its exit status; otherwise
	// the console is started on its own and the launch returns at once.
	Wait bool
	// Stdout and Stderr receive the console's output when waiting.
	Stdout, Stderr io.Writer
	// TempDir is where private copies are made ("" : the system's).
	TempDir string
	// Helper is the command line (program, then arguments) of a process
	// that runs [ServeCopy]: brcslaunch's own program with its hidden
	// serve-copy command. A file launch that does not wait hands the
	// checked script to it, detached from this process; the helper makes
	// the private copy, starts the console, and removes the copy when the
	// console exits, however this process ends. Without a Helper, this
	// process waits in the background, so the copy outlives the console
	// if this process ends first (until the next launch removes it).
	Helper []string
}

// Result is what a launch did.
type Result struct {
	// Summary is what the technician was shown.
	Summary string
	// Copy is the private copy the console was given (a file launch).
	Copy string
	// ExitCode is the console's exit status, when waited for.
	ExitCode int
}

// RefusedError is a launch refused before the console was started.
type RefusedError struct {
	Reason string
	// Findings are the validator's errors, when they are the reason.
	Findings []brcs.Diagnostic
}

// Error escapes what it quotes of the file (its name, the validator's
// messages), since it is shown on a terminal or in a dialog.
func (e *RefusedError) Error() string {
	if len(e.Findings) == 0 {
		return textsafe.Escape(e.Reason)
	}
	var b strings.Builder
	b.WriteString(textsafe.Escape(e.Reason))
	for _, d := range e.Findings {
		b.WriteString("\n  ")
		b.WriteString(textsafe.Escape(d.String()))
	}
	return b.String()
}

func refuse(format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// ErrDeclined is returned when the technician answers No.
var ErrDeclined = errors.New("not run: the technician declined")

// Title is the confirmation's title.
const Title = "Run this access console script?"

// LaunchFile checks the script at path and, once confirmed, starts the
// console with --run-script-file and a private copy of the checked bytes.
func LaunchFile(ctx context.Context, path string, o Options) (*Result, error) {
	if strings.HasPrefix(path, "-") {
		return nil, refuse("%q starts with '-' and could be read as an option; give the path as ./%s", path, path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, refuse("%s: %v", path, err)
	}
	src, err := readScriptFile(abs)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(abs)
	if ds := brcs.CheckFileName(name); brcs.HasErrors(ds) {
		return nil, &RefusedError{Reason: textsafe.Quote(name) + " is not a BRCS script's name", Findings: ds}
	}
	site := strings.TrimPrefix(filepath.Ext(name), ".brcs-")
	if len(o.AllowSites) > 0 && !slices.Contains(o.AllowSites, site) {
		return nil, refuse("the script is for site %q, which is not allowed here (allowed: %s)", site, strings.Join(o.AllowSites, ", "))
	}
	summary, err := check(name, src, o)
	if err != nil {
		return nil, err
	}
	from := ""
	raw, err := origin(abs)
	if err != nil {
		return nil, refuse("%v; the script is not run", err)
	}
	if shown, host := showOrigin(raw); shown != "" {
		if len(o.AllowOrigins) > 0 && host == "" {
			return nil, refuse("the script was downloaded from %s, which names no host to check against the allowed appliances (%s)", textsafe.QuoteMax(shown, MaxValueShown), strings.Join(o.AllowOrigins, ", "))
		}
		if len(o.AllowOrigins) > 0 && !slices.Contains(o.AllowOrigins, host) {
			return nil, refuse("the script was downloaded from %s, which is not an allowed appliance (allowed: %s)", textsafe.Quote(host), strings.Join(o.AllowOrigins, ", "))
		}
		from = " (downloaded from " + textsafe.QuoteMax(shown, MaxValueShown) + ")"
	} else if len(o.AllowOrigins) > 0 {
		from = " (where it was downloaded from is not recorded)"
	}
	// The name is the attacker's to choose (only its end is checked), so it
	// is quoted and escaped like any value.
	summary = fmt.Sprintf("%s%s, for site %s, will:\n%s", textsafe.QuoteMax(name, MaxValueShown), from, site, summary)
	r, err := confirmStart(&o, "script", summary)
	if err != nil {
		return r, err
	}
	switch {
	case o.Wait:
		var c *copyRun
		if c, err = startCopy(ctx, o, name, src); err != nil {
			return nil, err
		}
		r.Copy = c.path
		r.ExitCode, err = c.wait()
	case len(o.Helper) > 0:
		r.Copy, err = startHelper(ctx, o, name, src)
	default:
		var c *copyRun
		if c, err = startCopy(ctx, o, name, src); err != nil {
			return nil, err
		}
		r.Copy = c.path
		go c.wait()
	}
	return r, err
}

// LaunchCommand checks a single command and, once confirmed, starts the
// console with --run-script and that command as one argument.
func LaunchCommand(ctx context.Context, cmd string, o Options) (*Result, error) {
	if strings.HasPrefix(cmd, "-") {
		return nil, refuse("the command starts with '-' and could be read as an option")
	}
	cat, err := brcs.LookupProfile(o.Profile)
	if err != nil {
		return nil, refuse("%v", err)
	}
	_, ds, err := brcs.CheckCommand(cmd, brcs.Options{Profile: o.Profile})
	if err != nil {
		return nil, refuse("%v", err)
	}
	if brcs.HasErrors(ds) {
		return nil, &RefusedError{Reason: "the command is not valid", Findings: brcs.Errors(ds)}
	}
	s, err := brcs.ParseCommand(cmd, brcs.Options{Profile: o.Profile})
	if err != nil {
		return nil, refuse("%v", err)
	}
	if len(brcs.SecretSpans(s, cat)) > 0 {
		// It came as an argument and would go to the console as one: every
		// user of the machine can read process arguments.
		return nil, refuse("the command holds a password, which as a command-line argument every user of this machine can read (in the process list), and the console would get it the same way; put the login in a script file (brcsgen login --password-file FILE -o FILE) and open that")
	}
	summary := "This command will:\n" + summarise(s, cat, ds)
	r, err := confirmStart(&o, "command", summary)
	if err != nil {
		return r, err
	}
	removeStaleCopies(o.TempDir) // a start of any kind clears earlier runs' debris
	r.ExitCode, err = start(ctx, o, []string{"--run-script", cmd})
	return r, err
}

// readScriptFile reads a regular file, not through a symbolic link.
func readScriptFile(abs string) ([]byte, error) {
	fi, err := os.Lstat(abs)
	if err != nil {
		return nil, refuse("%s", fsutil.Describe(err))
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return nil, refuse("%s is a symbolic link; open the script itself", textsafe.Quote(abs))
	}
	if !fi.Mode().IsRegular() {
		return nil, refuse("%s is not a regular file", textsafe.Quote(abs))
	}
	f, err := os.OpenFile(abs, os.O_RDONLY|oNoFollow, 0)
	if err != nil {
		return nil, refuse("%s", fsutil.Describe(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, refuse("%s is not a regular file", abs)
	}
	src, err := fsutil.ReadAllCapped(f, brcs.DefaultMaxSize, textsafe.Quote(abs))
	if err != nil {
		return nil, refuse("reading the script: %v", err)
	}
	return src, nil
}

// check validates the script and returns the summary of what it will do.
func check(name string, src []byte, o Options) (string, error) {
	cat, err := brcs.LookupProfile(o.Profile)
	if err != nil {
		return "", refuse("%v", err)
	}
	s, ds, err := brcs.Check(name, src, brcs.Options{Profile: o.Profile})
	if err != nil {
		return "", refuse("%v", err)
	}
	if brcs.HasErrors(ds) {
		return "", &RefusedError{Reason: "the script is not valid, so it is not handed to the console", Findings: brcs.Errors(ds)}
	}
	if len(brcs.SecretSpans(s, cat)) > 0 && o.RefusePasswords {
		return "", refuse("the script logs in with a plain-text password, which the policy here refuses")
	}
	return summarise(s, cat, ds), nil
}

// checkSummary refuses a summary too long to show whole: over MaxSummary
// bytes, or taller than MaxSummaryLines, where a dialog's end (its last
// commands, its buttons) or a terminal's start would be out of view.
func checkSummary(what, summary string) error {
	if len(summary) > MaxSummary {
		return refuse("what the %s would do takes %d bytes to say, more than the %d a confirmation shows; it is not run (read it in a text editor)", what, len(summary), MaxSummary)
	}
	if n := rows(summary, summaryCols); n > MaxSummaryLines {
		return refuse("what the %s would do takes %d lines to say, more than the %d a confirmation shows whole on a screen; it is not run (read it in a text editor)", what, n, MaxSummaryLines)
	}
	return nil
}

func summarise(s *brcs.Script, cat *brcs.Catalogue, ds []brcs.Diagnostic) string {
	var b strings.Builder
	for i, d := range Describe(s, cat) {
		fmt.Fprintf(&b, "  %d. %s\n", i+1, d)
	}
	if len(brcs.SecretSpans(s, cat)) > 0 {
		b.WriteString("\nWARNING: this script holds a password in plain text. Anyone who can read the file can use it.\n")
	}
	for _, d := range ds {
		if d.Rule != brcs.RulePlainPassword {
			fmt.Fprintf(&b, "\nNote: line %d: %s\n", d.Start.Line, textsafe.EscapeMax(d.Message, 4*MaxValueShown))
		}
	}
	return b.String()
}

func (o Options) console() (string, error) {
	if o.Console != "" {
		return o.Console, nil
	}
	return FindConsole(o.Search)
}

// confirmStart is what a script and a command both pass between their
// summary and the start: the summary checked, the console found (into
// o.Console), and the technician's yes. The Result holds the summary
// once it is checked.
func confirmStart(o *Options, what, summary string) (*Result, error) {
	if err := checkSummary(what, summary); err != nil {
		return nil, err
	}
	r := &Result{Summary: summary}
	var err error
	if o.Console, err = o.console(); err != nil {
		return r, err
	}
	return r, confirm(*o, summary)
}

func confirm(o Options, summary string) error {
	if o.Yes {
		return nil
	}
	if o.Prompter == nil {
		return refuse("nobody can be asked (no desktop dialog, and standard input is not a terminal), and a script is never run unasked; to run it without asking, pass --yes")
	}
	ok, err := o.Prompter.Confirm(Title, summary)
	if err != nil {
		return refuse("asking for confirmation: %v", err)
	}
	if !ok {
		return ErrDeclined
	}
	return nil
}

// consoleCommand is the console run with args: an argument list, never a
// shell. A launch that waits ends the console with ctx.
func consoleCommand(ctx context.Context, o Options, args []string) (*exec.Cmd, error) {
	console := o.Console
	if !filepath.IsAbs(console) {
		return nil, refuse("the console's path %q is not absolute", console)
	}
	if ext := strings.ToLower(filepath.Ext(console)); ext == ".bat" || ext == ".cmd" {
		return nil, refuse("the console %s is a batch file; brcslaunch never starts scripts through a shell", console)
	}
	var cmd *exec.Cmd
	if o.Wait {
		cmd = exec.CommandContext(ctx, console, args...)
	} else {
		cmd = exec.Command(console, args...)
		detach(cmd)
	}
	cmd.Stdout, cmd.Stderr = o.Stdout, o.Stderr
	return cmd, nil
}

// start runs the console with args, waiting for it when o.Wait is set.
func start(ctx context.Context, o Options, args []string) (int, error) {
	cmd, err := consoleCommand(ctx, o, args)
	if err != nil {
		return 0, err
	}
	if !o.Wait {
		if err := cmd.Start(); err != nil {
			return 0, fmt.Errorf("starting the console: %v", err)
		}
		return 0, cmd.Process.Release()
	}
	return exitStatus(cmd.Run())
}

// exitStatus is the console's exit status from what running it returned.
func exitStatus(err error) (int, error) {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), nil
	}
	if err != nil {
		return 0, fmt.Errorf("running the console: %v", err)
	}
	return 0, nil
}
