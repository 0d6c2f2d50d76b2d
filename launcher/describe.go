package launcher

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/brcs-toolkit/brcs/brcs"
)

// Describe says in words what each command of s will do, one sentence a
// command. Secret values are never shown; other values are quoted when
// they hold anything but plain printable text.
func Describe(s *brcs.Script, cat *brcs.Catalogue) []string {
	var out []string
	for _, c := range s.Commands() {
		out = append(out, describe(c, cat))
	}
	return out
}

// show quotes v when it holds control, format or other invisible
// characters, so a value cannot disguise itself on screen.
func show(v string) string {
	q := strconv.QuoteToGraphic(v)
	if q[1:len(q)-1] == v && !strings.ContainsAny(v, " \"") {
		return v
	}
	return q
}

func describe(c *brcs.Command, cat *brcs.Catalogue) string {
	get := func(k string) string {
		if p, ok := c.Get(k); ok {
			return p.Value.Decoded
		}
		return ""
	}
	switch c.Action() {
	case "login":
		if u := get("username"); u != "" {
			return fmt.Sprintf("log in to the access console as %s, with a password stored in plain text in this file (not shown)", show(u))
		}
		return "open the access console and log in with the credentials it has saved"
	case "delete_script_file":
		return "delete the script file once it has run"
	case "start_jump_item_session", "start_pinned_client_session":
		a, _ := cat.Lookup(c.Action())
		target := "a Jump Item"
		if c.Action() == "start_pinned_client_session" {
			target = "a pinned Jump Client"
		}
		var filters []string
		if a != nil {
			// The catalogue's words, in its order.
			for _, spec := range a.Params {
				v := get(spec.Name)
				switch {
				case v == "":
				case spec.Filter != "":
					filters = append(filters, spec.Filter+" "+show(v))
				case spec.ValueWords[v] != "":
					target = spec.ValueWords[v]
				}
			}
		}
		s := "start a Jump session to " + target
		if len(filters) > 0 {
			s += " whose " + strings.Join(filters, " and whose ")
		}
		if k := get("session.custom.external_key"); k != "" {
			s += ", ticket " + show(k)
		}
		var custom []string
		for _, p := range c.Params {
			if n, ok := strings.CutPrefix(p.Key.Decoded, "session.custom."); ok && n != "external_key" {
				custom = append(custom, n+"="+show(p.Value.Decoded))
			}
		}
		if len(custom) > 0 {
			s += ", with " + strings.Join(custom, ", ")
		}
		return s
	}
	// Any other action of the profile: name it and its parameters.
	a, _ := cat.Lookup(c.Action())
	var parts []string
	for _, p := range c.Params[1:] {
		v := show(p.Value.Decoded)
		if a != nil {
			if spec, ok := a.Param(p.Key.Decoded); ok && spec.Secret {
				v = "(not shown)"
			}
		}
		parts = append(parts, p.Key.Decoded+"="+v)
	}
	s := "run " + c.Action()
	if a != nil && a.Summary != "" {
		s += " (" + a.Summary + ")"
	}
	if len(parts) > 0 {
		s += " with " + strings.Join(parts, ", ")
	}
	return s
}
