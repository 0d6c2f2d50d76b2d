package brcs

import (
	"path/filepath"
	"strings"
)

// ParseCommand parses a single command, the form the console's
// --run-script takes. Like Parse, it fails only for a NUL byte or an
// oversized input; other mistakes are left for [ValidateCommand].
func ParseCommand(cmd string, opts Options) (*Script, error) {
	s, err := Parse("", []byte(cmd), opts)
	if err != nil {
		return nil, err
	}
	// A command has no header: whatever the first line holds is the command.
	if s.Header != nil {
		reparsed, err := Parse("", []byte("\n"+cmd), opts)
		if err != nil {
			return nil, err
		}
		// Shift the positions back by the line break we added.
		s = reparsed
		s.Lines = s.Lines[1:]
		s.Lines[0].Break = ""
		shiftScript(s)
	}
	return s, nil
}

// shiftScript moves every position of s one byte and one line back, undoing
// the "\n" ParseCommand put in front.
func shiftScript(s *Script) {
	sh := func(p *Position) {
		p.Offset--
		p.Line--
	}
	shText := func(t *Text) {
		sh(&t.Start)
		sh(&t.End)
		for i := range t.Placeholders() {
			sh(&t.x.placeholders[i].Start)
			sh(&t.x.placeholders[i].End)
		}
	}
	s.size--
	for i := range s.Lines {
		l := &s.Lines[i]
		sh(&l.BreakPos)
		if l.Command == nil {
			continue
		}
		sh(&l.Command.Start)
		sh(&l.Command.End)
		for j := range l.Command.Params {
			p := &l.Command.Params[j]
			shText(&p.Key)
			shText(&p.Value)
		}
	}
	s.Lines[0].BreakPos = Position{Line: 1, Column: 1}
}

// CheckCommand parses and validates a single command string. The
// findings are those a script would get for that command, plus a line
// break inside it, which --run-script cannot take.
func CheckCommand(cmd string, opts Options) (*Command, []Diagnostic, error) {
	cat, err := LookupProfile(opts.Profile)
	if err != nil {
		return nil, nil, err
	}
	s, err := ParseCommand(cmd, opts)
	if err != nil {
		if d, ok := err.(*Diagnostic); ok {
			return nil, []Diagnostic{*d}, nil
		}
		return nil, nil, err
	}
	v := validator{cat: cat}
	for _, l := range s.Lines {
		if l.Break != "" {
			at := l.breakSpan()
			v.report(RuleLineBreakInCmd, at, nil, "%s", "a line break inside the command; --run-script takes exactly one command (percent-encode a line break inside a value as %0A)")
			break
		}
	}
	c := s.Lines[0].Command
	if c == nil {
		at := Span{Position{Line: 1, Column: 1}, Position{Line: 1, Column: 1}}
		v.report(RuleMissingAction, at, nil, "the command is empty; write action=<name>&key=value...")
		return nil, v.diags, nil
	}
	v.command(c, 0, 1)
	SortDiagnostics(v.diags)
	return c, v.diags, nil
}

// CheckFileName checks that a script's file name has the extension the
// console opens, brcs-<site>. Only the base name is looked at.
func CheckFileName(name string) []Diagnostic {
	base := filepath.Base(name)
	ext := strings.TrimPrefix(filepath.Ext(base), ".")
	start := Position{Line: 1, Column: 1}
	end := Position{Line: 1, Column: 1}
	d := func(rule, msg string) []Diagnostic {
		return []Diagnostic{{File: name, Rule: rule, Severity: ruleSeverity(rule), Message: msg, Span: Span{start, end}}}
	}
	site, ok := strings.CutPrefix(ext, "brcs-")
	switch {
	case ok && IsSiteName(site):
		return nil
	case ok:
		return d(RuleBadFileName, "the site name "+quote(site)+" in the extension is empty or holds characters other than letters, digits, '-' and '_'")
	case strings.HasPrefix(ext, "brsc-"):
		return d(RuleMisspelledExt, "the extension is spelled brsc-; the console opens brcs-"+ext[len("brsc-"):])
	case ext == "brcs":
		return d(RuleBadFileName, "the extension lacks the site: the console opens .brcs-<site> files, e.g. "+strings.TrimSuffix(base, ".brcs")+".brcs-support")
	}
	return d(RuleBadFileName, "the file name does not end in .brcs-<site>; the console opens only such files")
}

// IsSiteName reports whether s can be the company site name of a script's
// extension: letters, digits, '-' and '_'.
func IsSiteName(s string) bool { return isASCIIName(s, "-_") }

// isASCIIName reports whether s is not empty and holds only ASCII letters,
// digits and the bytes of punct: site names and placeholder names differ
// only in their punctuation.
func isASCIIName(s, punct string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(punct, c) >= 0) {
			return false
		}
	}
	return true
}

func quote(s string) string { return "\"" + s + "\"" }
