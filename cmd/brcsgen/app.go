package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/gen"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

const name = "brcsgen"

// Main runs brcsgen with args (args[0] is the program name) and returns its
// exit status: 0 done, 1 refused (an invalid value, a failed fetch, a batch
// row refused, an output that cannot be written), 2 a usage error, 3 an
// internal failure, 130 and 143 interrupted by SIGINT and SIGTERM.
func Main(args []string, ce cliutil.Env) int {
	return cliutil.Main(name, args, ce, func(ce cliutil.Env) *cli.App { return newApp(&env{Env: ce}) }, completionValues())
}

// env is where a run reads and writes.
type env struct {
	cliutil.Env
}

// jumpSpecs returns the start_jump_item_session parameters that have a
// flag, across every profile, in catalogue order: the jump flags.
func jumpSpecs() []brcs.ParamSpec {
	var out []brcs.ParamSpec
	seen := map[string]bool{}
	for _, p := range brcs.Profiles() {
		cat, err := brcs.LookupProfile(p)
		if err != nil {
			continue
		}
		a, ok := cat.Lookup(gen.JumpAction)
		if !ok {
			continue
		}
		for _, spec := range a.Params {
			if spec.Flag != "" && !seen[spec.Flag] {
				seen[spec.Flag] = true
				out = append(out, spec)
			}
		}
	}
	return out
}

func specUsage(s brcs.ParamSpec) string {
	u := s.Summary + " (" + s.Display()
	if s.MaxLen > 0 {
		u += fmt.Sprintf(", at most %d characters", s.MaxLen)
	}
	if len(s.Values) > 0 {
		u += ": " + strings.Join(s.Values, ", ")
	}
	return u + ")"
}

// jumpFlags are generated from the catalogue.
func jumpFlags() []cli.Flag {
	var fs []cli.Flag
	for _, s := range jumpSpecs() {
		if s.Prefix {
			fs = append(fs, &cli.StringSliceFlag{Name: s.Flag, Usage: "NAME=VALUE: " + specUsage(s) + " (repeatable)"})
		} else {
			fs = append(fs, &cli.StringFlag{Name: s.Flag, Usage: specUsage(s)})
		}
	}
	return fs
}

// jumpCommand builds the jump a run's flags (or a batch row) describe.
func jumpCommand(get func(flag string) string, customs []string) (gen.Command, error) {
	var params []gen.Param
	for _, s := range jumpSpecs() {
		if !s.Prefix {
			params = append(params, gen.Param{Key: s.Name, Value: get(s.Flag)})
		}
	}
	custom := map[string]string{}
	for _, kv := range customs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return gen.Command{}, fmt.Errorf("--custom takes NAME=VALUE, not %q", kv)
		}
		if _, dup := custom[k]; dup {
			return gen.Command{}, fmt.Errorf("--custom %s is given twice", k)
		}
		custom[k] = v
	}
	names := slices.Sorted(maps.Keys(custom))
	for _, n := range names {
		params = append(params, gen.Param{Key: "session.custom." + n, Value: custom[n]})
	}
	return gen.Ordered(gen.JumpAction, params), nil
}

// completionValues are the words shell completion offers after a flag:
// the enumerations of the catalogue and of the flags themselves.
func completionValues() map[string][]string {
	v := map[string][]string{"profile": brcs.Profiles(), "mode": batchModes, "format": batchFormats, "progress": {"auto", "always", "never"},
		"template-syntax": {brcs.Mustache.String(), brcs.Dollar.String()}}
	for _, s := range jumpSpecs() {
		if len(s.Values) > 0 {
			v[s.Flag] = s.Values
		}
	}
	return v
}

func commonFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "profile", Aliases: []string{"p"}, Usage: "product profile: " + strings.Join(brcs.Profiles(), ", "), Value: brcs.DefaultProfile},
	}
}

func outputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "-", Usage: "where to write: a file, a folder ending in / (the file is named NAME.brcs-SITE), or - for standard output"},
		&cli.StringFlag{Name: "site", Usage: "the company site name: names the file NAME.brcs-SITE (with no -o, in the working folder)"},
		&cli.StringFlag{Name: "name", Usage: "the NAME of NAME.brcs-SITE", DefaultText: "the external key, else the host name, else the action"},
		&cli.BoolFlag{Name: "crlf", Usage: "end lines with \\r\\n"},
		&cli.BoolFlag{Name: "no-delete", Usage: "leave out the final delete_script_file"},
	}
}

// fetchFlags are the flags of talking to an appliance; the appliance is
// required for fetch, and only for some modes of batch.
func fetchFlags(applianceRequired bool) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "appliance", Usage: "the appliance: https://HOST or https://HOST:PORT (a host name or an IP address, IPv6 in brackets)", Required: applianceRequired},
		&cli.BoolFlag{Name: "allow-http", Usage: "accept a plain http:// appliance (the vendor advises against it)"},
		&cli.StringFlag{Name: "ca-cert", Usage: "a PEM file of CA certificates to trust besides the system's"},
		&cli.DurationFlag{Name: "connect-timeout", Value: 10 * time.Second, Usage: "how long connecting may take"},
		&cli.DurationFlag{Name: "timeout", Value: 30 * time.Second, Usage: "how long one request may take in all"},
		&cli.IntFlag{Name: "attempts", Value: 3, Usage: "tries per request when the connection fails or the appliance answers 5xx"},
	}
}

func newApp(e *env) *cli.App {
	jump := func(action func(*cli.Context, gen.Command) error, extra ...cli.Flag) *cli.Command {
		return &cli.Command{
			Name:  "jump",
			Usage: "a start_jump_item_session command: at least one of --hostname, --comments, --tag, --private-ip, --public-ip",
			Flags: append(append(commonFlags(), jumpFlags()...), extra...),
			Action: func(c *cli.Context) error {
				cmd, err := jumpCommand(c.String, c.StringSlice("custom"))
				if err != nil {
					return cliutil.Usage("%v", err)
				}
				return action(c, cmd)
			},
		}
	}
	login := func(action func(*cli.Context, gen.Command, bool) error, extra ...cli.Flag) *cli.Command {
		return &cli.Command{
			Name:  "login",
			Usage: "a login command: with no --username, the console uses its saved credentials",
			Flags: append(append(commonFlags(),
				&cli.StringFlag{Name: "username", Usage: "the user name to log in with"},
				&cli.StringFlag{Name: "password-file", Usage: "read the password from this file (never from an argument)"},
				&cli.BoolFlag{Name: "password-stdin", Usage: "read the password from standard input"},
			), extra...),
			Action: func(c *cli.Context) error {
				l, err := readLogin(c, e)
				if err != nil {
					return err
				}
				return action(c, l.Command(), l.Password != "")
			},
		}
	}
	app := &cli.App{
		Name:  name,
		Usage: "build BRCS scripts, commands and help-desk links; fill templates; fetch scripts from an appliance",
		Description: "Every value is percent-encoded canonically (RFC 3986: a space is %20, '+' is %2B), and everything brcsgen writes " +
			"is checked by the same validator as brcslint first. Passwords are read from a file or standard input, never from an argument, " +
			"and never printed. " +
			"Exit status: 0 done, 1 refused (an invalid value, a failed fetch, a batch row refused), 2 usage error, 3 internal failure. " +
			"Flags may come before or after arguments; -- ends the flags.",
		HideHelpCommand: true,
		Flags:           cliutil.DocFlags(),
		Commands: []*cli.Command{
			jump(func(c *cli.Context, cmd gen.Command) error { return writeScript(c, e, cmd, false) }, outputFlags()...),
			login(func(c *cli.Context, cmd gen.Command, secret bool) error { return writeScript(c, e, cmd, secret) }, outputFlags()...),
			{
				Name:  "command",
				Usage: "print one command, the form the console's --run-script takes",
				Subcommands: []*cli.Command{
					jump(func(c *cli.Context, cmd gen.Command) error { return printCommand(c, e, cmd) }),
					login(func(c *cli.Context, cmd gen.Command, secret bool) error {
						if secret {
							return cliutil.Usage("brcsgen never prints a password; write a login script with brcsgen login -o FILE instead")
						}
						return printCommand(c, e, cmd)
					}),
				},
			},
			{
				Name:  "url",
				Usage: "print the client scripting API link a help desk puts in a ticket",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "appliance", Usage: "the appliance: https://HOST or https://HOST:PORT (a host name or an IP address, IPv6 in brackets)", Required: true},
					&cli.BoolFlag{Name: "allow-http", Usage: "accept a plain http:// appliance (the vendor advises against it)"},
				},
				Subcommands: []*cli.Command{
					jump(func(c *cli.Context, cmd gen.Command) error { return printLink(c, e, cmd) }),
					login(func(c *cli.Context, cmd gen.Command, secret bool) error { return printLink(c, e, cmd) }),
				},
			},
			{
				Name:  "fetch",
				Usage: "ask the appliance to generate the script, check it and save it",
				Flags: fetchFlags(true),
				Subcommands: []*cli.Command{
					jump(func(c *cli.Context, cmd gen.Command) error { return fetchScript(c, e, cmd, false) }, outputFlags()...),
					login(func(c *cli.Context, cmd gen.Command, secret bool) error { return fetchScript(c, e, cmd, secret) }, outputFlags()...),
				},
			},
			renderCommand(e),
			batchCommand(e),
		},
	}
	cliutil.Prepare(app, e.Stdin, e.Stdout, e.Stderr)
	return app
}

