package brcs

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/brcs-toolkit/brcs/grammar"
)

// DefaultMaxSize is the input size above which Parse refuses a script
// unread: far above what 10 commands need, far below what could stall.
const DefaultMaxSize = 1 << 20

// Options control parsing and checking.
type Options struct {
	// Profile selects the catalogue Check validates against ("" is
	// DefaultProfile).
	Profile string
	// Template, when not NoTemplate, recognises placeholders in values.
	Template Syntax
	// MaxSize is the largest input accepted, in bytes (0 is DefaultMaxSize).
	MaxSize int
}

// Parse parses a script. It returns an error only when the input cannot be
// read as a script at all: a NUL byte or more than MaxSize bytes (the error
// is then a *Diagnostic with its position). Every other mistake is left in
// the model for [Validate] to report, so one mistake never hides the next.
func Parse(name string, src []byte, opts Options) (*Script, error) {
	if d := refuse(name, src, opts); d != nil {
		return nil, d
	}
	text := string(src)
	f, err := grammar.Parse(name, text)
	if err != nil {
		return nil, parseError(name, src, err)
	}
	return build(name, text, f, opts.Template), nil
}

// parseError turns the grammar's error into a finding (too many tokens)
// or an internal error. (Apart from Parse so that the error's target does
// not cost every parse an allocation.)
func parseError(name string, src []byte, err error) error {
	var tooMany *grammar.TooManyTokensError
	if errors.As(err, &tooMany) {
		p := PositionAt(src, tooMany.Pos.Offset)
		return &Diagnostic{File: name, Rule: RuleInputTooLarge, Severity: Error, Span: Span{p, p},
			Message: fmt.Sprintf("the input holds more than %d keys, values, separators and line breaks; a script of 10 commands needs a few hundred", tooMany.Max)}
	}
	return fmt.Errorf("%s: internal parser error (please report it): %w", name, err)
}

// refuse returns the finding that stops an input from being parsed.
func refuse(name string, src []byte, opts Options) *Diagnostic {
	max := opts.MaxSize
	if max <= 0 {
		max = DefaultMaxSize
	}
	if len(src) > max {
		p := Position{Line: 1, Column: 1}
		return &Diagnostic{File: name, Rule: RuleInputTooLarge, Severity: Error, Span: Span{p, p},
			Message: fmt.Sprintf("the input is %d bytes, more than the %d-byte cap; a script of 10 commands needs a few kilobytes", len(src), max)}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		p := PositionAt(src, i)
		e := p
		e.Offset++
		e.Column++
		return &Diagnostic{File: name, Rule: RuleBinaryInput, Severity: Error, Span: Span{p, e},
			Message: "NUL byte: this is a binary file, not a BRCS script"}
	}
	return nil
}

// PositionAt returns the position of byte offset off in src (clamped to
// the input).
func PositionAt(src []byte, off int) Position {
	off = max(0, min(off, len(src)))
	p := Position{Line: 1, Column: 1}
	lineStart := 0
	for i := 0; i < off; i++ {
		switch src[i] {
		case '\n':
			p.Line++
			lineStart = i + 1
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				continue // counted at the '\n'
			}
			p.Line++
			lineStart = i + 1
		}
	}
	p.Offset = off
	p.Column = 1 + grammar.Columns(string(src[lineStart:off]))
	return p
}

func pos(p lexer.Position) Position {
	return Position{Offset: p.Offset, Line: p.Line, Column: p.Column}
}

// advance returns the position i bytes into s, which starts at p and holds
// no line break.
func advance(p Position, s string, i int) Position {
	return Position{Offset: p.Offset + i, Line: p.Line, Column: p.Column + grammar.Columns(s[:i])}
}

