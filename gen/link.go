package gen

import (
	"errors"
	"strings"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/brcs"
)

// ErrSecretInLink refuses a link that would carry a password: links end up
// in tickets, browser histories and proxy logs.
var ErrSecretInLink = errors.New("a link would carry the password in plain text into tickets, browser histories and logs; write a script file with brcsgen login instead")

// Link returns the client scripting API link with which the appliance at
// a (see appliance.ParseAddress) generates a script running c:
// https://HOST/api/client_script?type=rep&operation=generate&action=...
// c is validated against cat first; a command holding a password is
// refused (ErrSecretInLink).
func Link(a appliance.Address, cat *brcs.Catalogue, c Command) (string, error) {
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
	if a.Host == "" {
		return "", errors.New("no appliance address; see appliance.ParseAddress")
	}
	const query = appliance.ScriptPath + "?type=rep&operation=generate&"
	base := a.String()
	var b strings.Builder
	b.Grow(len(base) + len(query) + m.End.Offset)
	b.WriteString(base)
	b.WriteString(query)
	m.WriteText(&b)
	return b.String(), nil
}
