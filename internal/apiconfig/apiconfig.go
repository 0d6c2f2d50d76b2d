// Package apiconfig resolves brcsapi's settings, each from its flag, else
// its environment variable, else the config file; reads the account's
// secret from a file, standard input or the environment (never an
// argument); and builds the appliance client they describe.
//
// Every error it returns is the user's to fix (a usage error) and says
// which flag, variable or file is wrong; none quotes a secret.
package apiconfig

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// Environment variables read when the flag is not given.
const (
	EnvAppliance = "BRCSAPI_APPLIANCE"
	EnvUsername  = "BRCSAPI_USERNAME"
	EnvPassword  = "BRCSAPI_PASSWORD"
	EnvConfig    = "BRCSAPI_CONFIG"
	EnvClientID  = "BRCSAPI_CLIENT_ID"
	EnvSecret    = "BRCSAPI_CLIENT_SECRET"
	EnvCache     = "BRCSAPI_TOKEN_CACHE"
)

// Settings are the config file's settings (YAML or JSON), and what they
// come to once the flags and the environment are applied.
type Settings struct {
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

// HasAccount reports whether an account is given: an API account's client
// id or a user name.
func (s Settings) HasAccount() bool { return s.ClientID != "" || s.Username != "" }

// Flags are the settings given on the command line; "" and false are a
// flag not given.
type Flags struct {
	Config, Appliance, Username, ClientID, TokenCache, CACert string
	AllowHTTP                                                 bool
	// Rate is --rate's value (its default when not given); RateSet says
	// it was given, so that it wins over the config file's.
	Rate    float64
	RateSet bool

	PasswordFile, ClientSecretFile   string
	PasswordStdin, ClientSecretStdin bool
}

// Inputs are where the settings come from: the flags, the environment
// and standard input (for a secret read from it).
type Inputs struct {
	Flags  Flags
	Getenv func(string) string
	Stdin  io.Reader
}

// Settings resolves each setting: the flag, else the environment, else
// the config file (--config or $BRCSAPI_CONFIG). The appliance is
// required.
func (in Inputs) Settings() (Settings, error) {
	var s Settings
	f := in.Flags
	path, from := f.Config, "--config"
	if path == "" {
		path, from = in.Getenv(EnvConfig), "$"+EnvConfig
	}
	if path != "" {
		raw, err := fsutil.ReadFileLimit(path, 1<<16)
		if err != nil {
			return s, fmt.Errorf("%s: %v", from, err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(raw)))
		dec.KnownFields(true)
		if err := dec.Decode(&s); err != nil && err != io.EOF {
			return s, fmt.Errorf("%s %s: %s", from, path, ConfigError(err))
		}
	}
	pick := func(flag, envName string, into *string) {
		if flag != "" {
			*into = flag
		} else if v := in.Getenv(envName); envName != "" && v != "" {
			*into = v
		}
	}
	pick(f.Appliance, EnvAppliance, &s.Appliance)
	pick(f.Username, EnvUsername, &s.Username)
	pick(f.ClientID, EnvClientID, &s.ClientID)
	pick(f.TokenCache, EnvCache, &s.TokenCache)
	pick(f.CACert, "", &s.CACert)
	if f.AllowHTTP {
		s.AllowHTTP = true
	}
	if f.RateSet || s.Rate == 0 {
		s.Rate = f.Rate
	}
	if s.Appliance == "" {
		return s, fmt.Errorf("give the appliance: --appliance https://HOST, $%s, or appliance: in --config", EnvAppliance)
	}
	return s, nil
}

// ConfigError says what is wrong in a config file in the user's words:
// an unknown key is named, with the setting meant when there is one.
func ConfigError(err error) string {
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

// Password reads the password: --password-stdin, else --password-file,
// else $BRCSAPI_PASSWORD, else the config file's password_file.
func (in Inputs) Password(s Settings) (string, error) {
	return in.secret("password", "password-stdin", "password-file", in.Flags.PasswordStdin, in.Flags.PasswordFile, EnvPassword, s.PasswordFile, "password_file")
}

// ClientSecret reads the API account's secret the same way.
func (in Inputs) ClientSecret(s Settings) (string, error) {
	return in.secret("client secret", "client-secret-stdin", "client-secret-file", in.Flags.ClientSecretStdin, in.Flags.ClientSecretFile, EnvSecret, s.ClientSecretFile, "client_secret_file")
}

// maxSecret is the longest secret read, in bytes.
const maxSecret = 4096

func (in Inputs) secret(what, stdinFlag, fileFlag string, stdin bool, file, envName, cfFile, cfKey string) (string, error) {
	if stdin && file != "" {
		return "", fmt.Errorf("give the %s with --%s or --%s, not both", what, fileFlag, stdinFlag)
	}
	var raw []byte
	var err error
	from := ""
	switch {
	case stdin:
		raw, err = fsutil.ReadLimit(in.Stdin, maxSecret)
		from = "--" + stdinFlag
	case file != "":
		raw, err = fsutil.ReadFileLimit(file, maxSecret)
		from = "--" + fileFlag
	case in.Getenv(envName) != "":
		raw = []byte(in.Getenv(envName))
		from = "$" + envName
	case cfFile != "":
		raw, err = fsutil.ReadFileLimit(cfFile, maxSecret)
		from = cfKey + " in the config file"
	default:
		return "", fmt.Errorf("this needs the account's %s: --%s FILE, --%s or $%s (never an argument)", what, fileFlag, stdinFlag, envName)
	}
	if err != nil {
		return "", fmt.Errorf("reading the %s (%s): %v", what, from, err)
	}
	if len(raw) > maxSecret {
		return "", fmt.Errorf("the %s (%s) is longer than 4096 bytes", what, from)
	}
	v := strings.TrimSuffix(strings.TrimSuffix(string(raw), "\n"), "\r")
	if v == "" {
		return "", fmt.Errorf("the %s (%s) is empty", what, from)
	}
	return v, nil
}

// TokenCache is the folder of the shared token: --token-cache,
// $BRCSAPI_TOKEN_CACHE or token_cache, else the user's cache folder; off
// keeps it in memory ("").
func TokenCache(s Settings) (string, error) {
	switch strings.ToLower(s.TokenCache) {
	case "off":
		return "", nil
	case "":
		dir, err := appliance.DefaultTokenCache()
		if err != nil {
			return "", fmt.Errorf("%v: give a folder with --token-cache DIR or $%s, or --token-cache off", err, EnvCache)
		}
		return dir, nil
	}
	return s.TokenCache, nil
}

// Client builds the appliance client the inputs describe. o holds what
// the settings do not (timeouts, method, trace); the settings give
// AllowHTTP, Rate and the CA certificates. With creds it also needs an
// account (an API account or a user name) and its secret. warn is told
// of a risk the user took (a password in the URL).
func (in Inputs) Client(o appliance.Options, creds bool, warn func(string)) (*appliance.Client, error) {
	s, err := in.Settings()
	if err != nil {
		return nil, err
	}
	o.AllowHTTP, o.Rate = s.AllowHTTP, s.Rate
	if s.CACert != "" {
		if o.CACertsPEM, err = fsutil.ReadFileLimit(s.CACert, 1<<20); err != nil {
			return nil, fmt.Errorf("--ca-cert: %v", err)
		}
	}
	var cr appliance.Credentials
	if creds {
		if cr, err = in.credentials(s, o.Method, warn); err != nil {
			return nil, err
		}
	}
	return appliance.New(s.Appliance, cr, o)
}

// credentials are the account's: an API account's client id and secret,
// or a user name and password.
func (in Inputs) credentials(s Settings, method string, warn func(string)) (appliance.Credentials, error) {
	switch {
	case s.ClientID != "" && s.Username != "":
		return nil, fmt.Errorf("both an API account (client id %s) and a user name (%s) are given: choose one (an API account with --client-id, or a user account with --username)", textsafe.Quote(s.ClientID), textsafe.Quote(s.Username))
	case s.ClientID != "":
		if s.AllowHTTP {
			return nil, errors.New("--allow-http cannot be used with an API account: API accounts work over HTTPS only")
		}
		secret, err := in.ClientSecret(s)
		if err != nil {
			return nil, err
		}
		dir, err := TokenCache(s)
		if err != nil {
			return nil, err
		}
		return appliance.ClientCredentials{ClientID: s.ClientID, Secret: secret, TokenCache: dir}, nil
	case s.Username == "":
		return nil, fmt.Errorf("this needs an account: an API account (--client-id ID or $%s, and a client secret) or a user account (--username NAME or $%s, and a password)", EnvClientID, EnvUsername)
	}
	pw, err := in.Password(s)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(method, "get") && warn != nil {
		warn("--method get puts the password in the URL, where proxies and access logs keep it")
	}
	return appliance.UserPassword{Username: s.Username, Password: pw}, nil
}