func build(name, text string, f *grammar.File, syn Syntax) *Script {
	// The script and its header are one allocation.
	sh := &struct {
		s Script
		h Header
	}{s: Script{File: name, Syntax: syn, size: len(text)}}
	s := &sh.s
	// One slice of commands and one of parameters for the whole script.
	nc, np := 0, len(f.First.Params)
	if np > 0 {
		nc++
	}
	for i := range f.Lines {
		if n := len(f.Lines[i].Command.Params); n > 0 {
			nc++
			np += n
		}
	}
	cmds := make([]Command, 0, nc)
	params := make([]Param, np)
	newCommand := func(gc *grammar.Command) *Command {
		if gc.Empty() {
			return nil
		}
		n := len(gc.Params)
		cmds = append(cmds, Command{Params: params[:n:n]})
		params = params[n:]
		c := &cmds[len(cmds)-1]
		buildCommand(c, gc, syn)
		return c
	}
	s.Lines = make([]Line, 0, len(f.Lines)+1)
	switch {
	case grammar.Present(f.Header):
		h := f.Header
		start := pos(h.Pos)
		sh.h = Header{Text: h.Value, Version: h.Value[4:], Span: Span{start, advance(start, h.Value, len(h.Value))}}
		s.Header = &sh.h
	case len(f.First.Params) > 0 && looksLikeCommand(&f.First):
		s.Lines = append(s.Lines, Line{Command: newCommand(&f.First), BreakPos: Position{Line: 1, Column: 1}})
	case len(f.First.Params) > 0:
		// The first line is text that is neither a header nor a command:
		// a header written wrong.
		end := len(text)
		if len(f.Lines) > 0 {
			end = f.Lines[0].Newline.Pos.Offset
		}
		start := Position{Line: 1, Column: 1}
		sh.h = Header{Text: text[:end], Span: Span{start, advance(start, text, end)}}
		s.Header = &sh.h
	default:
		// An empty first line (or an empty input).
		s.Lines = append(s.Lines, Line{BreakPos: Position{Line: 1, Column: 1}})
	}
	for i := range f.Lines {
		gl := &f.Lines[i]
		s.Lines = append(s.Lines, Line{Break: gl.Newline.Value, BreakPos: pos(gl.Newline.Pos), Command: newCommand(&gl.Command)})
	}
	return s
}

// looksLikeCommand reports whether a headerless first line is a command
// (it starts with action=) rather than a malformed header.
func looksLikeCommand(c *grammar.Command) bool {
	p := c.Params[0]
	if !p.HasEq {
		return false
	}
	k, _ := decode(p.Key, nil)
	return strings.EqualFold(k, "action")
}

// buildCommand fills c, whose Params are sized to gc's, from gc.
func buildCommand(c *Command, gc *grammar.Command, syn Syntax) {
	for i := range gc.Params {
		gp := &gc.Params[i]
		start := Position{Offset: gp.Pos.Offset, Line: gp.Pos.Line, Column: gp.Pos.Column}
		p := &c.Params[i]
		p.HasEq = gp.HasEq
		p.Key.init(gp.Key, start, syn)
		valueStart := p.Key.End
		if gp.HasEq {
			valueStart.Offset++
			valueStart.Column++
		}
		p.Value.init(gp.Value, valueStart, syn)
	}
	c.Span = Span{c.Params[0].Key.Start, c.Params[len(c.Params)-1].Value.End}
}

// init sets t to raw, which starts at start, decoded, with its
// placeholders and codec findings. (It fills t in place: a Text is large
// enough that returning one by value shows in the parse's profile.)
func (t *Text) init(raw string, start Position, syn Syntax) {
	t.Raw = raw
	if syn != NoTemplate {
		if ph := syn.findPlaceholders(raw); ph != nil {
			t.ownExtra().placeholders = ph
		}
	}
	if len(t.Placeholders()) == 0 {
		var issues []codecIssue
		t.Decoded, issues = decode(raw, nil)
		if issues != nil {
			t.ownExtra().issues = issues
		}
		if len(issues) == 0 && len(t.Decoded) == len(raw) {
			// Clean text is ASCII: one column a byte, no need to count.
			end := start
			end.Offset += len(raw)
			end.Column += len(raw)
			t.Span = Span{start, end}
		} else {
			t.Span = Span{start, advance(start, raw, len(raw))}
		}
		return
	}
	t.Span = Span{start, advance(start, raw, len(raw))}
	var b strings.Builder
	last := 0
	for i := range t.x.placeholders {
		p := &t.x.placeholders[i]
		p.Span = Span{advance(start, raw, p.Offset), advance(start, raw, p.Offset+len(p.Raw))}
		t.decodeSegment(&b, last, p.Offset)
		b.WriteString(p.Raw)
		last = p.Offset + len(p.Raw)
	}
	t.decodeSegment(&b, last, len(raw))
	t.Decoded = b.String()
}

// decodeSegment decodes the literal part raw[from:to] of a template value.
func (t *Text) decodeSegment(b *strings.Builder, from, to int) {
	x := t.ownExtra()
	n := len(x.issues)
	d, issues := decode(t.Raw[from:to], x.issues)
	for i := n; i < len(issues); i++ {
		issues[i].off += from
		issues[i].end += from
	}
	x.issues = issues
	b.WriteString(d)
}
