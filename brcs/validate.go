package brcs

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/brcs-toolkit/brcs/grammar"
)

// Validate checks a parsed script against a catalogue and returns every
// finding, sorted by position. cat nil means the default profile.
func Validate(s *Script, cat *Catalogue) []Diagnostic {
	if cat == nil {
		cat, _ = LookupProfile(DefaultProfile)
	}
	v := validator{cat: cat, file: s.File}
	v.header(s)
	v.lines(s)
	n := 0
	for i := range s.Lines {
		if s.Lines[i].Command != nil {
			n++
		}
	}
	i := 0
	for _, l := range s.Lines {
		if l.Command != nil {
			v.command(l.Command, i, n)
			i++
		}
	}
	SortDiagnostics(v.diags)
	return v.diags
}

// Check parses and validates src in one call. The error is only for
// options that make no sense (an unknown profile) or an internal failure;
// an input that cannot be parsed is a finding.
func Check(name string, src []byte, opts Options) (*Script, []Diagnostic, error) {
	cat, err := LookupProfile(opts.Profile)
	if err != nil {
		return nil, nil, err
	}
	s, err := Parse(name, src, opts)
	if err != nil {
		if d, ok := err.(*Diagnostic); ok {
			return nil, []Diagnostic{*d}, nil
		}
		return nil, nil, err
	}
	return s, Validate(s, cat), nil
}

// MaxFindings is the most findings reported for one script; past it one
// too-many-findings note says the rest were dropped. A broken file is
// rarely fixed one finding at a time beyond that, and a hostile one must
// not turn a megabyte into a million findings.
const MaxFindings = 1000

type validator struct {
	cat   *Catalogue
	file  string
	diags []Diagnostic
}

func (v *validator) report(rule string, sp Span, fix *Fix, format string, args ...any) {
	switch n := len(v.diags); {
	case n > MaxFindings:
		return
	case n == MaxFindings:
		v.diags = append(v.diags, Diagnostic{File: v.file, Rule: RuleTooManyFindings, Severity: ruleSeverity(RuleTooManyFindings), Span: sp,
			Message: fmt.Sprintf("stopped after %d findings; fix these and check again", MaxFindings)})
		return
	}
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	v.diags = append(v.diags, Diagnostic{File: v.file, Rule: rule, Severity: ruleSeverity(rule), Message: msg, Span: sp, Fix: fix})
}

func replace(sp Span, text, why string) *Fix {
	return &Fix{Description: why, Edits: []Edit{{Start: sp.Start.Offset, End: sp.End.Offset, NewText: text}}}
}

const canonicalHeader = "BRCS1.0"

func (v *validator) header(s *Script) {
	h := s.Header
	if h == nil {
		at := Span{Position{Line: 1, Column: 1}, Position{Line: 1, Column: 1}}
		if s.size == 0 {
			v.report(RuleMissingHeader, at, nil, "the file is empty; a script is the header %s and at least one command", canonicalHeader)
			return
		}
		nl := "\n"
		if len(s.Lines) > 1 && s.Lines[1].Break != "" && s.Lines[1].Break != "\r" {
			nl = s.Lines[1].Break
		}
		v.report(RuleMissingHeader, at, replace(at, canonicalHeader+nl, "insert the header"),
			"the script does not start with a header; put %s on a line of its own before the first command", canonicalHeader)
		return
	}
	if !h.Valid() {
		var fix *Fix
		if t := strings.ToUpper(strings.Join(strings.Fields(h.Text), "")); len(t) == 7 && t[:4] == "BRCS" && t[4] >= '0' && t[4] <= '9' && t[5] == '.' && t[6] >= '0' && t[6] <= '9' {
			fix = replace(h.Span, t, "rewrite the header as "+t)
		}
		v.report(RuleBadHeader, h.Span, fix, "the first line is not a header; write exactly %s (BRCS, a digit, a dot, a digit) with nothing else on the line", canonicalHeader)
		return
	}
	if h.Text != canonicalHeader {
		v.report(RuleUnknownVersion, h.Span, nil, "version %s is not the documented 1.0; the console may refuse it", h.Version)
	}
}

