package brcs

import (
	"fmt"
	"sort"
	"strings"
)

// Position is a place in a script. Offset counts bytes from 0; Line and
// Column count from 1, and Column counts characters (each byte that is not
// part of valid UTF-8 counts as one). A line ends at "\n", "\r\n" or a lone
// "\r".
type Position struct {
	Offset int `json:"offset"`
	Line   int `json:"line"`
	Column int `json:"column"`
}

// String formats p as line:column.
func (p Position) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// Span is the half-open range [Start, End) of a node or a finding.
type Span struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// Severity is how serious a finding is.
type Severity int

// Severities, most serious first.
const (
	Error Severity = iota
	Warning
	Info
)

var severityNames = [...]string{"error", "warning", "info"}

// String returns "error", "warning" or "info".
func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity is the inverse of Severity.String.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if n == s {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// Edit replaces the bytes [Start, End) of the source with NewText.
type Edit struct {
	Start   int    `json:"start"`
	End     int    `json:"end"`
	NewText string `json:"new_text"`
}

// Fix is a suggested repair: non-overlapping edits of the source.
type Fix struct {
	Description string `json:"description"`
	Edits       []Edit `json:"edits"`
}

// Diagnostic is one finding. It is also an error, so a fatal finding (a
// binary or oversized input) can be returned as one.
type Diagnostic struct {
	File     string   `json:"file"`
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Span
	Fix *Fix `json:"fix"`
	// Secret marks a finding about a secret value (a password): its fix
	// holds that value, so anything that shows findings must not show the
	// fix's text.
	Secret bool `json:"secret,omitempty"`
}

// String formats d as "file:line:col: severity: message [rule]".
func (d Diagnostic) String() string {
	file := d.File
	if file == "" {
		file = "<input>"
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", file, d.Start.Line, d.Start.Column, d.Severity, d.Message, d.Rule)
}

// Error implements error.
func (d *Diagnostic) Error() string { return d.String() }

// SortDiagnostics orders ds by file, position, then rule, so output is
// stable whatever order the checks ran in.
func SortDiagnostics(ds []Diagnostic) {
	if len(ds) < 2 {
		return
	}
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Start.Offset != b.Start.Offset {
			return a.Start.Offset < b.Start.Offset
		}
		return a.Rule < b.Rule
	})
}

// Errors returns the findings that are errors.
func Errors(ds []Diagnostic) []Diagnostic {
	var out []Diagnostic
	for _, d := range ds {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// HasErrors reports whether any finding is an error.
func HasErrors(ds []Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// ApplyFixes applies the fixes of ds to src and returns the new source and
// how many fixes were applied. Identical edits from different findings are
// applied once. A fix whose edits overlap an edit already taken is skipped
// whole (run again to apply it to the new text); edits outside src are an
// error.
func ApplyFixes(src []byte, ds []Diagnostic) ([]byte, int, error) {
	var edits []Edit
	applied := 0
	taken := func(e Edit) (dup, clash bool) {
		for _, t := range edits {
			if t == e {
				return true, false
			}
			if e.Start < t.End && t.Start < e.End || e.Start == e.End && e.Start == t.Start || t.Start == t.End && t.Start == e.Start {
				return false, true
			}
		}
		return false, false
	}
	for _, d := range ds {
		if d.Fix == nil {
			continue
		}
		ok := true
		var fresh []Edit
		for _, e := range d.Fix.Edits {
			if e.Start < 0 || e.End < e.Start || e.End > len(src) {
				return nil, 0, fmt.Errorf("%s: fix edit [%d,%d) lies outside the %d-byte input", d.Rule, e.Start, e.End, len(src))
			}
			dup, clash := taken(e)
			if clash {
				ok = false
				break
			}
			if !dup {
				fresh = append(fresh, e)
			}
		}
		if !ok {
			continue
		}
		edits = append(edits, fresh...)
		applied++
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	var b strings.Builder
	b.Grow(len(src))
	last := 0
	for _, e := range edits {
		b.Write(src[last:e.Start])
		b.WriteString(e.NewText)
		last = e.End
	}
	b.Write(src[last:])
	return []byte(b.String()), applied, nil
}
