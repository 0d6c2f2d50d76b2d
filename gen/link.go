package gen

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/brcs-toolkit/brcs/brcs"
)

// ClientScriptPath is the path of the appliance's client scripting API.
const ClientScriptPath = "/api/client_script"

// ErrSecretInLink refuses a link that would carry a password: links end up
// in tickets, browser histories and proxy logs.
var ErrSecretInLink = errors.New("a link would carry the password in plain text into tickets, browser histories and logs; write a script file with brcsgen login instead")

// Appliance is the checked base address of an appliance.
type Appliance struct {
	base string // scheme://host
}

// NewAppliance checks an appliance's address: https://HOST[:PORT], with no
// path beyond "/", no query, no fragment and no credentials. allowHTTP
// accepts http://, which the vendor's guide advises against.
func NewAppliance(addr string, allowHTTP bool) (*Appliance, error) {
	u, err := parseAppliance(addr, allowHTTP)
	if err != nil {
		return nil, err
	}
	return &Appliance{base: u.String()}, nil
}

// String returns scheme://host.
func (a *Appliance) String() string { return a.base }

func parseAppliance(addr string, allowHTTP bool) (*url.URL, error) {
	u, err := url.Parse(addr)
	if err != nil {
		return nil, fmt.Errorf("appliance %q: %v", addr, err)
	}
	a := struct {
		URL       string
		AllowHTTP bool
	}{addr, allowHTTP}
	switch {
	case u.Scheme == "http" && !a.AllowHTTP:
		return nil, fmt.Errorf("appliance %q: plain http is refused (the vendor's guide advises against it); use https, or --allow-http on a network you trust", a.URL)
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("appliance %q: want https://HOST", a.URL)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("appliance %q: no host", a.URL)
	case u.User != nil:
		return nil, fmt.Errorf("appliance %q: credentials do not belong in the address", redactUser(u))
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "", u.Opaque != "":
		return nil, fmt.Errorf("appliance %q: give only https://HOST; the path and query are the toolkit's to write", a.URL)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

func redactUser(u *url.URL) string {
	c := *u
	c.User = url.User(Redacted)
	return c.String()
}

// Redacted stands in for a secret in anything shown.
const Redacted = "****"

// Link returns the client scripting API link with which the appliance
// generates a script running c:
// https://HOST/api/client_script?type=rep&operation=generate&action=...
// c is validated against cat first; a command holding a password is
// refused (ErrSecretInLink).
func Link(a *Appliance, cat *brcs.Catalogue, c Command) (string, error) {
	if c.Action == "delete_script_file" {
		return "", errors.New("the appliance adds delete_script_file to every script it generates; ask for the command that comes before it")
	}
	m := c.Model()
	if errs := brcs.Errors(brcs.ValidateCommand(m, cat)); len(errs) > 0 {
		return "", &InvalidError{What: "the " + c.Action + " command", Findings: errs}
	}
	if c.Secret(cat) {
		return "", ErrSecretInLink
	}
	const query = ClientScriptPath + "?type=rep&operation=generate&"
	var b strings.Builder
	b.Grow(len(a.base) + len(query) + m.End.Offset)
	b.WriteString(a.base)
	b.WriteString(query)
	m.WriteText(&b)
	return b.String(), nil
}
