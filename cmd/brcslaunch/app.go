package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/launcher"
)

const name = "brcslaunch"

// Env is what a run sees of its surroundings; tests give their own.
type Env struct {
	// Env is the part every command shares: streams, environment, clock.
	cliutil.Env
	// Desktop shows desktop dialogs; nil when this build has none.
	Desktop launcher.Prompter
	// StdinIsTerminal reports whether a person can answer on the terminal.
	StdinIsTerminal bool
	// TerminalCols and TerminalRows are the size of the terminal the
	// question is shown on (0: unknown); a taller question is refused.
	TerminalCols, TerminalRows int
	// Run runs registration's helper tools; nil runs them from PATH.
	Run func(name string, args ...string) error
	// GOOS is the platform registration is for ("" : this one).
	GOOS string
	// Helper runs this program's hidden serve-copy command, which waits
	// for a console started without --wait and removes its private copy
	// (see selfHelper; nil: this process waits, in the background).
	Helper []string
}

// serveCopy is the hidden command a launch without --wait runs, detached,
// to start the console and remove the private copy once it exits.
const serveCopy = "serve-copy"

// Main runs brcslaunch and returns its exit status: 0 done (or, with
// --wait, the console's own status), 1 refused, declined or failed, 2 a
// usage error, 3 an internal failure.
func Main(args []string, e Env) (status int) {
	e.Env = e.Env.WithDefaults()
	defer cliutil.Recover(name, e.Stderr, &status)
	ctx, stop := cliutil.Interruptible(e.Context)
	defer stop()
	app := newApp(e, &status)
	values := map[string][]string{"profile": brcs.Profiles(), "os": {"linux", "windows", "darwin"}}
	if err := cliutil.Run(ctx, app, args, values); err != nil || cliutil.InterruptedBy(ctx) != nil {
		return cliutil.Exit(ctx, err, name, e.Stderr)
	}
	return status
}

func newApp(e Env, status *int) *cli.App {
	app := &cli.App{
		Name:      name,
		Usage:     "check a BRCS script, show what it will do, and start the access console with it",
		UsageText: "brcslaunch [flags] FILE\n   brcslaunch [flags] --command 'action=...'\n   brcslaunch register --site SITE ...",
		Description: "brcslaunch never hands the console a script that does not validate, never runs one unasked, " +
			"and gives the console a private copy of the checked bytes. Exit status: 0 started (with --wait, the console's status), " +
			"1 refused, declined or failed, 2 usage error, 3 internal failure. Flags may come before or after the FILE; -- ends the flags.",
		HideHelpCommand: true,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "command", Aliases: []string{"c"}, Usage: "run one command with --run-script instead of a file"},
			&cli.StringFlag{Name: "profile", Aliases: []string{"p"}, Usage: "product profile: " + strings.Join(brcs.Profiles(), ", "), DefaultText: "the config's, else " + brcs.DefaultProfile},
			&cli.StringFlag{Name: "console", Usage: "the access console's path (else BRCS_CONSOLE, the config file, PATH, the usual install folders)"},
			&cli.StringFlag{Name: "config", Usage: "the config file", DefaultText: "<user config folder>/brcslaunch/config.json"},
			&cli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "run without asking"},
			&cli.BoolFlag{Name: "no-gui", Usage: "ask on the terminal, not in a dialog"},
			&cli.BoolFlag{Name: "wait", Usage: "wait for the console and exit with its status"},
			&cli.StringSliceFlag{Name: "allow-site", Usage: "run only scripts for this site (repeatable; adds to the config's allow_sites)"},
			&cli.StringSliceFlag{Name: "allow-origin", Usage: "run only downloads the browser recorded as coming from this appliance host (repeatable; adds to the config's allow_origins)"},
			&cli.BoolFlag{Name: "refuse-passwords", Usage: "refuse scripts that log in with a plain-text password", DefaultText: "warn"},
		}, cliutil.DocFlags()...),
		Commands: []*cli.Command{registerCommand(e, false), registerCommand(e, true), serveCopyCommand(e)},
		Action: func(c *cli.Context) error {
			st, err := launch(c, e)
			*status = st
			return err
		},
	}
	cliutil.Prepare(app, e.Stdin, e.Stdout, e.Stderr)
	return app
}

func loadConfig(c *cli.Context) (*launcher.Config, error) {
	path := c.String("config")
	if path == "" {
		p, err := launcher.DefaultConfigPath()
		if err != nil {
			return &launcher.Config{}, nil
		}
		path = p
	}
	cfg, err := launcher.LoadConfig(path)
	if err != nil {
		return nil, cliutil.Usage("%v", err)
	}
	return cfg, nil
}

// hasDesktop reports whether a desktop session is there to show a dialog.
func hasDesktop(getenv func(string) string) bool {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return true
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}

