package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/monitor"
	"github.com/brcs-toolkit/brcs/appliance/reporting/export"
	"github.com/brcs-toolkit/brcs/internal/apiconfig"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/progress"
)

const name = "brcsapi"

// Main runs brcsapi with args (args[0] is the program name) and returns its
// exit status: 0 done, 1 the appliance refused or a download or row
// failed, 2 a usage error, 3 an internal failure, 130 and 143 interrupted
// by SIGINT and SIGTERM (health --nagios uses the Nagios statuses instead).
func Main(args []string, ce cliutil.Env) int {
	return cliutil.Main(name, args, ce, func(ce cliutil.Env) *cli.App { return newApp(&env{Env: ce}) }, completionValues())
}

// env is where a run reads and writes, and its clock.
type env struct {
	cliutil.Env
	// covering is the progress line of the export in progress, which the
	// walk over its range tells how far it is.
	covering *progress.Line
}

// commands are brcsapi's subcommands: one entry each, built here.
func commands(e *env) []*cli.Command {
	return []*cli.Command{
		infoCommand(e),
		healthCommand(e),
		sessionCommand(e),
		shortcutCommand(e),
		backupCommand(e),
		reportCommand(e),
		recordingCommand(e),
		archiveCommand(e),
		ticketCommand(e),
	}
}

func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "appliance", Usage: "the appliance: https://HOST (or $" + apiconfig.EnvAppliance + ", or the config file)"},
		&cli.StringFlag{Name: "config", Usage: "a YAML or JSON file of settings: appliance, client_id, client_secret_file, token_cache, username, password_file, ca_cert, allow_http, rate (or $" + apiconfig.EnvConfig + ")"},
		&cli.StringFlag{Name: "client-id", Usage: "the OAuth API account's client id (or $" + apiconfig.EnvClientID + "); current appliances take API accounts (/login > Management > API Configuration)"},
		&cli.StringFlag{Name: "client-secret-file", Usage: "read the API account's client secret from this file (or $" + apiconfig.EnvSecret + "; never from an argument)"},
		&cli.BoolFlag{Name: "client-secret-stdin", Usage: "read the API account's client secret from standard input"},
		&cli.StringFlag{Name: "token-cache", Usage: "the folder where processes share the API account's token (default: brcsapi in the user's cache folder; off: memory only; or $" + apiconfig.EnvCache + ")"},
		&cli.StringFlag{Name: "username", Usage: "a user account's name, for appliances of the guide's generation (or $" + apiconfig.EnvUsername + ")"},
		&cli.StringFlag{Name: "password-file", Usage: "read the password from this file (never from an argument)"},
		&cli.BoolFlag{Name: "password-stdin", Usage: "read the password from standard input (or set $" + apiconfig.EnvPassword + ")"},
		&cli.StringFlag{Name: "method", Value: "post", Usage: "post (credentials in the request body) or get (in the URL, as the guide's examples; warned)"},
		&cli.BoolFlag{Name: "ns-suffix", Usage: "call the .ns endpoints (/api/command.ns), as older integrations do"},
		&cli.BoolFlag{Name: "allow-http", Usage: "accept a plain http:// appliance (the vendor advises against it)"},
		&cli.StringFlag{Name: "ca-cert", Usage: "a PEM file of CA certificates to trust besides the system's"},
		&cli.DurationFlag{Name: "connect-timeout", Value: 10 * time.Second, Usage: "how long connecting may take"},
		&cli.DurationFlag{Name: "timeout", Value: 30 * time.Second, Usage: "how long waiting for an answer may take"},
		&cli.DurationFlag{Name: "idle-timeout", Value: 60 * time.Second, Usage: "how long a download may go without a byte"},
		&cli.IntFlag{Name: "attempts", Value: 3, Usage: "tries per read when the connection fails or the appliance answers 5xx or 429 (changes are tried once)"},
		&cli.Float64Flag{Name: "rate", Value: appliance.DefaultRate, Usage: fmt.Sprintf("requests a second, at most %d (the appliance's limit per API account)", appliance.DefaultRate)},
		&cli.BoolFlag{Name: "json", Usage: "print data as JSON"},
		&cli.BoolFlag{Name: "verbose", Usage: "trace each request (method, address, parameter names; never values)"},
	}
}

