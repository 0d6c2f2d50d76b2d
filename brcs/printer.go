package brcs

import (
	"bufio"
	"io"
	"strings"
)

// Print writes s exactly as it was parsed: the same bytes.
func Print(w io.Writer, s *Script) error {
	return printScript(w, s, Printer{}, false)
}

// Printer prints scripts canonically: every key and value re-encoded (only
// A-Z a-z 0-9 - . _ ~ raw, upper-case %XX for the rest, placeholders kept
// as written) and one line ending throughout. A canonically printed script
// parses to the same decoded values and has no codec finding left.
type Printer struct {
	// LineEnding is "\n" (the default when empty) or "\r\n".
	LineEnding string
}

// Fprint writes s canonically to w.
func (p Printer) Fprint(w io.Writer, s *Script) error {
	return printScript(w, s, p, true)
}

// Format returns s printed canonically.
func (p Printer) Format(s *Script) []byte {
	var b strings.Builder
	b.Grow(s.size + s.size/8)
	_ = printScript(&b, s, p, true) // a strings.Builder never fails
	return []byte(b.String())
}

// String returns the exact text of s.
func (s *Script) String() string {
	var b strings.Builder
	b.Grow(s.size)
	_ = Print(&b, s)
	return b.String()
}

// String returns the exact text of c.
func (c *Command) String() string {
	return string(c.AppendText(make([]byte, 0, c.End.Offset-c.Start.Offset)))
}

// Canonical returns c printed canonically.
func (c *Command) Canonical() string {
	var b strings.Builder
	writeCommand(&b, c, true)
	return b.String()
}

type writer interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}

func printScript(w io.Writer, s *Script, p Printer, canonical bool) error {
	bw, ok := w.(writer)
	var buf *bufio.Writer
	if !ok {
		buf = bufio.NewWriter(w)
		bw = buf
	}
	nl := p.LineEnding
	if nl == "" {
		nl = "\n"
	}
	if s.Header != nil {
		bw.WriteString(s.Header.Text)
	}
	for _, l := range s.Lines {
		if canonical && l.Break != "" {
			bw.WriteString(nl)
		} else {
			bw.WriteString(l.Break)
		}
		if l.Command != nil {
			writeCommand(bw, l.Command, canonical)
		}
	}
	if buf != nil {
		return buf.Flush()
	}
	return nil
}

func writeCommand(w writer, c *Command, canonical bool) {
	for i := range c.Params {
		p := &c.Params[i]
		if i > 0 {
			w.WriteByte('&')
		}
		writeText(w, &p.Key, canonical)
		if p.HasEq {
			w.WriteByte('=')
		}
		writeText(w, &p.Value, canonical)
	}
}

func writeText(w writer, t *Text, canonical bool) {
	if canonical {
		w.WriteString(t.Canonical())
	} else {
		w.WriteString(t.Raw)
	}
}

// Canonical returns t percent-encoded canonically; placeholders stay as
// written and only the literal text around them is re-encoded.
func (t *Text) Canonical() string {
	if len(t.Placeholders()) == 0 {
		return Encode(t.Decoded)
	}
	var b strings.Builder
	last := 0
	for _, ph := range t.Placeholders() {
		seg, _ := decode(t.Raw[last:ph.Offset], nil)
		b.WriteString(Encode(seg))
		b.WriteString(ph.Raw)
		last = ph.Offset + len(ph.Raw)
	}
	seg, _ := decode(t.Raw[last:], nil)
	b.WriteString(Encode(seg))
	return b.String()
}