func (v *validator) lines(s *Script) {
	first := ""
	for _, l := range s.Lines {
		if l.Break == "\n" || l.Break == "\r\n" {
			first = l.Break
			break
		}
	}
	if first == "" {
		first = "\n"
	}
	commands := 0
	text := ""
	for i, l := range s.Lines {
		brk := l.breakSpan()
		switch {
		case l.Break == "\r":
			if text == "" {
				text = s.String()
			}
			if loneCRSplits(text, brk.Start.Offset) {
				v.report(RuleBadLineEnding, brk, nil, "a lone carriage return (\\r) is not a line break in BRCS; to start a new command end the line with %s, or percent-encode it as %%0D if it belongs to the value", visible(first))
				break
			}
			v.report(RuleBadLineEnding, brk, replace(brk, first, "use "+visible(first)), "a lone carriage return (\\r) is not a line break in BRCS; end lines with %s", visible(first))
		case l.Break != "" && l.Break != first:
			v.report(RuleMixedLineEndings, brk, replace(brk, first, "use "+visible(first)), "this line ends with %s but the first line break is %s; use one line ending throughout", visible(l.Break), visible(first))
		}
		if l.Command == nil {
			// One line break at the very end of the file is fine: it makes
			// an empty last line.
			if i != len(s.Lines)-1 {
				// The break before an empty line is what makes it; removing
				// it removes the line.
				fix := replace(brk, "", "remove the empty line")
				if l.Break == "" {
					fix = nil
				}
				at := Position{Offset: brk.End.Offset, Line: l.BreakPos.Line + 1, Column: 1}
				if l.Break == "" {
					at = l.BreakPos
				}
				v.report(RuleEmptyLine, Span{at, at}, fix, "empty line; commands follow one another with no blank line between them")
			}
			continue
		}
		commands++
		if commands == v.cat.MaxCommands+1 {
			total := len(s.Commands())
			v.report(RuleTooManyCommands, l.Command.Span, nil, "this is command %d of %d; a script holds at most %d commands", commands, total, v.cat.MaxCommands)
		}
	}
	if commands == 0 && (s.Header != nil && s.Header.Valid()) {
		end := advance(s.Header.End, "", 0)
		if n := len(s.Lines); n > 0 {
			l := s.Lines[n-1]
			end = l.breakSpan().End
		}
		v.report(RuleNoCommands, Span{s.Header.Start, end}, nil, "the script has a header but no command; add at least one, such as action=login")
	}
}

// loneCRSplits reports whether making the lone "\r" at offset off of text
// a line break would split one command into two. A fix never adds a
// command: a "\r" is only turned into a line break when what comes before
// it on its line is nothing or the header, or nothing comes after it.
func loneCRSplits(text string, off int) bool {
	lineStart := strings.LastIndexByte(text[:off], '\n') + 1
	before := text[lineStart:off]
	after := text[off+1:]
	if i := strings.IndexByte(after, '\n'); i >= 0 {
		after = after[:i]
	}
	after = strings.TrimSuffix(after, "\r")
	headerBefore := lineStart == 0 && grammar.IsHeader(before)
	return before != "" && !headerBefore && after != ""
}

func visible(nl string) string {
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(nl)
}

