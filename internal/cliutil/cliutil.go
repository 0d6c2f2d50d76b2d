// Package cliutil holds what the toolkit's commands share: the version
// string, shell completion and man pages generated from a urfave/cli app,
// terminal detection, and turning an app's error into an exit status.
package cliutil

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// Exit statuses shared by the commands.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitUsage    = 2
	ExitInternal = 3
	// ExitInterrupted and ExitTerminated end a run stopped by SIGINT and
	// SIGTERM (128 + the signal's number).
	ExitInterrupted = 130
	ExitTerminated  = 143
)

// Version is the module's version as the build recorded it.
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// IsTerminal reports whether w (or a reader such as os.Stdin: any
// *os.File) is a terminal a person types at. A check of the file mode
// alone counts /dev/null and /dev/zero (character devices) as terminals;
// x/term asks the terminal driver itself.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// UseColor decides on colour: "always", "never", or "auto" (a terminal
// and no NO_COLOR in the environment).
func UseColor(mode string, w io.Writer, getenv func(string) string) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
		return getenv("NO_COLOR") == "" && IsTerminal(w), nil
	}
	return false, fmt.Errorf("--color takes auto, always or never, not %q", mode)
}

// Prepare makes app safe to run in-process: it writes where it is told
// and never calls os.Exit.
func Prepare(app *cli.App, stdin io.Reader, stdout, stderr io.Writer) {
	app.Reader = stdin
	app.Writer = stdout
	app.ErrWriter = stderr
	app.ExitErrHandler = func(*cli.Context, error) {}
	app.Version = Version()
	app.EnableBashCompletion = true
	// A comma is data: a contact "Smith, John" or a list of addresses in
	// one --custom value must arrive whole, never as two values.
	app.DisableSliceFlagSeparator = true
	app.HideHelpCommand = true
	app.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
		return cli.Exit(err.Error(), ExitUsage)
	}
}

// Count is n and word, in the plural unless n is 1: "1 warning",
// "2 warnings", "2 team activities".
func Count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %s", n, Plural(word))
}

// Plural is the plural of an English noun (or of a phrase's last word) as
// the commands' messages need it: an s, and ies for a consonant and y.
func Plural(word string) string {
	if stem, ok := strings.CutSuffix(word, "y"); ok && stem != "" && !strings.ContainsRune("aeiou", rune(stem[len(stem)-1])) {
		return stem + "ies"
	}
	return word + "s"
}

// Usage is a usage error: exit status 2 with the message.
func Usage(format string, args ...any) error {
	return cli.Exit(fmt.Sprintf(format, args...), ExitUsage)
}

// Refused is a failure that is not a usage error: exit status 1. Its text
// may quote outside input (an appliance's words, a CSV cell): escaped line
// by line.
func Refused(err error) error {
	return cli.Exit(textsafe.EscapeLines(err.Error()), ExitFindings)
}

// Recover turns a panic into exit status 3 with a message asking for a
// report; call it deferred in a command's Main.
func Recover(name string, stderr io.Writer, status *int) {
	if r := recover(); r != nil {
		fmt.Fprintf(stderr, "%s: internal error: %v (please report it)\n", name, r)
		*status = ExitInternal
	}
}

// ExitStatus turns what app.Run returned into an exit status, printing the
// message of an error to stderr.
func ExitStatus(err error, name string, stderr io.Writer) int {
	if err == nil {
		return ExitOK
	}
	var ec cli.ExitCoder
	if errors.As(err, &ec) {
		if msg := err.Error(); msg != "" {
			fmt.Fprintf(stderr, "%s: %s\n", name, msg)
		}
		return ec.ExitCode()
	}
	// urfave/cli returns flag parsing errors as plain errors.
	fmt.Fprintf(stderr, "%s: %v\n", name, err)
	return ExitUsage
}

// DocFlags are --completion and --man, which every command has.
func DocFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "completion", Usage: "print a completion script for bash, zsh or fish and exit"},
		&cli.BoolFlag{Name: "man", Usage: "print the man page and exit"},
	}
}

// Docs answers --completion and --man, writing to w, and reports whether
// it did. Run does this for every command; Docs is for an app not started
// through Run.
func Docs(c *cli.Context, w io.Writer) (bool, error) {
	switch {
	case c.IsSet("completion"):
		if err := Completion(w, c.App.Name, c.String("completion")); err != nil {
			return true, Usage("%v", err)
		}
		return true, nil
	case c.Bool("man"):
		return true, Man(w, c.App)
	}
	return false, nil
}

// Man writes the app's man page (roff), in section 1: user commands.
func Man(w io.Writer, app *cli.App) error {
	page, err := app.ToManWithSection(1)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, page)
	return err
}
