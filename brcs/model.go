package brcs

import "unicode/utf8"

// Script is a parsed BRCS file. Printing it with [Print] gives back the
// exact bytes it was parsed from.
type Script struct {
	// File is the name the script was parsed under; it prefixes findings.
	File string
	// Header is the first line when it is a header or meant as one; nil when
	// the first line is a command or the input is empty.
	Header *Header
	// Lines are the lines after the header line (every line when Header is
	// nil). An empty line has a nil Command.
	Lines []Line
	// Syntax is the placeholder syntax the values were parsed with.
	Syntax Syntax
	size   int
}

// Header is the first line of a script.
type Header struct {
	// Text is the whole first line as written.
	Text string
	// Version is "1.0" in "BRCS1.0"; empty when Text is not a header.
	Version string
	Span
}

// Valid reports whether the header is "BRCS" digit "." digit.
func (h *Header) Valid() bool { return h.Version != "" }

// Line is a line break and the line after it.
type Line struct {
	// Break is the line break before this line: "\n", "\r\n" or a lone
	// "\r". It is "" for the first line of a script with no header.
	Break    string
	BreakPos Position
	// Command is nil for an empty line.
	Command *Command
}

// breakSpan is where the line break before l lies; it ends at the start of
// l's line.
func (l *Line) breakSpan() Span {
	if l.Break == "" {
		return Span{l.BreakPos, l.BreakPos}
	}
	return Span{l.BreakPos, Position{Offset: l.BreakPos.Offset + len(l.Break), Line: l.BreakPos.Line + 1, Column: 1}}
}

// Command is one command: action=<name> followed by &key=value parameters.
type Command struct {
	Span
	// Params are the parameters in order, the action first.
	Params []Param
}

// Action returns the decoded action name, or "" when the command does not
// start with the literal action=<name> (the grammar's command begins with
// those characters: an encoded letter, as in actio%6E=, is not it).
func (c *Command) Action() string {
	if len(c.Params) == 0 || c.Params[0].Key.Raw != "action" || !c.Params[0].HasEq {
		return ""
	}
	return c.Params[0].Value.Decoded
}

// Get returns the first parameter whose decoded key is key.
func (c *Command) Get(key string) (*Param, bool) {
	for i := range c.Params {
		if c.Params[i].Key.Decoded == key {
			return &c.Params[i], true
		}
	}
	return nil, false
}

// Param is one key=value parameter. It spans from its key's start to its
// value's end; for a parameter with no key or no value those are empty
// spans at the place they would be.
type Param struct {
	Key Text
	// HasEq reports whether the "=" is there.
	HasEq bool
	Value Text
}

// Span is where p lies.
func (p *Param) Span() Span { return Span{p.Key.Start, p.Value.End} }

// Empty reports whether the parameter has no key, no "=" and no value (a
// stray "&").
func (p *Param) Empty() bool { return p.Key.Raw == "" && !p.HasEq && p.Value.Raw == "" }

// Text is a key or a value: as written, and decoded.
type Text struct {
	// Raw is the text as written, still percent-encoded.
	Raw string
	// Decoded is Raw with every %XX decoded. A malformed "%" stays a
	// literal "%". In a template, placeholders stay as written.
	Decoded string
	Span
	// x holds what most texts lack, so that a Text stays small.
	x *textExtra
}

type textExtra struct {
	placeholders []Placeholder
	issues       []codecIssue
}

var noExtra textExtra

// extra returns t's rarely used parts, for reading only.
func (t *Text) extra() *textExtra {
	if t.x == nil {
		return &noExtra
	}
	return t.x
}

// ownExtra returns t's rarely used parts for writing.
func (t *Text) ownExtra() *textExtra {
	if t.x == nil {
		t.x = &textExtra{}
	}
	return t.x
}

// Placeholders returns the template placeholders inside Raw, in order.
func (t *Text) Placeholders() []Placeholder { return t.extra().placeholders }

// LiteralLen is how many characters Decoded holds outside placeholders:
// the part of a value whose length is known before a template is filled.
func (t *Text) LiteralLen() int {
	n := utf8.RuneCountInString(t.Decoded)
	for _, p := range t.Placeholders() {
		n -= utf8.RuneCountInString(p.Raw)
	}
	return n
}

// Placeholder is a template placeholder such as {{ticket.number}}.
type Placeholder struct {
	// Name is what is between the delimiters.
	Name string
	// Raw is the whole placeholder as written.
	Raw string
	// Offset is where Raw starts inside the Text's Raw.
	Offset int
	Span
}

// Commands returns the script's commands, skipping empty lines.
func (s *Script) Commands() []*Command {
	out := make([]*Command, 0, len(s.Lines))
	for i := range s.Lines {
		if s.Lines[i].Command != nil {
			out = append(out, s.Lines[i].Command)
		}
	}
	return out
}

// Size is the length in bytes of the source the script was parsed from.
func (s *Script) Size() int { return s.size }