// command checks one command; i is its index among n commands.
func (v *validator) command(c *Command, i, n int) {
	v.syntax(c)
	action := c.Params[0]
	if c.Action() == "" {
		v.missingAction(c)
		v.duplicates(c)
		return
	}
	name := action.Value.Decoded
	if len(action.Value.Placeholders()) > 0 {
		v.report(RulePlaceholder, action.Value.Span, nil, "the action name cannot be a placeholder; write the action itself, e.g. action=start_jump_item_session")
		v.duplicates(c)
		return
	}
	a, ok := v.cat.Lookup(name)
	if !ok {
		msg := fmt.Sprintf("unknown action %q in profile %s", name, v.cat.Profile)
		if in := v.cat.KnownIn(name); len(in) > 0 {
			msg += fmt.Sprintf("; known in the %s %s; use --profile %s", andList(in), plural(len(in), "profile"), in[0])
		} else if s := suggest(name, v.cat.ActionNames()); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else {
			msg += "; known actions: " + strings.Join(v.cat.ActionNames(), ", ")
		}
		v.report(RuleUnknownAction, action.Value.Span, nil, "%s", msg)
		v.duplicates(c)
		return
	}
	switch {
	case a.Placement == First && i != 0:
		v.report(RuleActionNotFirst, c.Span, nil, "%s is command %d; it belongs first, before the commands that need it", name, i+1)
	case a.Placement == Last && i != n-1:
		v.report(RuleActionNotLast, c.Span, nil, "%s is command %d of %d; it belongs last, since the script is gone once it runs", name, i+1, n)
	}
	v.duplicates(c)
	v.params(c, a)
}

// syntax reports empty parameters, missing keys and "=", codec findings
// and placeholders in keys.
func (v *validator) syntax(c *Command) {
	for j := range c.Params {
		p := &c.Params[j]
		switch {
		case p.Empty():
			// The '&' that makes this empty parameter: the one after it for
			// the first parameter, else the one before it.
			start := p.Key.Start
			amp := Span{start, advance(start, "&", 1)}
			if j > 0 {
				amp = Span{Position{Offset: start.Offset - 1, Line: start.Line, Column: start.Column - 1}, start}
			}
			fix := &Fix{Description: "remove the extra '&'", Edits: []Edit{{Start: amp.Start.Offset, End: amp.End.Offset}}}
			v.report(RuleEmptyParameter, amp, fix, "empty parameter: parameters are separated by exactly one '&', with none at the start or end of a command")
			continue
		case p.Key.Raw == "":
			v.report(RuleEmptyKey, p.Span(), nil, "parameter with an empty key; write key=value")
		case !p.HasEq:
			v.report(RuleMissingEquals, p.Span(), nil, "parameter %q has no '='; write %s=<value> (an empty value is written %s=)", p.Key.Raw, p.Key.Raw, p.Key.Raw)
		}
		v.codec(&p.Key, nil, nil)
		v.codec(&p.Value, c, p)
		v.encodedKey(p, j)
		v.controls(&p.Key, "a key", true, false)
		for _, ph := range p.Key.Placeholders() {
			v.report(RulePlaceholder, ph.Span, nil, "placeholder %s in a key; placeholders may only fill values", ph.Raw)
		}
	}
}

// encodedKey reports a key of the catalogue written with percent-encoding
// in the part that is the catalogue's name. The first key of a command, if
// it decodes to action, is missingAction's.
func (v *validator) encodedKey(p *Param, j int) {
	name, ok := v.cat.keyName(p.Key.Decoded)
	if !ok || strings.HasPrefix(p.Key.Raw, name) || len(p.Key.Placeholders()) > 0 || j == 0 && name == "action" {
		return
	}
	v.report(RuleEncodedKey, p.Key.Span, replace(p.Key.Span, p.Key.Canonical(), "percent-encode canonically"),
		"the key %q decodes to %s but is not written %s; the console compares keys as written, so write %s without percent-encoding", p.Key.Raw, name, name, name)
}

