package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"go.yaml.in/yaml/v3"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting/export"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
)

const name = "brcsapi"

// Main runs brcsapi with args (args[0] is the program name) and returns its
// exit status: 0 done, 1 the appliance refused or a download or row
// failed, 2 a usage error, 3 an internal failure, 130 and 143 interrupted
// by SIGINT and SIGTERM (health --nagios uses the Nagios statuses instead).
func Main(args []string, ce cliutil.Env) (status int) {
	ce = ce.WithDefaults()
	defer cliutil.Recover(name, ce.Stderr, &status)
	ctx, stop := cliutil.Interruptible(ce.Context)
	defer stop()
	ce.Context = ctx
	e := &env{Env: ce}
	return cliutil.Exit(ctx, cliutil.Run(ctx, newApp(e), args, completionValues()), name, e.Stderr)
}

// env is where a run reads and writes, and its clock.
type env struct {
	cliutil.Env
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

// Environment variables read when the flag is not given.
const (
	envAppliance = "BRCSAPI_APPLIANCE"
	envUsername  = "BRCSAPI_USERNAME"
	envPassword  = "BRCSAPI_PASSWORD"
	envConfig    = "BRCSAPI_CONFIG"
)

func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "appliance", Usage: "the appliance: https://HOST (or $" + envAppliance + ", or the config file)"},
		&cli.StringFlag{Name: "config", Usage: "a YAML or JSON file of settings: appliance, username, password_file, ca_cert, allow_http, rate (or $" + envConfig + ")"},
		&cli.StringFlag{Name: "username", Usage: "the API account's user name (or $" + envUsername + ")"},
		&cli.StringFlag{Name: "password-file", Usage: "read the password from this file (never from an argument)"},
		&cli.BoolFlag{Name: "password-stdin", Usage: "read the password from standard input (or set $" + envPassword + ")"},
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
		Description: "brcsapi speaks the appliance's XML API (Command API, Reporting API, Backup API and the /check_health probe) with a user account " +
			"that has the API permissions. Credentials travel in a POST body by default; the password comes from --password-file, " +
			"--password-stdin or $" + envPassword + ", never from an argument, and is never printed. The guide also lists a join_session " +
			"action but documents neither its parameters nor its answer, so brcsapi does not offer it. OAuth API accounts (later " +
			"versions) are not supported yet. " +
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
	return map[string][]string{"method": {"post", "get"}, "kind": kindNames(), "quality": appliance.Qualities,
		"protocol": appliance.Protocols, "terminal": appliance.Terminals, "expect-role": {"none", "primary", "backup"},
		"format": export.Formats}
}

// config is the settings file.
type config struct {
	Appliance    string  `yaml:"appliance" json:"appliance"`
	Username     string  `yaml:"username" json:"username"`
	PasswordFile string  `yaml:"password_file" json:"password_file"`
	CACert       string  `yaml:"ca_cert" json:"ca_cert"`
	AllowHTTP    bool    `yaml:"allow_http" json:"allow_http"`
	Rate         float64 `yaml:"rate" json:"rate"`
}

// settings resolve each setting: the flag, else the environment, else the
// config file.
func (e *env) settings(c *cli.Context) (config, error) {
	var cf config
	path := c.String("config")
	if path == "" {
		path = e.Getenv(envConfig)
	}
	if path != "" {
		raw, err := fsutil.ReadFileLimit(path, 1<<16)
		if err != nil {
			return cf, cliutil.Usage("--config: %v", err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(raw)))
		dec.KnownFields(true)
		if err := dec.Decode(&cf); err != nil && err != io.EOF {
			return cf, cliutil.Usage("--config %s: %v", path, err)
		}
	}
	pick := func(flag, envName string, into *string) {
		if v := c.String(flag); v != "" {
			*into = v
		} else if v := e.Getenv(envName); v != "" {
			*into = v
		}
	}
	pick("appliance", envAppliance, &cf.Appliance)
	pick("username", envUsername, &cf.Username)
	pick("ca-cert", "", &cf.CACert)
	if c.Bool("allow-http") {
		cf.AllowHTTP = true
	}
	if c.IsSet("rate") || cf.Rate == 0 {
		cf.Rate = c.Float64("rate")
	}
	if cf.Appliance == "" {
		return cf, cliutil.Usage("give the appliance: --appliance https://HOST, $%s, or appliance: in --config", envAppliance)
	}
	return cf, nil
}