func launch(c *cli.Context, e Env) (int, error) {
	cmd := c.String("command")
	switch {
	case cmd == "" && c.NArg() != 1:
		return 0, cliutil.Usage("give one script FILE, or --command 'action=...'")
	case cmd != "" && c.NArg() != 0:
		return 0, cliutil.Usage("give a FILE or --command, not both")
	}
	cfg, err := loadConfig(c)
	if err != nil {
		return 0, err
	}
	profile := c.String("profile")
	if profile == "" {
		profile = cfg.Profile
	}
	if _, err := brcs.LookupProfile(profile); err != nil {
		return 0, cliutil.Usage("%v", err)
	}
	o := launcher.Options{
		Profile:         profile,
		AllowSites:      append(append([]string(nil), cfg.AllowSites...), c.StringSlice("allow-site")...),
		AllowOrigins:    append(append([]string(nil), cfg.AllowOrigins...), c.StringSlice("allow-origin")...),
		RefusePasswords: c.Bool("refuse-passwords") || cfg.Passwords == "refuse",
		Yes:             c.Bool("yes"),
		Wait:            c.Bool("wait"),
		Stdout:          e.Stdout,
		Stderr:          e.Stderr,
		Helper:          e.Helper,
		Search:          launcher.ConsoleSearch{Flag: c.String("console"), Env: e.Getenv, Config: cfg.Console},
	}
	gui := e.Desktop != nil && !c.Bool("no-gui") && hasDesktop(e.Getenv)
	switch {
	case gui:
		o.Prompter = e.Desktop
	case e.StdinIsTerminal:
		o.Prompter = launcher.Terminal{In: e.Stdin, Out: e.Stderr, Cols: e.TerminalCols, Rows: e.TerminalRows}
	}

	var r *launcher.Result
	if cmd != "" {
		r, err = launcher.LaunchCommand(c.Context, cmd, o)
	} else {
		r, err = launcher.LaunchFile(c.Context, c.Args().First(), o)
	}
	switch {
	case errors.Is(err, launcher.ErrDeclined):
		fmt.Fprintf(e.Stderr, "%s: %v\n", name, err)
		return cliutil.ExitFindings, nil
	case err != nil:
		// Always on standard error; in a dialog too when there is a desktop.
		fmt.Fprintf(e.Stderr, "%s: %v\n", name, err)
		if gui {
			e.Desktop.Alert("The script was not run", err.Error())
		}
		return cliutil.ExitFindings, nil
	}
	if o.Yes {
		fmt.Fprint(e.Stderr, r.Summary)
	}
	if o.Wait {
		return r.ExitCode, nil
	}
	return 0, nil
}

func registerCommand(e Env, remove bool) *cli.Command {
	n, usageText := "register", "make brcslaunch the handler of *.brcs-SITE files for the current user"
	siteUsage := "the company site name: handle *.brcs-SITE (repeatable)"
	if remove {
		siteUsage = "the company site name: stop handling *.brcs-SITE (repeatable)"
		n, usageText = "unregister", "stop brcslaunch handling *.brcs-SITE files for the current user: undo register"
	}
	return &cli.Command{
		Name:  n,
		Usage: usageText,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "site", Required: true, Usage: siteUsage},
			&cli.BoolFlag{Name: "dry-run", Usage: "print what would be written and run"},
			&cli.StringFlag{Name: "exe", Usage: "the launcher's path to register", DefaultText: "this program"},
			&cli.StringFlag{Name: "os", Usage: "register for linux, windows or darwin", DefaultText: "this system; with --dry-run, to see another's"},
		},
		Action: func(c *cli.Context) error {
			exe := c.String("exe")
			if other := c.String("os"); exe == "" && other != "" && other != runtime.GOOS {
				return cliutil.Usage("--os %s needs --exe: the path brcslaunch has on that system (this program's path is only good here)", other)
			}
			if exe == "" {
				p, err := os.Executable()
				if err != nil {
					return cliutil.Usage("finding this program's path: %v; give --exe", err)
				}
				exe = p
			}
			goos := c.String("os")
			if goos == "" {
				goos = e.GOOS
			}
			if goos != "" && goos != runtime.GOOS && !c.Bool("dry-run") {
				return cliutil.Usage("--os %s only goes with --dry-run", goos)
			}
			r := launcher.Registration{Exe: exe, Sites: c.StringSlice("site"), GOOS: goos, DataHome: e.Getenv("XDG_DATA_HOME"),
				ConfigHome: e.Getenv("XDG_CONFIG_HOME"), Run: e.Run, Out: e.Stdout, DryRun: c.Bool("dry-run")}
			var err error
			if remove {
				err = launcher.Unregister(r)
			} else {
				err = launcher.Register(r)
			}
			if err != nil {
				return cliutil.Usage("%v", err)
			}
			return nil
		},
	}
}

// serveCopyCommand is run by a launch, not by people: see Env.Helper.
func serveCopyCommand(e Env) *cli.Command {
	return &cli.Command{
		Name:   serveCopy,
		Usage:  "(internal) start the console with a private copy of a checked script read from standard input, and remove the copy when the console exits",
		Hidden: true,
		Action: func(c *cli.Context) error {
			if err := launcher.ServeCopy(c.Context, e.Stdin, e.Stdout, e.Stderr); err != nil {
				return cliutil.Refused(err)
			}
			return nil
		},
	}
}

// selfHelper is the Helper of this program: itself, running serve-copy.
// (A test binary must not pass itself: it would run the tests again.)
func selfHelper() []string {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	return []string{exe, serveCopy}
}