// controls reports the control and bidi characters that t decodes to; what
// names the text ("a key", "client.hostname"). In a name they are errors,
// in free text warnings. A secret's message does not show the characters.
func (v *validator) controls(t *Text, what string, name, secret bool) {
	spans := controlSpans(t.Raw, t.Decoded)
	rule := RuleControlChar
	if !name {
		rule = RuleControlCharText
	}
	for _, sp := range spans {
		at := Span{advance(t.Start, t.Raw, sp.off), advance(t.Start, t.Raw, sp.end)}
		switch {
		case secret:
			v.report(rule, at, nil, "the secret value of %s decodes to a control or bidi character (not shown); check it is meant", what)
		case name:
			v.report(rule, at, nil, "%s decodes to %s in %s; only free text (a custom field) may hold one, never a key or a value the console matches or looks up", quoteRaw(t.Raw[sp.off:sp.end]), sp.what, what)
		default:
			v.report(rule, at, nil, "%s decodes to %s in the free text of %s; check it is meant: such a character can hide or rewrite what a person is shown", quoteRaw(t.Raw[sp.off:sp.end]), sp.what, what)
		}
		if secret {
			v.diags[len(v.diags)-1].Secret = true
		}
	}
}

// secret reports whether p's value must not be shown.
func (v *validator) secret(c *Command, p *Param) bool { return isSecret(v.cat, c, p) }

// isSecret reports whether the value of p in c is a secret: the catalogue
// says so, or, for an action it does not know, the key is "password".
func isSecret(cat *Catalogue, c *Command, p *Param) bool {
	a, ok := cat.Lookup(c.Action())
	if !ok {
		return p.Key.Decoded == "password"
	}
	spec, ok := a.Param(p.Key.Decoded)
	return ok && spec.Secret
}

// SecretSpans returns where the secret values of s lie (passwords), so
// that whatever shows the source can mask them.
func SecretSpans(s *Script, cat *Catalogue) []Span {
	if cat == nil {
		cat, _ = LookupProfile(DefaultProfile)
	}
	var out []Span
	for _, c := range s.Commands() {
		for i := range c.Params {
			if p := &c.Params[i]; p.Value.Raw != "" && isSecret(cat, c, p) {
				out = append(out, p.Value.Span)
			}
		}
	}
	return out
}

// codec reports the codec's findings in t, the value of p in c (nil for a
// key). Each fixable one carries the same fix, t's canonical form, so one
// pass of fixes leaves the whole text canonical however many findings it
// had.
func (v *validator) codec(t *Text, c *Command, p *Param) {
	if len(t.extra().issues) == 0 {
		return
	}
	secret := p != nil && v.secret(c, p)
	canon := replace(t.Span, t.Canonical(), "percent-encode canonically")
	for _, is := range t.extra().issues {
		sp := Span{advance(t.Start, t.Raw, is.off), advance(t.Start, t.Raw, is.end)}
		var fix *Fix
		if !is.noFix {
			fix = canon
		}
		msg := is.msg
		if secret {
			// The message quotes the offending characters: not for a secret.
			msg = "the secret value holds " + ruleSummary(is.rule) + " (not shown); percent-encode it canonically"
		}
		v.report(is.rule, sp, fix, "%s", msg)
		if secret {
			v.diags[len(v.diags)-1].Secret = true
		}
	}
}

func ruleSummary(name string) string {
	r, _ := LookupRule(name)
	return r.Summary
}

func (v *validator) missingAction(c *Command) {
	first := &c.Params[0]
	if first.Empty() {
		v.report(RuleMissingAction, first.Span(), nil, "the command starts with '&'; it starts with action=<name>")
		return
	}
	if first.Key.Decoded == "action" && first.Key.Raw != "action" && len(first.Key.Placeholders()) == 0 {
		v.report(RuleMissingAction, first.Key.Span, replace(first.Key.Span, "action", "write action as it is"),
			"%q decodes to action but a command starts with the literal action=; write it without percent-encoding", first.Key.Raw)
		return
	}
	if first.Key.Decoded == "action" && first.HasEq {
		v.report(RuleUnknownAction, first.Span(), nil, "the action name is empty; known actions: %s", strings.Join(v.cat.ActionNames(), ", "))
		return
	}
	for j := 1; j < len(c.Params); j++ {
		if c.Params[j].Key.Decoded == "action" {
			v.report(RuleMissingAction, first.Span(), nil, "the command starts with %q; action=<name> must come first", first.Key.Raw)
			return
		}
	}
	if strings.EqualFold(first.Key.Decoded, "action") && first.Key.Decoded != "action" {
		v.report(RuleMissingAction, first.Key.Span, nil, "%q must be written in lower case: action=<name>", first.Key.Raw)
		return
	}
	v.report(RuleMissingAction, first.Span(), nil, "a command starts with action=<name>, e.g. action=start_jump_item_session")
}

