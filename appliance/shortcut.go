package appliance

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ShortcutKind is the kind of a Jump shortcut; it decides the hostname
// parameter sent.
type ShortcutKind string

// Kinds of Jump shortcut.
const (
	LocalJump  ShortcutKind = "local"
	RemoteJump ShortcutKind = "remote"
	RDP        ShortcutKind = "rdp"
	ShellJump  ShortcutKind = "shell"
)

// ShortcutKinds lists the kinds in the guide's order.
var ShortcutKinds = []ShortcutKind{LocalJump, RemoteJump, RDP, ShellJump}

// kindFacts are the catalogue of each kind: its name in errors, the
// guide's hostname parameter, and what a shortcut of it is.
var kindFacts = map[ShortcutKind]struct{ words, hostParam, description string }{
	LocalJump:  {"Local Jump", "local_jump_hostname", "a Local Jump shortcut (an endpoint on the local network)"},
	RemoteJump: {"Remote Jump", "remote_jump_hostname", "a Remote Jump shortcut (through a Jumpoint)"},
	RDP:        {"RDP", "rdp_hostname", "a Remote Desktop Protocol shortcut (through a Jumpoint)"},
	ShellJump:  {"Shell Jump", "shelljump_hostname", "a Shell Jump shortcut, SSH or Telnet (through a Jumpoint)"},
}

// Description says what a shortcut of kind k is and what it reaches
// through, for help and documentation ("" for no kind of the guide).
func (k ShortcutKind) Description() string { return kindFacts[k].description }

// Shortcut is an import_jump_shortcut request. Fields are the guide's
// parameters, as text (what a flag or a CSV cell holds); empty means not
// sent, so the appliance's default applies.
type Shortcut struct {
	Kind ShortcutKind
	// Hostname is the endpoint (sent as local_jump_hostname,
	// remote_jump_hostname, rdp_hostname or shelljump_hostname).
	Hostname string
	// Jumpoint is the Jumpoint's code name (Remote Jump, RDP, Shell Jump).
	Jumpoint string
	// Group is the code name of the team (never a personal Jump Group).
	Group string
	// Tag and Comments hold at most 1024 characters each.
	Tag, Comments string
	// JumpPolicy and SessionPolicy are code names.
	JumpPolicy, SessionPolicy string
	// Username is the endpoint account to sign in as (rdp_username or
	// shelljump_username).
	Username string
	// Domain (RDP).
	Domain string
	// DisplaySize (RDP): primary (default), all, or WIDTHxHEIGHT.
	DisplaySize string
	// Quality (RDP): low, best_perf (default), perf_and_qual or best_qual.
	Quality string
	// Console (RDP): 1 a console session, 0 a new one (default).
	Console string
	// IgnoreUntrusted (RDP): 1 ignores certificate warnings, 0 shows them.
	IgnoreUntrusted string
	// Protocol (Shell Jump, required): ssh or telnet.
	Protocol string
	// Port (Shell Jump): 1 to 65535 (default 22 for ssh, 23 for telnet).
	Port string
	// Terminal (Shell Jump): xterm (default) or VT100, any case.
	Terminal string
	// KeepAlive (Shell Jump): seconds between keep-alive packets, 0
	// (default, off) to 300.
	KeepAlive string
}

// Limits and enumerations of import_jump_shortcut (the guide, 1.14.0).
const (
	MaxShortcutText = 1024
	MaxKeepAlive    = 300
)

// Enumerations of import_jump_shortcut.
var (
	Qualities   = []string{"low", "best_perf", "perf_and_qual", "best_qual"}
	Protocols   = []string{"ssh", "telnet"}
	Terminals   = []string{"xterm", "VT100"}
	displaySize = regexp.MustCompile(`^(primary|all|[1-9][0-9]*x[1-9][0-9]*)$`)
)

// field is one parameter of a shortcut: its guide name, the name flags
// and CSV columns use, the kinds that take it, what it holds, and its value.
type field struct {
	param, flag string
	kinds       []ShortcutKind // nil: every kind
	usage       string
	value       string
}

