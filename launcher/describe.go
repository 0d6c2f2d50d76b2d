package launcher

import (
	"fmt"
	"strings"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// MaxValueShown is the most characters of one value the summary shows; the
// rest is replaced by a note of how much was left out, so that one long
// value cannot push the other commands out of view.
const MaxValueShown = 160

// MaxSummary is the longest summary shown, in bytes. A script whose
// summary is longer is refused rather than shown in part.
const MaxSummary = 8 << 10

// MaxSummaryLines is the most lines a summary may take, counted at
// summaryCols characters a line: what a GTK dialog on a 1024x768 screen
// shows with its buttons (it wraps at about 75 characters). A taller
// summary is refused: its last commands and the buttons would be off the
// screen's edge, or, on a terminal, its first commands scrolled away.
const MaxSummaryLines = 32

const summaryCols = 72

// Describe says in words what each command of s will do, one sentence a
// command. Every parameter is mentioned, in the catalogue's words where it
// has them. Secret values are never shown; other values are quoted and
// escaped when they hold anything but plain printable text (see
// internal/textsafe), and cut to MaxValueShown characters with a note.
func Describe(s *brcs.Script, cat *brcs.Catalogue) []string {
	var out []string
	for _, c := range s.Commands() {
		out = append(out, describe(c, cat))
	}
	return out
}

// show quotes v when it holds spaces, quotes, control, format or other
// invisible characters, so a value cannot disguise itself on screen.
func show(v string) string { return textsafe.QuoteMax(v, MaxValueShown) }

func describe(c *brcs.Command, cat *brcs.Catalogue) string {
	a, _ := cat.Lookup(c.Action())
	said := map[int]bool{0: true} // indexes of c.Params already described; 0 is action=
	get := func(k string) string {
		for i, p := range c.Params {
			if i > 0 && p.Key.Decoded == k {
				said[i] = true
				return p.Value.Decoded
			}
		}
		return ""
	}
	var s string
	switch c.Action() {
	case "login":
		u := get("username")
		_, hasPassword := c.Get("password")
		switch {
		case u != "" || hasPassword:
			get("password")
			s = fmt.Sprintf("log in to the access console as %s, with a password stored in plain text in this file (not shown)", show(u))
		default:
			s = "open the access console and log in with the credentials it has saved"
		}
	case "delete_script_file":
		s = "delete the script file once it has run"
	case "start_jump_item_session", "start_pinned_client_session":
		target := "a Jump Item"
		if c.Action() == "start_pinned_client_session" {
			target = "a pinned Jump Client"
		}
		var filters []string
		if a != nil {
			// The catalogue's words, in its order.
			for _, spec := range a.Params {
				if spec.Prefix {
					continue
				}
				if spec.Filter == "" && len(spec.ValueWords) == 0 {
					continue
				}
				for i, p := range c.Params {
					if i == 0 || said[i] || p.Key.Decoded != spec.Name {
						continue
					}
					v := p.Value.Decoded
					switch {
					case spec.Filter != "":
						filters = append(filters, spec.Filter+" "+show(v))
						said[i] = true
					case spec.ValueWords[v] != "":
						target = spec.ValueWords[v]
						said[i] = true
					}
				}
			}
		}
		s = "start a Jump session to " + target
		if len(filters) > 0 {
			s += " whose " + strings.Join(filters, " and whose ")
		}
		if k := get("session.custom.external_key"); k != "" {
			s += ", ticket " + show(k)
		}
		var custom []string
		for i, p := range c.Params {
			if n, ok := strings.CutPrefix(p.Key.Decoded, "session.custom."); ok && !said[i] {
				custom = append(custom, textsafe.QuoteMax(n, MaxValueShown)+"="+show(p.Value.Decoded))
				said[i] = true
			}
		}
		if len(custom) > 0 {
			s += ", with " + strings.Join(custom, ", ")
		}
	default:
		s = "run " + textsafe.QuoteMax(c.Action(), MaxValueShown)
		if a != nil && a.Summary != "" {
			s += " (" + a.Summary + ")"
		}
	}
	// Every parameter not said yet, each in the catalogue's words when it
	// has them: nothing that changes what the console does goes unsaid.
	var rest []string
	for i, p := range c.Params {
		if said[i] {
			continue
		}
		rest = append(rest, describeParam(a, p))
	}
	if len(rest) > 0 {
		s += " with " + strings.Join(rest, ", ")
	}
	return s
}

// describeParam says one parameter: key=value, then the catalogue's
// summary of the key in parentheses; a secret's value is never shown.
func describeParam(a *brcs.Action, p brcs.Param) string {
	key := textsafe.QuoteMax(p.Key.Decoded, MaxValueShown)
	var spec *brcs.ParamSpec
	if a != nil {
		spec, _ = a.Param(p.Key.Decoded)
	}
	if spec == nil {
		return key + "=" + show(p.Value.Decoded) + " (a parameter the catalogue does not know)"
	}
	v := show(p.Value.Decoded)
	if spec.Secret {
		v = "(not shown)"
	} else if w := spec.ValueWords[p.Value.Decoded]; w != "" {
		v += " (" + w + ")"
	}
	if spec.Summary != "" {
		return key + "=" + v + " (" + spec.Summary + ")"
	}
	return key + "=" + v
}
