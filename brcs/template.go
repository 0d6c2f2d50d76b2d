package brcs

import (
	"fmt"
	"strings"
)

// Syntax is a placeholder syntax for script templates.
type Syntax int

// Placeholder syntaxes.
const (
	// NoTemplate parses plain scripts: braces and dollars are plain characters.
	NoTemplate Syntax = iota
	// Mustache placeholders look like {{name}}.
	Mustache
	// Dollar placeholders look like ${name}.
	Dollar
)

// String returns "none", "mustache" or "dollar".
func (s Syntax) String() string {
	switch s {
	case Mustache:
		return "mustache"
	case Dollar:
		return "dollar"
	}
	return "none"
}

// ParseSyntax is the inverse of Syntax.String.
func ParseSyntax(s string) (Syntax, error) {
	switch s {
	case "none", "":
		return NoTemplate, nil
	case "mustache":
		return Mustache, nil
	case "dollar":
		return Dollar, nil
	}
	return 0, fmt.Errorf("unknown placeholder syntax %q (want mustache or dollar)", s)
}

func (s Syntax) delims() (open, close string) {
	switch s {
	case Mustache:
		return "{{", "}}"
	case Dollar:
		return "${", "}"
	}
	return "", ""
}

// isPlaceholderName reports whether s is letters, digits, '_' and '.'.
func isPlaceholderName(s string) bool { return isASCIIName(s, "_.") }

// findPlaceholders returns the placeholders in raw, as offsets into raw.
// Text that looks like a delimiter but is not a well-formed placeholder
// stays literal (and the codec reports its braces).
func (s Syntax) findPlaceholders(raw string) []Placeholder {
	open, close := s.delims()
	if open == "" || !strings.Contains(raw, open) {
		return nil
	}
	var out []Placeholder
	for i := 0; i < len(raw); {
		j := strings.Index(raw[i:], open)
		if j < 0 {
			break
		}
		start := i + j
		k := strings.Index(raw[start+len(open):], close)
		if k < 0 {
			break
		}
		name := raw[start+len(open) : start+len(open)+k]
		end := start + len(open) + k + len(close)
		if !isPlaceholderName(name) {
			i = start + 1
			continue
		}
		out = append(out, Placeholder{Name: name, Raw: raw[start:end], Offset: start})
		i = end
	}
	return out
}

// Fill returns the raw text of t with every placeholder replaced by the
// canonical encoding of its value. lookup reports false for a missing
// value, and Fill then returns an error naming the placeholder.
func (t *Text) Fill(lookup func(name string) (string, bool)) (string, error) {
	if len(t.Placeholders()) == 0 {
		return t.Raw, nil
	}
	var b strings.Builder
	last := 0
	for _, p := range t.Placeholders() {
		v, ok := lookup(p.Name)
		if !ok {
			return "", fmt.Errorf("%d:%d: no value for placeholder %s", p.Start.Line, p.Start.Column, p.Raw)
		}
		b.WriteString(t.Raw[last:p.Offset])
		b.WriteString(Encode(v))
		last = p.Offset + len(p.Raw)
	}
	b.WriteString(t.Raw[last:])
	return b.String(), nil
}