// password reads the password: --password-stdin, else --password-file,
// else $BRCSAPI_PASSWORD, else the config file's password_file.
func (e *env) password(c *cli.Context, cf config) (string, error) {
	if c.Bool("password-stdin") && c.String("password-file") != "" {
		return "", cliutil.Usage("give the password with --password-file or --password-stdin, not both")
	}
	var raw []byte
	var err error
	switch {
	case c.Bool("password-stdin"):
		raw, err = fsutil.ReadLimit(e.Stdin, 4096)
	case c.String("password-file") != "":
		raw, err = fsutil.ReadFileLimit(c.String("password-file"), 4096)
	case e.Getenv(envPassword) != "":
		raw = []byte(e.Getenv(envPassword))
	case cf.PasswordFile != "":
		raw, err = fsutil.ReadFileLimit(cf.PasswordFile, 4096)
	default:
		return "", cliutil.Usage("this needs the account's password: --password-file FILE, --password-stdin or $%s (never an argument)", envPassword)
	}
	if err != nil {
		return "", cliutil.Usage("reading the password: %v", err)
	}
	if len(raw) > 4096 {
		return "", cliutil.Usage("the password is longer than 4096 bytes")
	}
	pw := strings.TrimSuffix(strings.TrimSuffix(string(raw), "\n"), "\r")
	if pw == "" {
		return "", cliutil.Usage("the password is empty")
	}
	return pw, nil
}

// client builds the appliance client the global flags describe; with
// creds, it also needs a user name and a password.
func (e *env) client(c *cli.Context, creds bool) (*appliance.Client, error) {
	cf, err := e.settings(c)
	if err != nil {
		return nil, err
	}
	o := appliance.Options{AllowHTTP: cf.AllowHTTP, ConnectTimeout: c.Duration("connect-timeout"), Timeout: c.Duration("timeout"),
		IdleTimeout: c.Duration("idle-timeout"), Attempts: c.Int("attempts"), Rate: cf.Rate, Method: c.String("method")}
	if c.Bool("ns-suffix") {
		o.Suffix = ".ns"
	}
	if c.Bool("verbose") {
		o.Trace = func(line string) { fmt.Fprintf(e.Stderr, "%s: %s\n", name, line) }
	}
	if cf.CACert != "" {
		if o.CACertsPEM, err = fsutil.ReadFileLimit(cf.CACert, 1<<20); err != nil {
			return nil, cliutil.Usage("--ca-cert: %v", err)
		}
	}
	var cr appliance.Credentials
	if creds {
		if cf.Username == "" {
			return nil, cliutil.Usage("this needs the API account: --username NAME (or $%s) and a password", envUsername)
		}
		pw, err := e.password(c, cf)
		if err != nil {
			return nil, err
		}
		cr = appliance.UserPassword{Username: cf.Username, Password: pw}
		if strings.EqualFold(o.Method, "get") {
			fmt.Fprintf(e.Stderr, "%s: warning: --method get puts the password in the URL, where proxies and access logs keep it\n", name)
		}
	}
	cl, err := appliance.New(cf.Appliance, cr, o)
	if err != nil {
		return nil, cliutil.Usage("%v", err)
	}
	return cl, nil
}

// printJSON writes v as indented JSON.
func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func kindNames() []string {
	var out []string
	for _, k := range appliance.ShortcutKinds {
		out = append(out, string(k))
	}
	return out
}
