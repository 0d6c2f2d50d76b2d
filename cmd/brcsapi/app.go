package main

import (
	"encoding/json"
	"errors"
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
	"github.com/brcs-toolkit/brcs/internal/textsafe"
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
	covering *meter
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
	envClientID  = "BRCSAPI_CLIENT_ID"
	envSecret    = "BRCSAPI_CLIENT_SECRET"
	envCache     = "BRCSAPI_TOKEN_CACHE"
)

func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "appliance", Usage: "the appliance: https://HOST (or $" + envAppliance + ", or the config file)"},
		&cli.StringFlag{Name: "config", Usage: "a YAML or JSON file of settings: appliance, client_id, client_secret_file, token_cache, username, password_file, ca_cert, allow_http, rate (or $" + envConfig + ")"},
		&cli.StringFlag{Name: "client-id", Usage: "the OAuth API account's client id (or $" + envClientID + "); current appliances take API accounts (/login > Management > API Configuration)"},
		&cli.StringFlag{Name: "client-secret-file", Usage: "read the API account's client secret from this file (or $" + envSecret + "; never from an argument)"},
		&cli.BoolFlag{Name: "client-secret-stdin", Usage: "read the API account's client secret from standard input"},
		&cli.StringFlag{Name: "token-cache", Usage: "the folder where processes share the API account's token (default: brcsapi in the user's cache folder; off: memory only; or $" + envCache + ")"},
		&cli.StringFlag{Name: "username", Usage: "a user account's name, for appliances of the guide's generation (or $" + envUsername + ")"},
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
		Description: "brcsapi speaks the appliance's XML API (Command API, Reporting API, Backup API and the /check_health probe) with an " +
			"OAuth API account (--client-id and a secret from --client-secret-file, --client-secret-stdin or $" + envSecret + "; PA 16.1 / RS 16.2 and later, " +
			"every cloud site) or with a user account that has the API permissions (--username and a password from --password-file, " +
			"--password-stdin or $" + envPassword + "). Secrets never come from an argument and are never printed. An API account's token " +
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
	return map[string][]string{"method": {"post", "get"}, "kind": kindNames(), "quality": appliance.Qualities,
		"protocol": appliance.Protocols, "terminal": appliance.Terminals, "expect-role": {"none", "primary", "backup"},
		"format": export.Formats}
}

// config is the settings file.
type config struct {
	Appliance        string  `yaml:"appliance" json:"appliance"`
	ClientID         string  `yaml:"client_id" json:"client_id"`
	ClientSecretFile string  `yaml:"client_secret_file" json:"client_secret_file"`
	TokenCache       string  `yaml:"token_cache" json:"token_cache"`
	Username         string  `yaml:"username" json:"username"`
	PasswordFile     string  `yaml:"password_file" json:"password_file"`
	CACert           string  `yaml:"ca_cert" json:"ca_cert"`
	AllowHTTP        bool    `yaml:"allow_http" json:"allow_http"`
	Rate             float64 `yaml:"rate" json:"rate"`
}

// hasAccount reports whether an account is given: an API account's client
// id or a user name.
func (cf config) hasAccount() bool { return cf.ClientID != "" || cf.Username != "" }