func newApp(e *env) *cli.App {
	app := &cli.App{
		Name:  name,
		Usage: "talk to an appliance's Command, Reporting and Backup APIs: API info, health, session attributes, Jump shortcut import, backups, session reports, recordings, an archive",
		Description: "brcsapi speaks the appliance's XML API (Command API, Reporting API, Backup API and the /check_health probe) with an " +
			"OAuth API account (--client-id and a secret from --client-secret-file, --client-secret-stdin or $" + apiconfig.EnvSecret + "; PA 16.1 / RS 16.2 and later, " +
			"every cloud site) or with a user account that has the API permissions (--username and a password from --password-file, " +
			"--password-stdin or $" + apiconfig.EnvPassword + "). Secrets never come from an argument and are never printed. An API account's token " +
			"is shared by every brcsapi process of the user (--token-cache) and renewed before it expires. User-account credentials " +
			"travel in a POST body by default. The guide also lists a join_session " +
			"action but documents neither its parameters nor its answer, so brcsapi does not offer it. " +
			"Exit status: 0 done, 1 the appliance refused or a download or row failed, 2 usage error, 3 internal failure " +
			"(health --nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN). Flags may come before or after arguments; -- ends the flags.",
		HideHelpCommand: true,
		Flags:           append(globalFlags(), cliutil.DocFlags()...),
		Commands:        commands(e),
	}
	cliutil.Prepare(app, e.Stdin, e.Stdout, e.Stderr)
	return app
}

// completionValues are the words shell completion offers after a flag.
func completionValues() map[string][]string {
	return map[string][]string{"method": {"post", "get"}, "quality": appliance.Qualities,
		"protocol": appliance.Protocols, "terminal": appliance.Terminals, "expect-role": monitor.Roles(),
		"format": export.Formats}
}

// inputs are where the settings come from: the global flags, the
// environment, standard input.
func (e *env) inputs(c *cli.Context) apiconfig.Inputs {
	return apiconfig.Inputs{Getenv: e.Getenv, Stdin: e.Stdin, Flags: apiconfig.Flags{
		Config: c.String("config"), Appliance: c.String("appliance"), Username: c.String("username"),
		ClientID: c.String("client-id"), TokenCache: c.String("token-cache"), CACert: c.String("ca-cert"),
		AllowHTTP: c.Bool("allow-http"), Rate: c.Float64("rate"), RateSet: c.IsSet("rate"),
		PasswordFile: c.String("password-file"), PasswordStdin: c.Bool("password-stdin"),
		ClientSecretFile: c.String("client-secret-file"), ClientSecretStdin: c.Bool("client-secret-stdin"),
	}}
}

// settings resolve each setting: the flag, else the environment, else the
// config file.
func (e *env) settings(c *cli.Context) (apiconfig.Settings, error) {
	s, err := e.inputs(c).Settings()
	if err != nil {
		return s, cliutil.Usage("%v", err)
	}
	return s, nil
}

// client builds the appliance client the global flags describe; with
// creds, it also needs an account and its secret.
func (e *env) client(c *cli.Context, creds bool) (*appliance.Client, error) {
	o := appliance.Options{ConnectTimeout: c.Duration("connect-timeout"), Timeout: c.Duration("timeout"),
		IdleTimeout: c.Duration("idle-timeout"), Attempts: c.Int("attempts"), Method: c.String("method")}
	if c.Bool("ns-suffix") {
		o.Suffix = ".ns"
	}
	if c.Bool("verbose") {
		o.Trace = func(line string) { fmt.Fprintf(e.Stderr, "%s: %s\n", name, line) }
	}
	o.Warn = e.warn // our own words and numbers
	cl, err := e.inputs(c).Client(o, creds, e.warn)
	if err != nil {
		return nil, cliutil.Usage("%v", err)
	}
	return cl, nil
}

// warn says msg on standard error as a warning.
func (e *env) warn(msg string) { fmt.Fprintf(e.Stderr, "%s: warning: %s\n", name, msg) }

// printJSON writes v as indented JSON.
func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
