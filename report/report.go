// Package report writes BRCS findings in the formats CI systems and people
// read: text (plain, or coloured with the source line and a marker), JSON,
// SARIF 2.1.0, GitHub Actions workflow commands and checkstyle XML. Every
// format is written from the same list of findings, and none shows a
// secret: a finding marked Secret has its fix redacted, and the source
// lines the text format quotes have their secret values masked.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/brcs-toolkit/brcs/brcs"
)

// Format names an output format.
type Format string

// Output formats.
const (
	Text       Format = "text"
	JSON       Format = "json"
	SARIF      Format = "sarif"
	GitHub     Format = "github"
	Checkstyle Format = "checkstyle"
)

// Formats lists every format, the default first.
func Formats() []Format { return []Format{Text, JSON, SARIF, GitHub, Checkstyle} }

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, 0, len(Formats()))
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("unknown format %q (want %s)", s, strings.Join(names, ", "))
}

// File is one checked input: its path as shown, and optionally its source
// and where its secrets lie, for the text format's source lines.
type File struct {
	Path    string
	Source  []byte
	Secrets []brcs.Span
}

// Result is what one run found.
type Result struct {
	// Files are the inputs checked, clean or not, in output order.
	Files []File
	// Diagnostics are the findings; their File field is a File's Path.
	Diagnostics []brcs.Diagnostic
}

// Tool describes the program for formats that name it.
type Tool struct {
	Name    string
	Version string
	URI     string
}

// Options tune the writers.
type Options struct {
	Tool Tool
	// Color adds ANSI colour and source lines with markers to the text format.
	Color bool
}

// Write writes r in format f.
func Write(w io.Writer, f Format, r *Result, opts Options) error {
	ds := append([]brcs.Diagnostic(nil), r.Diagnostics...)
	brcs.SortDiagnostics(ds)
	switch f {
	case Text:
		return writeText(w, ds, r.Files, opts)
	case JSON:
		return writeJSON(w, ds)
	case SARIF:
		return writeSARIF(w, ds, opts.Tool)
	case GitHub:
		return writeGitHub(w, ds, opts.Tool)
	case Checkstyle:
		return writeCheckstyle(w, ds, r.Files, opts.Tool)
	}
	return fmt.Errorf("unknown format %q", f)
}

// Redacted is what stands in for a secret.
const Redacted = "****"

// edits returns d's fix edits, with the text of a secret fix redacted.
func edits(d brcs.Diagnostic) []brcs.Edit {
	if d.Fix == nil {
		return nil
	}
	out := append([]brcs.Edit(nil), d.Fix.Edits...)
	if d.Secret {
		for i := range out {
			out[i].NewText = Redacted
		}
	}
	return out
}

// sortedPaths returns the distinct paths of files and findings, sorted.
func sortedPaths(files []File, ds []brcs.Diagnostic) []string {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, f := range files {
		add(f.Path)
	}
	for _, d := range ds {
		add(d.File)
	}
	sort.Strings(out)
	return out
}