// lookup returns the catalogue of the --profile in force (the flag may be
// given on the command or a parent).
func lookup(c *cli.Context) (*brcs.Catalogue, error) {
	cat, err := brcs.LookupProfile(c.String("profile"))
	if err != nil {
		return nil, cliutil.Usage("%v", err)
	}
	return cat, nil
}

func readLogin(c *cli.Context, e *env) (gen.Login, error) {
	l := gen.Login{Username: c.String("username")}
	file, fromStdin := c.String("password-file"), c.Bool("password-stdin")
	switch {
	case file != "" && fromStdin:
		return l, cliutil.Usage("give the password with --password-file or --password-stdin, not both")
	case l.Username == "" && (file != "" || fromStdin):
		return l, cliutil.Usage("a password needs --username")
	case l.Username != "" && file == "" && !fromStdin:
		return l, cliutil.Usage("--username needs a password: --password-file FILE or --password-stdin")
	}
	var raw []byte
	var err error
	switch {
	case file != "":
		raw, err = fsutil.ReadFileLimit(file, 4096)
	case fromStdin:
		raw, err = fsutil.ReadLimit(e.Stdin, 4096)
	default:
		return l, nil
	}
	if err != nil {
		if file != "" {
			return l, cliutil.Usage("%v", fsutil.ReadError("the --password-file file", file, err))
		}
		return l, cliutil.Usage("reading the password from standard input: %v", err)
	}
	if len(raw) > 4096 {
		return l, cliutil.Usage("the password is longer than 4096 bytes")
	}
	l.Password = strings.TrimSuffix(strings.TrimSuffix(string(raw), "\n"), "\r")
	if l.Password == "" {
		return l, cliutil.Usage("the password is empty")
	}
	return l, nil
}

func printCommand(c *cli.Context, e *env, cmd gen.Command) error {
	cat, err := lookup(c)
	if err != nil {
		return err
	}
	if err := cmd.Check(cat); err != nil {
		return cliutil.Refused(err)
	}
	fmt.Fprintln(e.Stdout, cmd.Encode())
	return nil
}

func printLink(c *cli.Context, e *env, cmd gen.Command) error {
	cat, err := lookup(c)
	if err != nil {
		return err
	}
	a, err := address(c)
	if err != nil {
		return err
	}
	link, err := gen.Link(a, cat, cmd)
	if err != nil {
		return cliutil.Refused(err)
	}
	fmt.Fprintln(e.Stdout, link)
	return nil
}

