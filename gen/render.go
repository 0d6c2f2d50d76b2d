package gen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/brcs-toolkit/brcs/brcs"
)

// Rendered is a filled template.
type Rendered struct {
	// Script is the filled script, validated.
	Script []byte
	// Unused are the variables given that no placeholder names, sorted.
	Unused []string
}

// PlaceholderError is a problem with one placeholder of a template.
type PlaceholderError struct {
	Placeholder string // as written, e.g. {{ticket.number}}
	Pos         brcs.Position
	Problem     string
}

func (e *PlaceholderError) Error() string {
	return fmt.Sprintf("%d:%d: %s: %s", e.Pos.Line, e.Pos.Column, e.Placeholder, e.Problem)
}

// Render fills a template's placeholders with vars, every value encoded
// canonically, so a value holding '&', '=', '%', '+', a line break or any
// other text lands encoded and never as structure. The template must be
// valid as a template; the result must be valid as a script. A missing
// variable, or a value that makes the result invalid, is a
// *PlaceholderError naming the placeholder.
func Render(cat *brcs.Catalogue, name string, tmpl []byte, syntax brcs.Syntax, vars map[string]string) (*Rendered, error) {
	if syntax == brcs.NoTemplate {
		syntax = brcs.Mustache
	}
	s, err := brcs.Parse(name, tmpl, brcs.Options{Profile: cat.Profile, Template: syntax})
	if err != nil {
		return nil, err
	}
	if errs := brcs.Errors(brcs.Validate(s, cat)); len(errs) > 0 {
		return nil, &InvalidError{What: "the template " + name, Findings: errs}
	}

	// Fill every value, remembering where each filled value lands in the
	// output and which placeholders made it, to name them in errors.
	type filled struct {
		start, end int
		from       []brcs.Placeholder
	}
	var spans []filled
	used := map[string]bool{}
	var missing *PlaceholderError
	lookup := func(ph brcs.Placeholder) (string, bool) {
		v, ok := vars[ph.Name]
		used[ph.Name] = true
		if !ok && missing == nil {
			missing = &PlaceholderError{Placeholder: ph.Raw, Pos: ph.Start, Problem: "no value given for " + ph.Name}
		}
		return v, ok
	}
	var b strings.Builder
	if s.Header != nil {
		b.WriteString(s.Header.Text)
	}
	for _, l := range s.Lines {
		b.WriteString(l.Break)
		if l.Command == nil {
			continue
		}
		for i := range l.Command.Params {
			p := &l.Command.Params[i]
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(p.Key.Raw)
			if p.HasEq {
				b.WriteByte('=')
			}
			start := b.Len()
			v, err := fill(&p.Value, lookup)
			if err != nil {
				return nil, missing
			}
			b.WriteString(v)
			if len(p.Value.Placeholders()) > 0 {
				spans = append(spans, filled{start, b.Len(), p.Value.Placeholders()})
			}
		}
	}
	out := []byte(b.String())
	_, ds, err := brcs.Check(name, out, brcs.Options{Profile: cat.Profile})
	if err != nil {
		return nil, err
	}
	for _, d := range brcs.Errors(ds) {
		for _, f := range spans {
			if d.Start.Offset >= f.start && d.Start.Offset <= f.end {
				ph := f.from[0]
				return nil, &PlaceholderError{Placeholder: ph.Raw, Pos: ph.Start, Problem: "the value makes the script invalid: " + d.Message + " [" + d.Rule + "]"}
			}
		}
		return nil, &InvalidError{What: "the filled script", Findings: brcs.Errors(ds)}
	}
	r := &Rendered{Script: out}
	for n := range vars {
		if !used[n] {
			r.Unused = append(r.Unused, n)
		}
	}
	sort.Strings(r.Unused)
	return r, nil
}

// fill returns t's raw text with its placeholders replaced by their
// values, encoded canonically.
func fill(t *brcs.Text, lookup func(brcs.Placeholder) (string, bool)) (string, error) {
	i := 0
	return t.Fill(func(string) (string, bool) {
		ph := t.Placeholders()[i]
		i++
		return lookup(ph)
	})
}