func (s *Shortcut) fields() []field {
	all := []ShortcutKind(nil)
	jp := []ShortcutKind{RemoteJump, RDP, ShellJump}
	rdp := []ShortcutKind{RDP}
	shell := []ShortcutKind{ShellJump}
	user := "rdp_username"
	switch s.Kind {
	case ShellJump:
		user = "shelljump_username"
	case "":
		user = "rdp_username or shelljump_username"
	}
	host := kindFacts[s.Kind].hostParam
	if host == "" {
		host = "local_jump_hostname, remote_jump_hostname, rdp_hostname or shelljump_hostname"
	}
	return []field{
		{host, "hostname", all, "the endpoint's host name (required)", s.Hostname},
		{"jumpoint", "jumpoint", jp, "code name of the Jumpoint that reaches the endpoint (required)", s.Jumpoint},
		{"protocol", "protocol", shell, "ssh or telnet (required)", s.Protocol},
		{"group", "group", all, "code name of the team the item belongs to; never a personal Jump Group (required)", s.Group},
		{"tag", "tag", all, fmt.Sprintf("a tag, at most %d characters", MaxShortcutText), s.Tag},
		{"comments", "comments", all, fmt.Sprintf("comments, at most %d characters", MaxShortcutText), s.Comments},
		{"jump_policy", "jump-policy", all, "code name of a Jump Policy", s.JumpPolicy},
		{"session_policy", "session-policy", all, "code name of a session policy", s.SessionPolicy},
		{user, "endpoint-username", []ShortcutKind{RDP, ShellJump}, "the endpoint account to sign in as", s.Username},
		{"domain", "domain", rdp, "the endpoint's domain", s.Domain},
		{"display_size", "display-size", rdp, "primary (default), all, or WIDTHxHEIGHT such as 1280x720", s.DisplaySize},
		{"quality", "quality", rdp, "low, best_perf (default), perf_and_qual or best_qual", s.Quality},
		{"console", "console", rdp, "1 a console session, 0 a new one (default)", s.Console},
		{"ignore_untrusted", "ignore-untrusted", rdp, "1 ignores certificate warnings, 0 shows them", s.IgnoreUntrusted},
		{"port", "port", shell, "1 to 65535; default 22 for ssh, 23 for telnet", s.Port},
		{"terminal", "terminal", shell, "xterm (default) or VT100, any case", s.Terminal},
		{"keep_alive", "keep-alive", shell, fmt.Sprintf("seconds between keep-alive packets, 0 (default, off) to %d", MaxKeepAlive), s.KeepAlive},
	}
}

// ShortcutParam describes one parameter of import_jump_shortcut, for
// flags, completion and documentation.
type ShortcutParam struct {
	// Param is the guide's parameter name (for a kind, its own hostname
	// and username parameters).
	Param string
	// Column is the flag and CSV column name.
	Column string
	// Kinds are the shortcut kinds that take it.
	Kinds []ShortcutKind
	// Usage says what it holds.
	Usage string
}

// ShortcutParams lists the parameters that shortcuts of kind k take, in
// the guide's order; with k empty, those of every kind.
func ShortcutParams(k ShortcutKind) []ShortcutParam {
	var out []ShortcutParam
	for _, f := range (&Shortcut{Kind: k}).fields() {
		if k != "" && !takes(f.kinds, k) {
			continue
		}
		kinds := f.kinds
		if kinds == nil {
			kinds = ShortcutKinds
		}
		out = append(out, ShortcutParam{Param: f.param, Column: f.flag, Kinds: kinds, Usage: f.usage})
	}
	return out
}

func takes(kinds []ShortcutKind, k ShortcutKind) bool {
	if kinds == nil {
		return true
	}
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

func oneOf(v string, list []string, fold bool) bool {
	for _, x := range list {
		if v == x || (fold && strings.EqualFold(v, x)) {
			return true
		}
	}
	return false
}

func intIn(v string, lo, hi int) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n >= lo && n <= hi && strconv.Itoa(n) == v
}