func (v *validator) duplicates(c *Command) {
	// A map once a command has more parameters than a real one does: the
	// nested loop is faster for a handful and quadratic for thousands.
	var first map[string]int
	if len(c.Params) > 32 {
		first = make(map[string]int, len(c.Params))
	}
	for j := 0; j < len(c.Params); j++ {
		p := &c.Params[j]
		if p.Key.Raw == "" {
			continue
		}
		k := -1
		if first != nil {
			if i, ok := first[p.Key.Decoded]; ok {
				k = i
			} else {
				first[p.Key.Decoded] = j
			}
		} else {
			for i := 0; i < j; i++ {
				if q := &c.Params[i]; q.Key.Raw != "" && q.Key.Decoded == p.Key.Decoded {
					k = i
					break
				}
			}
		}
		if k < 0 {
			continue
		}
		q := &c.Params[k]
		if p.Key.Decoded == "action" {
			v.report(RuleDuplicateKey, p.Span(), nil, "a second action= in one command (first at %s); a value holding '&action=' was probably not percent-encoded", q.Key.Start)
		} else {
			v.report(RuleDuplicateKey, p.Key.Span, nil, "%s is given twice (first at %s); give each parameter once", p.Key.Decoded, q.Key.Start)
		}
	}
}

// params checks the parameters of a command whose action a is known.
func (v *validator) params(c *Command, a *Action) {
	total := 0
	var totalSpan Span
	for j := 1; j < len(c.Params); j++ {
		p := &c.Params[j]
		key := p.Key.Decoded
		if p.Key.Raw == "" || key == "action" {
			continue
		}
		spec, ok := a.Param(key)
		if custom := customField(); !ok && a.CustomUnknown && strings.HasPrefix(key, custom.Name) && len(key) > len(custom.Name) {
			// Said to be unconfirmed, and checked as a custom field is.
			v.report(RuleUnconfirmedKey, p.Key.Span, nil, "whether %s takes custom fields such as %q is not known (profile %s: no source says); the console may ignore it", a.Name, key, v.cat.Profile)
			spec, ok = &custom, true
		}
		if !ok {
			if len(p.Key.Placeholders()) == 0 { // a placeholder in a key is reported already
				v.unknownKey(a, p)
			}
			continue
		}
		val := &p.Value
		templated := len(val.Placeholders()) > 0
		v.controls(val, key, !spec.FreeText, spec.Secret)
		if spec.Filter != "" && p.HasEq && val.Raw == "" {
			v.report(RuleEmptyFilter, p.Span(), nil, "%s is empty: an empty filter would match every Jump Item; give the text to search for, or leave the filter out", key)
		}
		if spec.MaxLen > 0 {
			if n := val.LiteralLen(); n > spec.MaxLen {
				what := fmt.Sprintf("%d characters", n)
				if templated {
					what = fmt.Sprintf("%d characters besides its placeholders", n)
				}
				v.report(RuleValueTooLong, val.Span, nil, "%s is %s, more than its limit of %d (counted after decoding)", key, what, spec.MaxLen)
			}
		}
		if len(spec.Values) > 0 && !templated && p.HasEq && !slices.Contains(spec.Values, val.Decoded) {
			msg := fmt.Sprintf("%s=%q is not accepted; use one of %s", key, val.Decoded, strings.Join(spec.Values, ", "))
			if s := suggest(val.Decoded, spec.Values); s != "" {
				msg = fmt.Sprintf("%s=%q is not accepted; did you mean %q? (one of %s)", key, val.Decoded, s, strings.Join(spec.Values, ", "))
			}
			v.report(RuleInvalidValue, val.Span, nil, "%s", msg)
		}
		if spec.Secret && val.Raw != "" {
			v.report(RulePlainPassword, val.Span, nil, "the script holds a %s in plain text (value not shown); anyone who can read the file can use it", key)
		}
		if spec.OnlyWith != "" {
			k, want, _ := strings.Cut(spec.OnlyWith, "=")
			if q, ok := c.Get(k); ok && len(q.Value.Placeholders()) == 0 && q.Value.Decoded != want {
				v.report(RuleIneffectiveFilter, p.Key.Span, nil, "%s only matches when %s; with %s=%s it matches nothing", key, spec.OnlyWith, k, q.Value.Decoded)
			}
		}
		if spec.InTotal {
			total += len(val.Decoded)
			for _, ph := range val.Placeholders() {
				total -= len(ph.Raw)
			}
			if totalSpan.End.Offset == 0 {
				totalSpan.Start = p.Key.Start
			}
			totalSpan.End = p.Value.End
		}
	}
	if a.TotalMax > 0 && total > a.TotalMax {
		v.report(RuleTotalTooLarge, totalSpan, nil, "the custom fields of this command hold %d bytes together, more than the %d-byte limit (external key included)", total, a.TotalMax)
	}
	for _, spec := range a.Params {
		if spec.Required && !spec.Prefix && !supplied(c, spec.Name) {
			v.report(RuleMissingParameter, c.Params[0].Span(), nil, "%s needs %s=<value>", a.Name, spec.Name)
		}
	}
	for _, group := range a.AllOrNone {
		have := 0
		for _, k := range group {
			if supplied(c, k) {
				have++
			}
		}
		if have > 0 && have < len(group) {
			var missing []string
			for _, k := range group {
				if !supplied(c, k) {
					missing = append(missing, k)
				}
			}
			v.report(RuleAllOrNone, c.Params[0].Span(), nil, "%s takes %s all together or none of them; missing or empty: %s", a.Name, strings.Join(group, ", "), strings.Join(missing, ", "))
		}
	}
	for _, group := range a.AtLeastOne {
		if !slices.ContainsFunc(group, func(k string) bool { return supplied(c, k) }) {
			v.report(RuleAtLeastOne, c.Params[0].Span(), nil, "%s needs at least one of %s", a.Name, strings.Join(group, ", "))
		}
	}
}

