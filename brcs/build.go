package brcs

import (
	"strings"
	"unicode/utf8"
)

// KeyValue is a parameter with its key and value decoded (not encoded).
type KeyValue struct {
	Key, Value string
}

// NewCommand builds the model of a command from decoded values, as if its
// canonical text (action=<action>&key=value..., every key and value
// encoded canonically) had been parsed on line 1: Raw is canonical, the
// positions are those of that text. Print it with String; check it with
// ValidateCommand. Building costs no parse.
func NewCommand(action string, params []KeyValue) *Command {
	c := &Command{Params: make([]Param, 1+len(params))}
	pos := Position{Line: 1, Column: 1}
	for i := range c.Params {
		key, value := "action", action
		if i > 0 {
			key, value = params[i-1].Key, params[i-1].Value
			pos.Offset++ // the '&'
			pos.Column++
		}
		// Filled in place: a Param is large enough that copying one shows.
		p := &c.Params[i]
		p.HasEq = true
		p.Key.build(key, pos)
		eq := p.Key.End
		eq.Offset++
		eq.Column++
		p.Value.build(value, eq)
		pos = p.Value.End
	}
	c.Span = Span{c.Params[0].Key.Start, pos}
	return c
}

// build sets t to decoded, encoded canonically, starting at start.
func (t *Text) build(decoded string, start Position) {
	raw := Encode(decoded)
	t.Raw, t.Decoded = raw, decoded
	// Canonical text is ASCII: one column a byte. The only codec finding it
	// can have is a decoded value that is not UTF-8.
	end := start
	end.Offset += len(raw)
	end.Column += len(raw)
	t.Span = Span{start, end}
	if len(raw) != len(decoded) && !utf8.ValidString(decoded) {
		_, t.ownExtra().issues = decode(raw, nil)
	}
}

// WriteText writes the exact text of c to b.
func (c *Command) WriteText(b *strings.Builder) {
	for i := range c.Params {
		p := &c.Params[i]
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.Key.Raw)
		if p.HasEq {
			b.WriteByte('=')
		}
		b.WriteString(p.Value.Raw)
	}
}

// AppendText appends the exact text of c to dst.
func (c *Command) AppendText(dst []byte) []byte {
	for i := range c.Params {
		p := &c.Params[i]
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p.Key.Raw...)
		if p.HasEq {
			dst = append(dst, '=')
		}
		dst = append(dst, p.Value.Raw...)
	}
	return dst
}

// ValidateCommand checks one command on its own, as --run-script would
// take it, against cat (nil: the default profile).
func ValidateCommand(c *Command, cat *Catalogue) []Diagnostic {
	if cat == nil {
		cat, _ = LookupProfile(DefaultProfile)
	}
	v := validator{cat: cat}
	v.command(c, 0, 1)
	SortDiagnostics(v.diags)
	return v.diags
}
