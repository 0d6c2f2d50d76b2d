// Package gen builds BRCS commands, scripts and help-desk links from typed
// options or key/value pairs, fills script templates with canonically
// encoded values, and fetches scripts from an appliance. Everything it
// produces is built through the brcs model, encoded canonically and
// checked by the brcs validator before it is returned: gen never returns
// what brcslint would reject. Errors are values that say which field is
// wrong.
package gen

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/brcs-toolkit/brcs/brcs"
)

// Param is one parameter with its key and value not yet encoded.
type Param = brcs.KeyValue

// Command is an action and its parameters, not yet encoded.
type Command struct {
	Action string
	Params []Param
}

// Model returns c as a brcs model, its text canonical.
func (c Command) Model() *brcs.Command { return brcs.NewCommand(c.Action, c.Params) }

// Encode returns the command's text, every key and value encoded
// canonically. It does not validate; Check does.
func (c Command) Encode() string { return c.Model().String() }

// Secret reports whether any of c's values is a secret in cat.
func (c Command) Secret(cat *brcs.Catalogue) bool {
	a, ok := cat.Lookup(c.Action)
	if ok && !a.HasSecret() {
		return false
	}
	for _, p := range c.Params {
		if ok {
			if spec, ok := a.Param(p.Key); ok && spec.Secret && p.Value != "" {
				return true
			}
		} else if p.Key == "password" {
			return true
		}
	}
	return false
}

// InvalidError is returned when what would be produced does not validate:
// it lists the findings (errors only), which never show a secret.
type InvalidError struct {
	What     string
	Findings []brcs.Diagnostic
}

func (e *InvalidError) Error() string {
	var msgs []string
	for _, d := range e.Findings {
		msgs = append(msgs, d.Message+" ["+d.Rule+"]")
	}
	return fmt.Sprintf("%s would not be valid: %s", e.What, strings.Join(msgs, "; "))
}

// Check validates c on its own (as --run-script would take it) against cat.
func (c Command) Check(cat *brcs.Catalogue) error {
	if cat == nil {
		return errors.New("no catalogue")
	}
	if errs := brcs.Errors(brcs.ValidateCommand(c.Model(), cat)); len(errs) > 0 {
		return &InvalidError{What: "the " + c.Action + " command", Findings: errs}
	}
	return nil
}

// Jump are the options of a start_jump_item_session command. Command maps
// them to the catalogue's keys; a test holds every key to the catalogue.
type Jump struct {
	Hostname  string
	Comments  string
	Tag       string
	PrivateIP string
	PublicIP  string
	// SearchString exists in the rs profile only.
	SearchString string
	Method       string
	// ExternalKey is session.custom.external_key, the ticket number.
	ExternalKey string
	// Custom are further session.custom.<name> fields, by code name.
	Custom map[string]string
}

// JumpAction is the action Jump builds.
const JumpAction = "start_jump_item_session"

// Command returns the jump as a command, its parameters in the order the
// catalogue lists them and custom fields sorted by name after the external
// key.
func (j Jump) Command() Command {
	values := map[string]string{
		"client.hostname": j.Hostname, "client.comments": j.Comments, "client.tag": j.Tag,
		"client.private_ip": j.PrivateIP, "client.public_ip": j.PublicIP, "search_string": j.SearchString,
		"jump.method": j.Method, "session.custom.external_key": j.ExternalKey,
	}
	return Ordered(JumpAction, values, j.Custom)
}

// Ordered builds a command from its action, values by key and custom
// fields by code name, empty values left out. Keys come in the order the
// most complete catalogue (rs) lists them for that action, custom fields
// sorted by name after them, and unknown keys sorted at the end (the
// validator then reports them).
func Ordered(action string, values map[string]string, custom map[string]string) Command {
	c := Command{Action: action, Params: make([]Param, 0, len(values)+len(custom))}
	done := map[string]bool{}
	if cat, err := brcs.LookupProfile("rs"); err == nil {
		if a, ok := cat.Lookup(action); ok {
			for _, spec := range a.Params {
				if v := values[spec.Name]; !spec.Prefix && v != "" {
					c.Params = append(c.Params, Param{Key: spec.Name, Value: v})
					done[spec.Name] = true
				}
			}
		}
	}
	var rest []string
	for k, v := range values {
		if !done[k] && v != "" {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	names := make([]string, 0, len(custom))
	for n := range custom {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c.Params = append(c.Params, Param{Key: "session.custom." + n, Value: custom[n]})
	}
	for _, k := range rest {
		c.Params = append(c.Params, Param{Key: k, Value: values[k]})
	}
	return c
}

// Login are the options of a login command; both empty means the
// credentials saved in the console.
type Login struct {
	Username string
	Password string
}

// Command returns the login as a command.
func (l Login) Command() Command {
	c := Command{Action: "login"}
	if l.Username != "" || l.Password != "" {
		c.Params = []Param{{Key: "mechanism", Value: "username_password"}, {Key: "username", Value: l.Username}, {Key: "password", Value: l.Password}}
	}
	return c
}