// supplied reports whether c gives key a value. It is the one meaning of
// "given" for every rule between keys: an empty value is not supplied
// (username= is no user name, client.hostname= narrows nothing).
func supplied(c *Command, key string) bool {
	p, ok := c.Get(key)
	return ok && p.Value.Raw != ""
}

func (v *validator) unknownKey(a *Action, p *Param) {
	key := p.Key.Decoded
	for _, spec := range a.Params {
		if spec.Prefix && strings.HasPrefix(key, spec.Name) {
			v.report(RuleUnknownKey, p.Key.Span, nil, "%q has no code name: write %s<code_name>, the code name of a custom field configured on the appliance", key, spec.Name)
			return
		}
	}
	msg := fmt.Sprintf("%s takes no parameter %q", a.Name, key)
	if len(a.Params) == 0 {
		msg = fmt.Sprintf("%s takes no parameters", a.Name)
	} else if s := suggest(key, a.Keys()); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else {
		msg += "; it takes " + strings.Join(a.Keys(), ", ")
	}
	v.report(RuleUnknownKey, p.Key.Span, nil, "%s", msg)
}

// suggest returns the candidate closest to s, if one is close enough to be
// a likely typo: the same but for case, or within an edit distance of
// about a third of its length.
func suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if strings.EqualFold(c, s) || strings.HasSuffix(c, "."+s) {
			return c // the same but for case, or the key without its prefix
		}
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(1, utf8.RuneCountInString(best)/3)
	if bestD <= limit {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// andList joins words as a sentence does: "a", "a and b", "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