// destination resolves -o, --site and --name to a path, or "-" for
// standard output.
func destination(c *cli.Context, cmd gen.Command, suggested string) (string, error) {
	out, site := c.String("output"), c.String("site")
	if site != "" && !brcs.IsSiteName(site) {
		return "", cliutil.Usage("--site %q: a site name is letters, digits, '-' and '_'", site)
	}
	dir := ""
	switch {
	case out == "-" && site == "":
		return "-", nil
	case out == "-":
		dir = "."
	case strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(os.PathSeparator)) || isDir(out):
		dir = out
	default:
		return out, nil
	}
	if suggested != "" && site == "" {
		return filepath.Join(dir, suggested), nil
	}
	if site == "" {
		return "", cliutil.Usage("-o %s is a folder: give --site to name the file NAME.brcs-SITE", out)
	}
	return filepath.Join(dir, gen.ScriptName(c.String("name"), cmd)+".brcs-"+site), nil
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// save writes a checked script to dest: atomically, 0600 when it holds a
// password (with a warning), and never a password to standard output.
func save(e *env, dest string, script []byte, secret bool) error {
	if dest == "-" {
		if secret {
			return cliutil.Usage("brcsgen never prints a password: give -o FILE (written with mode 0600)")
		}
		_, err := e.Stdout.Write(script)
		return err
	}
	perm := os.FileMode(0o644)
	if secret {
		perm = 0o600
	}
	// -o DIR/ may name a folder still to be made, as batch --out-dir may.
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return cliutil.Refused(fmt.Errorf("cannot create the folder %s: %s", filepath.Dir(dest), fsutil.Reason(err)))
	}
	if err := fsutil.WriteFileAtomic(dest, script, perm); err != nil {
		return cliutil.Refused(fmt.Errorf("cannot write %s: %s", dest, fsutil.Reason(err)))
	}
	for _, d := range brcs.CheckFileName(dest) {
		fmt.Fprintf(e.Stderr, "%s: warning: %s\n", name, d.Message)
	}
	if secret {
		fmt.Fprintf(e.Stderr, "%s: warning: %s holds a password in plain text; it is readable by you only (mode 0600): keep it so, and delete it when done\n", name, dest)
	}
	fmt.Fprintf(e.Stderr, "%s: wrote %s\n", name, dest)
	return nil
}

func writeScript(c *cli.Context, e *env, cmd gen.Command, secret bool) error {
	cat, err := lookup(c)
	if err != nil {
		return err
	}
	dest, err := destination(c, cmd, "")
	if err != nil {
		return err
	}
	o := gen.ScriptOptions{NoDelete: c.Bool("no-delete"), CRLF: c.Bool("crlf")}
	if cmd.Action != "login" {
		o.Login = &gen.Login{}
	}
	script, err := gen.Script(cat, o, cmd)
	if err != nil {
		return cliutil.Refused(err)
	}
	return save(e, dest, script, secret)
}

// address is the checked --appliance (see appliance.ParseAddress): a
// usage error names what is wrong with it.
func address(c *cli.Context) (appliance.Address, error) {
	a, err := appliance.ParseAddress(c.String("appliance"), c.Bool("allow-http"))
	if err != nil {
		return a, cliutil.Usage("--appliance: %v", err)
	}
	return a, nil
}

// fetcher builds the fetcher the fetch flags describe; rate is requests a
// second (0: the appliance's limit).
func fetcher(c *cli.Context, rate float64) (*gen.Fetcher, error) {
	a, err := address(c)
	if err != nil {
		return nil, err
	}
	o := appliance.Options{AllowHTTP: c.Bool("allow-http"), ConnectTimeout: c.Duration("connect-timeout"), Timeout: c.Duration("timeout"),
		Attempts: c.Int("attempts"), Rate: rate}
	if p := c.String("ca-cert"); p != "" {
		if o.CACertsPEM, err = fsutil.ReadFileCapped(p, 1<<20); err != nil {
			return nil, cliutil.Usage("%v", fsutil.ReadError("the --ca-cert file", p, err))
		}
	}
	cl, err := appliance.New(a.String(), nil, o)
	if err != nil {
		return nil, cliutil.Usage("--ca-cert %s: %v", c.String("ca-cert"), err)
	}
	return gen.NewFetcher(cl), nil
}