// settings resolve each setting: the flag, else the environment, else the
// config file.
func (e *env) settings(c *cli.Context) (config, error) {
	var cf config
	path, from := c.String("config"), "--config"
	if path == "" {
		path, from = e.Getenv(envConfig), "$"+envConfig
	}
	if path != "" {
		raw, err := fsutil.ReadFileLimit(path, 1<<16)
		if err != nil {
			return cf, cliutil.Usage("%s: %v", from, err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(raw)))
		dec.KnownFields(true)
		if err := dec.Decode(&cf); err != nil && err != io.EOF {
			return cf, cliutil.Usage("%s %s: %s", from, path, configError(err))
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
	pick("client-id", envClientID, &cf.ClientID)
	pick("token-cache", envCache, &cf.TokenCache)
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

// configError says what is wrong in a config file in the user's words:
// an unknown key is named, with the setting meant when there is one.
func configError(err error) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err.Error()
	}
	var out []string
	for _, m := range te.Errors {
		line, rest, ok := strings.Cut(m, ": field ")
		key, _, found := strings.Cut(rest, " not found in type")
		if !ok || !found {
			out = append(out, m)
			continue
		}
		msg := fmt.Sprintf("%s: %s is not a setting", line, key)
		switch key {
		case "password":
			msg += "; put the password in a file (0600) and name it with password_file"
		case "client_secret", "secret":
			msg += "; put the client secret in a file (0600) and name it with client_secret_file"
		default:
			msg += "; the settings are appliance, client_id, client_secret_file, token_cache, username, password_file, ca_cert, allow_http, rate"
		}
		out = append(out, msg)
	}
	return strings.Join(out, "; ")
}

// password reads the password: --password-stdin, else --password-file,
// else $BRCSAPI_PASSWORD, else the config file's password_file.
func (e *env) password(c *cli.Context, cf config) (string, error) {
	return e.secret(c, "password", "password-stdin", "password-file", envPassword, cf.PasswordFile, "password_file")
}

// clientSecret reads the API account's secret the same way.
func (e *env) clientSecret(c *cli.Context, cf config) (string, error) {
	return e.secret(c, "client secret", "client-secret-stdin", "client-secret-file", envSecret, cf.ClientSecretFile, "client_secret_file")
}

func (e *env) secret(c *cli.Context, what, stdinFlag, fileFlag, envName, cfFile, cfKey string) (string, error) {
	if c.Bool(stdinFlag) && c.String(fileFlag) != "" {
		return "", cliutil.Usage("give the %s with --%s or --%s, not both", what, fileFlag, stdinFlag)
	}
	var raw []byte
	var err error
	from := ""
	switch {
	case c.Bool(stdinFlag):
		raw, err = fsutil.ReadLimit(e.Stdin, 4096)
		from = "--" + stdinFlag
	case c.String(fileFlag) != "":
		raw, err = fsutil.ReadFileLimit(c.String(fileFlag), 4096)
		from = "--" + fileFlag
	case e.Getenv(envName) != "":
		raw = []byte(e.Getenv(envName))
		from = "$" + envName
	case cfFile != "":
		raw, err = fsutil.ReadFileLimit(cfFile, 4096)
		from = cfKey + " in the config file"
	default:
		return "", cliutil.Usage("this needs the account's %s: --%s FILE, --%s or $%s (never an argument)", what, fileFlag, stdinFlag, envName)
	}
	if err != nil {
		return "", cliutil.Usage("reading the %s (%s): %v", what, from, err)
	}
	if len(raw) > 4096 {
		return "", cliutil.Usage("the %s (%s) is longer than 4096 bytes", what, from)
	}
	v := strings.TrimSuffix(strings.TrimSuffix(string(raw), "\n"), "\r")
	if v == "" {
		return "", cliutil.Usage("the %s (%s) is empty", what, from)
	}
	return v, nil
}

// tokenCache is the folder of the shared token: --token-cache,
// $BRCSAPI_TOKEN_CACHE or token_cache, else the user's cache folder; off
// keeps it in memory.
func tokenCache(cf config) (string, error) {
	switch cf.TokenCache {
	case "off":
		return "", nil
	case "":
		dir, err := appliance.DefaultTokenCache()
		if err != nil {
			return "", cliutil.Usage("%v: give a folder with --token-cache DIR or $%s, or --token-cache off", err, envCache)
		}
		return dir, nil
	}
	return cf.TokenCache, nil
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
	switch {
	case creds && cf.ClientID != "" && cf.Username != "":
		return nil, cliutil.Usage("both an API account (client id %s) and a user name (%s) are given: choose one (an API account with --client-id, or a user account with --username)", textsafe.Quote(cf.ClientID), textsafe.Quote(cf.Username))
	case creds && cf.ClientID != "":
		if cf.AllowHTTP {
			return nil, cliutil.Usage("--allow-http cannot be used with an API account: API accounts work over HTTPS only")
		}
		secret, err := e.clientSecret(c, cf)
		if err != nil {
			return nil, err
		}
		dir, err := tokenCache(cf)
		if err != nil {
			return nil, err
		}
		cr = appliance.ClientCredentials{ClientID: cf.ClientID, Secret: secret, TokenCache: dir}
	case creds:
		if cf.Username == "" {
			return nil, cliutil.Usage("this needs an account: an API account (--client-id ID or $%s, and a client secret) or a user account (--username NAME or $%s, and a password)", envClientID, envUsername)
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
