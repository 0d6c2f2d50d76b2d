package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/rivo/uniseg"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGray   = "\x1b[90m"
	ansiGreen  = "\x1b[32m"
)

func severityColor(s brcs.Severity) string {
	switch s {
	case brcs.Error:
		return ansiRed
	case brcs.Warning:
		return ansiYellow
	}
	return ansiCyan
}

// writeText writes "path:line:col: severity: message [rule]" lines; with
// colour, each is followed by its source line and a ^~~~ marker.
func writeText(w io.Writer, ds []brcs.Diagnostic, files []File, opts Options) error {
	bw := bufio.NewWriter(w)
	byPath := map[string]*File{}
	for i := range files {
		byPath[files[i].Path] = &files[i]
	}
	for _, d := range ds {
		// A file's name is not ours: escaped, so that it cannot start a
		// line, move the cursor or recolour the terminal.
		file, msg := textsafe.Escape(d.File), textsafe.Escape(d.Message)
		if d.File == "" {
			file = "<input>"
		}
		if blanks := len(file) - len(strings.TrimLeft(file, " ")); strings.HasPrefix(file[blanks:], "::") {
			// A CI log (GitHub Actions) reads a line whose first non-blank
			// characters are "::" as a workflow command.
			file = file[:blanks] + `\x3a` + file[blanks+1:]
		}
		if !opts.Color {
			fmt.Fprintf(bw, "%s:%d:%d: %s: %s [%s]\n", file, d.Start.Line, d.Start.Column, d.Severity, msg, d.Rule)
			continue
		}
		head := fmt.Sprintf("%s:%d:%d:", file, d.Start.Line, d.Start.Column)
		bw.WriteString(ansiBold + head + ansiReset + " " + severityColor(d.Severity) + d.Severity.String() + ansiReset + ": " + msg + " " + ansiGray + "[" + d.Rule + "]" + ansiReset + "\n")
		if f := byPath[d.File]; f != nil && f.Source != nil {
			writeSourceLine(bw, f, d)
		}
	}
	return bw.Flush()
}

// writeSourceLine prints the line d starts on, secrets masked, and a marker
// under d's span.
func writeSourceLine(w *bufio.Writer, f *File, d brcs.Diagnostic) {
	src := f.Source
	start := lineStart(src, d.Start.Offset)
	end := start
	for end < len(src) && src[end] != '\n' && src[end] != '\r' {
		end++
	}
	text := string(src[start:end])
	from, to := d.Start.Offset-start, d.End.Offset-start
	if d.End.Line != d.Start.Line || to > len(text) {
		to = len(text)
	}
	to = max(to, from)
	// Mask secrets, moving the marker with the text.
	for i := len(f.Secrets) - 1; i >= 0; i-- {
		s := f.Secrets[i]
		a, b := s.Start.Offset-start, s.End.Offset-start
		if a < 0 || b > len(text) || a >= b {
			continue
		}
		text = text[:a] + Redacted + text[b:]
		shift := len(Redacted) - (b - a)
		switch {
		case from >= b:
			from, to = from+shift, to+shift
		case from >= a: // the marker was inside the secret: mark the mask
			from, to = a, a+len(Redacted)
		case to > a:
			to = max(a+len(Redacted), to+shift)
		}
	}
	from, to = min(from, len(text)), min(to, len(text))
	// Each character that needs escaping becomes one '?' (so does a byte
	// that is not UTF-8), so the line cannot garble the terminal; the
	// three parts are cleaned apart so the marker keeps its place.
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if textsafe.NeedsEscape(r) {
				return '?'
			}
			return r
		}, strings.ToValidUTF8(s, "\uFFFD"))
	}
	before, marked := clean(text[:from]), clean(text[from:to])
	text = before + marked + clean(text[to:])
	// The script's lines are outside text too: a CI log must not read one
	// as a workflow command. Each change is one character for one, so the
	// marker keeps its place.
	if blanks := len(text) - len(strings.TrimLeft(text, " ")); strings.HasPrefix(text[blanks:], "::") {
		text = text[:blanks] + "?" + text[blanks+1:]
	}
	text = strings.ReplaceAll(text, "##[", "#?[")
	// Terminal cells, not characters: a CJK character or an emoji takes
	// two cells, a combining mark none (uniseg measures grapheme clusters).
	pad := uniseg.StringWidth(before)
	width := max(1, uniseg.StringWidth(marked))
	w.WriteString("    " + text + "\n")
	w.WriteString("    " + strings.Repeat(" ", pad) + ansiGreen + "^" + strings.Repeat("~", width-1) + ansiReset + "\n")
}

func lineStart(src []byte, off int) int {
	off = min(off, len(src))
	for off > 0 && src[off-1] != '\n' && src[off-1] != '\r' {
		off--
	}
	return off
}