// Params checks s against every rule of the guide (required parameters,
// the parameters each kind takes, enumerations, limits) and returns its
// parameters in the guide's order. The error lists every problem, each
// saying how to write it right.
func (s Shortcut) Params() (Params, error) {
	facts, ok := kindFacts[s.Kind]
	kind := facts.words
	if !ok {
		return nil, fmt.Errorf("shortcut kind %q: use local, remote, rdp or shell", s.Kind)
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	var p Params
	for _, f := range s.fields() {
		if f.value == "" {
			continue
		}
		if !takes(f.kinds, s.Kind) {
			bad("--%s (%s) is not a parameter of %s shortcuts: leave it out", f.flag, f.param, kind)
			continue
		}
		if what := controlAt(f.value, f.param == "comments"); what != "" {
			bad("--%s (%s) holds a %s: remove it", f.flag, f.param, what)
			continue
		}
		p.Add(f.param, f.value)
	}
	if strings.TrimSpace(s.Hostname) == "" {
		bad("a %s shortcut needs --hostname, the endpoint's host name", kind)
	}
	if s.Group == "" {
		bad("a %s shortcut needs --group, the code name of a team (not a personal Jump Group)", kind)
	}
	if s.Jumpoint == "" && takes([]ShortcutKind{RemoteJump, RDP, ShellJump}, s.Kind) {
		bad("a %s shortcut needs --jumpoint, the code name of the Jumpoint that reaches the endpoint", kind)
	}
	for _, f := range []struct{ flag, v string }{{"tag", s.Tag}, {"comments", s.Comments}} {
		if n := utf8.RuneCountInString(f.v); n > MaxShortcutText {
			bad("--%s holds %d characters, more than %d: shorten it", f.flag, n, MaxShortcutText)
		}
	}
	if s.Kind == RDP {
		if s.DisplaySize != "" && !displaySize.MatchString(s.DisplaySize) {
			bad("--display-size %q: use primary, all, or WIDTHxHEIGHT such as 1280x720", s.DisplaySize)
		}
		if s.Quality != "" && !oneOf(s.Quality, Qualities, false) {
			bad("--quality %q: use low, best_perf, perf_and_qual or best_qual", s.Quality)
		}
		for _, f := range []struct{ flag, v string }{{"console", s.Console}, {"ignore-untrusted", s.IgnoreUntrusted}} {
			if f.v != "" && f.v != "0" && f.v != "1" {
				bad("--%s %q: use 1 or 0", f.flag, f.v)
			}
		}
	}
	if s.Kind == ShellJump {
		switch {
		case s.Protocol == "":
			bad("a Shell Jump shortcut needs --protocol, ssh or telnet")
		case !oneOf(s.Protocol, Protocols, false):
			bad("--protocol %q: use ssh or telnet", s.Protocol)
		}
		if s.Port != "" && !intIn(s.Port, 1, 65535) {
			bad("--port %q: use a port number from 1 to 65535 (default 22 for ssh, 23 for telnet)", s.Port)
		}
		if s.Terminal != "" && !oneOf(s.Terminal, Terminals, true) {
			bad("--terminal %q: use xterm or VT100", s.Terminal)
		}
		if s.KeepAlive != "" && !intIn(s.KeepAlive, 0, MaxKeepAlive) {
			bad("--keep-alive %q: use whole seconds from 0 (off) to %d", s.KeepAlive, MaxKeepAlive)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return p, nil
}

// ShortcutColumns are the names of a shortcut's fields as flags and CSV
// columns ("kind" first), in the guide's order.
func ShortcutColumns() []string {
	out := []string{"kind"}
	for _, f := range (&Shortcut{}).fields() {
		out = append(out, f.flag)
	}
	return out
}

// SetField sets the field a flag or CSV column names.
func (s *Shortcut) SetField(name, value string) error {
	ptr := map[string]*string{
		"hostname": &s.Hostname, "jumpoint": &s.Jumpoint, "protocol": &s.Protocol, "group": &s.Group, "tag": &s.Tag,
		"comments": &s.Comments, "jump-policy": &s.JumpPolicy, "session-policy": &s.SessionPolicy, "endpoint-username": &s.Username,
		"domain": &s.Domain, "display-size": &s.DisplaySize, "quality": &s.Quality, "console": &s.Console,
		"ignore-untrusted": &s.IgnoreUntrusted, "port": &s.Port, "terminal": &s.Terminal, "keep-alive": &s.KeepAlive,
	}
	if name == "kind" {
		s.Kind = ShortcutKind(strings.ToLower(value))
		return nil
	}
	p, ok := ptr[strings.ReplaceAll(name, "_", "-")]
	if !ok {
		return fmt.Errorf("no shortcut field %q (use %s)", name, strings.Join(ShortcutColumns(), ", "))
	}
	*p = value
	return nil
}

// ShortcutOf is the shortcut of kind k whose fields value gives, asked by
// their flag or CSV column names (ShortcutColumns), as a command's flags
// or a web form's values hold them. Only the fields that kind k takes are
// asked for; check the shortcut with Params.
func ShortcutOf(k ShortcutKind, value func(column string) string) Shortcut {
	s := Shortcut{Kind: k}
	for _, p := range ShortcutParams(k) {
		s.SetField(p.Column, value(p.Column))
	}
	return s
}

// Takes reports whether shortcuts of kind k have the field a flag or CSV
// column names ("kind" and "hostname" for every kind).
func (k ShortcutKind) Takes(column string) bool {
	if column == "kind" {
		return true
	}
	for _, f := range (&Shortcut{Kind: k}).fields() {
		if f.flag == column {
			return takes(f.kinds, k)
		}
	}
	return false
}
