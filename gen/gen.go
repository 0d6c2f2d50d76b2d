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
	c := Command{Action: JumpAction, Params: make([]Param, 0, 4+len(j.Custom))}
	for _, spec := range jumpSpecs() {
		if spec.Prefix {
			names := make([]string, 0, len(j.Custom))
			for n := range j.Custom {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				c.Params = append(c.Params, Param{Key: spec.Name + n, Value: j.Custom[n]})
			}
		} else if v := j.value(spec.Name); v != "" {
			c.Params = append(c.Params, Param{Key: spec.Name, Value: v})
		}
	}
	return c
}

// value returns the field of j that sets key.
func (j Jump) value(key string) string {
	switch key {
	case "client.hostname":
		return j.Hostname
	case "client.comments":
		return j.Comments
	case "client.tag":
		return j.Tag
	case "client.private_ip":
		return j.PrivateIP
	case "client.public_ip":
		return j.PublicIP
	case "search_string":
		return j.SearchString
	case "jump.method":
		return j.Method
	case "session.custom.external_key":
		return j.ExternalKey
	}
	return ""
}

// jumpSpecs are the parameters of start_jump_item_session in the most
// complete catalogue (rs), in its order.
func jumpSpecs() []brcs.ParamSpec {
	cat, err := brcs.LookupProfile("rs")
	if err != nil {
		return nil
	}
	a, ok := cat.Lookup(JumpAction)
	if !ok {
		return nil
	}
	return a.Params
}

// Ordered builds a command from its action and parameters, empty values
// left out, the parameters in the order the most complete catalogue (rs)
// lists their keys for that action. Parameters of one spec (custom fields)
// and keys the catalogue does not know (which the validator then reports)
// keep the order they were given in, the unknown ones last.
func Ordered(action string, params []Param) Command {
	c := Command{Action: action, Params: make([]Param, 0, len(params))}
	for _, p := range params {
		if p.Value != "" {
			c.Params = append(c.Params, p)
		}
	}
	orderInPlace(c)
	return c
}

// orderInPlace sorts c's parameters into catalogue order (see Ordered).
func orderInPlace(c Command) {
	var a *brcs.Action
	if cat, err := brcs.LookupProfile("rs"); err == nil {
		a, _ = cat.Lookup(c.Action)
	}
	if a == nil || len(c.Params) < 2 {
		return
	}
	// Each key's rank once, on the stack for any usual command.
	var buf [16]int
	ranks := buf[:0]
	if len(c.Params) > len(buf) {
		ranks = make([]int, 0, len(c.Params))
	}
	for _, p := range c.Params {
		r, ok := a.Index(p.Key)
		if !ok {
			r = len(a.Params)
		}
		ranks = append(ranks, r)
	}
	// A stable insertion sort: a command has a handful of parameters.
	for i := 1; i < len(c.Params); i++ {
		for k := i; k > 0 && ranks[k] < ranks[k-1]; k-- {
			c.Params[k], c.Params[k-1] = c.Params[k-1], c.Params[k]
			ranks[k], ranks[k-1] = ranks[k-1], ranks[k]
		}
	}
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