func fetchScript(c *cli.Context, e *env, cmd gen.Command, secret bool) error {
	cat, err := lookup(c)
	if err != nil {
		return err
	}
	f, err := fetcher(c, 0)
	if err != nil {
		return err
	}
	if secret && c.String("output") == "-" && c.String("site") == "" {
		return cliutil.Usage("brcsgen never prints a password: give -o FILE (written with mode 0600)")
	}
	warnClearPassword(e, c, secret)
	got, err := f.Fetch(c.Context, cat, cmd)
	if err != nil {
		return cliutil.Refused(err)
	}
	showWarnings(e, "the appliance's answer", got.Warnings)
	dest, err := destination(c, cmd, got.Name)
	if err != nil {
		return err
	}
	// What is written decides whether the file is secret, not the request.
	return save(e, dest, got.Script, secret || gen.HoldsSecret(cat, got.Script))
}

func renderCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "render",
		Usage:     "fill a script template's placeholders with canonically encoded values",
		ArgsUsage: "TEMPLATE",
		Flags: append(append(commonFlags(),
			&cli.StringSliceFlag{Name: "set", Usage: "NAME=VALUE for the placeholder NAME (repeatable)"},
			&cli.StringFlag{Name: "vars", Usage: "a JSON object of NAME: VALUE strings"},
			&cli.StringFlag{Name: "template-syntax", Value: "mustache", Usage: "mustache ({{name}}) or dollar (${name})"},
		), outputFlags()[:3]...),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return cliutil.Usage("render takes one TEMPLATE file")
			}
			cat, err := lookup(c)
			if err != nil {
				return err
			}
			syn, err := brcs.ParseSyntax(c.String("template-syntax"))
			if err != nil {
				return cliutil.Usage("%v", err)
			}
			vars := map[string]string{}
			if p := c.String("vars"); p != "" {
				raw, err := fsutil.ReadFileCapped(p, 1<<20)
				if err != nil {
					return cliutil.Usage("%v", fsutil.ReadError("the --vars file", p, err))
				}
				if err := json.Unmarshal(raw, &vars); err != nil {
					return cliutil.Usage("--vars %s: want a JSON object of strings: %v", p, err)
				}
			}
			for _, kv := range c.StringSlice("set") {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || k == "" {
					return cliutil.Usage("--set takes NAME=VALUE, not %q", kv)
				}
				vars[k] = v
			}
			path := c.Args().First()
			tmpl, err := fsutil.ReadFileCapped(path, brcs.DefaultMaxSize)
			if err != nil {
				return cliutil.Usage("%v", fsutil.ReadError("the template", path, err))
			}
			r, err := gen.Render(cat, path, tmpl, syn, vars)
			if err != nil {
				var pe *gen.PlaceholderError
				if errors.As(err, &pe) {
					return cliutil.Refused(fmt.Errorf("%s:%v", path, err))
				}
				return cliutil.Refused(err)
			}
			if len(r.Unused) > 0 {
				// The names come from --vars, a ticket's fields: escaped.
				var unused []string
				for _, n := range r.Unused {
					unused = append(unused, textsafe.QuoteMax(n, 160))
				}
				fmt.Fprintf(e.Stderr, "%s: warning: no placeholder of %s uses %s\n", name, path, strings.Join(unused, ", "))
			}
			dest, err := destination(c, gen.Command{Action: "script"}, "")
			if err != nil {
				return err
			}
			secret := gen.HoldsSecret(cat, r.Script)
			if n := secretFromArgs(cat, r.Script, c.StringSlice("set")); n != "" {
				return cliutil.Usage("--set %s fills a password, and arguments are readable by every user of this machine (in the process list); give it in the --vars JSON file instead (mode 0600)", n)
			}
			return save(e, dest, r.Script, secret)
		},
	}
}
