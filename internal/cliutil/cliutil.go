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
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
)

// Exit statuses shared by the commands.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitUsage    = 2
	ExitInternal = 3
)

// Version is the module's version as the build recorded it.
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// IsTerminal reports whether w is a character device (a terminal).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
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
	app.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
		return cli.Exit(err.Error(), ExitUsage)
	}
}

// Usage is a usage error: exit status 2 with the message.
func Usage(format string, args ...any) error {
	return cli.Exit(fmt.Sprintf(format, args...), ExitUsage)
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

// Completion writes a completion script for shell (bash, zsh or fish).
// values gives the words to offer after a flag (by its name); flags not in
// it complete file names.
func Completion(w io.Writer, app *cli.App, shell string, values map[string][]string) error {
	var flags []string
	for _, f := range app.VisibleFlags() {
		for _, n := range f.Names() {
			if len(n) == 1 {
				flags = append(flags, "-"+n)
			} else {
				flags = append(flags, "--"+n)
			}
		}
	}
	sort.Strings(flags)
	names := make([]string, 0, len(values))
	for n := range values {
		names = append(names, n)
	}
	sort.Strings(names)
	fn := "_" + strings.ReplaceAll(app.Name, "-", "_")
	switch shell {
	case "bash", "zsh":
		var b strings.Builder
		if shell == "zsh" {
			b.WriteString("autoload -U +X bashcompinit && bashcompinit\n")
		}
		fmt.Fprintf(&b, "%s() {\n  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n  case \"$prev\" in\n", fn)
		for _, n := range names {
			fmt.Fprintf(&b, "    --%s) COMPREPLY=( $(compgen -W %q -- \"$cur\") ); return ;;\n", n, strings.Join(values[n], " "))
		}
		b.WriteString("  esac\n")
		fmt.Fprintf(&b, "  if [[ \"$cur\" == -* ]]; then COMPREPLY=( $(compgen -W %q -- \"$cur\") ); return; fi\n", strings.Join(flags, " "))
		b.WriteString("  COMPREPLY=( $(compgen -f -- \"$cur\") )\n}\n")
		fmt.Fprintf(&b, "complete -o filenames -F %s %s\n", fn, app.Name)
		_, err := io.WriteString(w, b.String())
		return err
	case "fish":
		var b strings.Builder
		for _, f := range app.VisibleFlags() {
			long := ""
			for _, n := range f.Names() {
				if len(n) > 1 && long == "" {
					long = n
				}
			}
			if long == "" {
				continue
			}
			usage := ""
			if df, ok := f.(cli.DocGenerationFlag); ok {
				usage = df.GetUsage()
			}
			line := fmt.Sprintf("complete -c %s -l %s -d %q", app.Name, long, usage)
			if vs, ok := values[long]; ok {
				line += fmt.Sprintf(" -x -a %q", strings.Join(vs, " "))
			}
			b.WriteString(line + "\n")
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	return fmt.Errorf("no completion for shell %q (want bash, zsh or fish)", shell)
}

// DocFlags are --completion and --man, which every command has.
func DocFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "completion", Usage: "print a completion script for bash, zsh or fish and exit"},
		&cli.BoolFlag{Name: "man", Usage: "print the man page and exit"},
	}
}

// Docs answers --completion and --man, writing to w, and reports whether
// it did. values are the words to complete after flags (see Completion);
// the shells themselves are added.
func Docs(c *cli.Context, w io.Writer, values map[string][]string) (bool, error) {
	switch {
	case c.IsSet("completion"):
		values["completion"] = []string{"bash", "zsh", "fish"}
		if err := Completion(w, c.App, c.String("completion"), values); err != nil {
			return true, Usage("%v", err)
		}
		return true, nil
	case c.Bool("man"):
		return true, Man(w, c.App)
	}
	return false, nil
}

// Man writes the app's man page (roff).
func Man(w io.Writer, app *cli.App) error {
	page, err := app.ToMan()
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, page)
	return err
}
