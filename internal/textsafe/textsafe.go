// Package textsafe makes text that came from outside (a file name, a
// value, an appliance's message) safe to show a person: nothing in it can
// move the cursor, change colours, reverse the text, hide itself or start
// a new line. The launcher's summary, brcsgen's messages and the lint
// reports all use it, so there is one rule for what needs escaping.
package textsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NeedsEscape reports whether r must not reach a screen as it is: control
// characters (C0, DEL, C1), format characters (category Cf: bidi controls,
// zero-width characters, the BOM), line and paragraph separators, private
// use and unassigned code points, every space but the ASCII one (NBSP and
// the like look blank and so can pass for a plain space), and what renders
// as nothing or as a blank though Unicode files it as a letter or mark:
// the default-ignorable code points (Hangul fillers, variation selectors,
// the grapheme joiner) and the blank Braille pattern.
func NeedsEscape(r rune) bool {
	switch {
	case r == ' ':
		return false
	case r == utf8.RuneError, r == '⠀':
		return true
	case unicode.In(r, unicode.Zs, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector):
		return true
	}
	return !unicode.IsGraphic(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Co, r)
}

// ciCommand is what a GitHub Actions log reads as a workflow command
// anywhere in a line (the older "##[error]text" form); its second '#' is
// escaped, so outside text can never raise an annotation in a CI log.
const ciCommand = "##["

// Clean reports whether s holds only what can be shown as it is.
func Clean(s string) bool {
	if !utf8.ValidString(s) || strings.Contains(s, ciCommand) {
		return false
	}
	for _, r := range s {
		if NeedsEscape(r) {
			return false
		}
	}
	return true
}

// escape writes s with every rune that needs it written as a Go escape
// (\n, \x1b, \u202e, and \xff for a byte that is not UTF-8); quoted also
// escapes '"' and '\'.
func escape(b *strings.Builder, s string, quoted bool) {
	for i := 0; i < len(s); {
		i += escapeAt(b, s, i, quoted)
	}
}

// escapeAt writes the rune of s at byte i as escape does, and returns its
// size in bytes. It looks at what follows, for "##[".
func escapeAt(b *strings.Builder, s string, i int, quoted bool) int {
	r, n := utf8.DecodeRuneInString(s[i:])
	switch {
	case r == '#' && i > 0 && strings.HasPrefix(s[i-1:], ciCommand):
		b.WriteString(`\x23`)
	case r == utf8.RuneError && n <= 1:
		fmt.Fprintf(b, `\x%02x`, s[i])
	case quoted && (r == '"' || r == '\\'):
		b.WriteByte('\\')
		b.WriteRune(r)
	case r == '\n':
		b.WriteString(`\n`)
	case r == '\r':
		b.WriteString(`\r`)
	case r == '\t':
		b.WriteString(`\t`)
	case NeedsEscape(r) && r < 0x100:
		fmt.Fprintf(b, `\x%02x`, r)
	case NeedsEscape(r) && r < 0x10000:
		fmt.Fprintf(b, `\u%04x`, r)
	case NeedsEscape(r):
		fmt.Fprintf(b, `\U%08x`, r)
	default:
		b.WriteRune(r)
	}
	return n
}

// Quote returns a value for a sentence: as it is when it is plain
// printable text without spaces or quotes, else in double quotes with
// every character that needs it escaped, so a value cannot disguise
// itself or the sentence around it.
func Quote(s string) string {
	if s != "" && Clean(s) && !strings.ContainsAny(s, " \"\\") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	escape(&b, s, true)
	b.WriteByte('"')
	return b.String()
}

// Escape returns a name (a file name, a host, a message) with only the
// characters that need it escaped and no quotes added, so that ordinary
// names, spaces and Windows paths read as they are.
func Escape(s string) string {
	if Clean(s) {
		return s
	}
	var b strings.Builder
	escape(&b, s, false)
	return b.String()
}

// clip cuts s so that what escape writes of it is at most max characters
// (an escaped rune counts as its escape: \U000e0041 is ten), and returns
// how many bytes it left out.
func clip(s string, max int, quoted bool) (string, int) {
	if max <= 0 {
		return s, 0
	}
	var b strings.Builder
	shown := 0
	for i := 0; i < len(s); {
		b.Reset()
		size := escapeAt(&b, s, i, quoted)
		if shown += utf8.RuneCountInString(b.String()); shown > max {
			return s[:i], len(s) - i
		}
		i += size
	}
	return s, 0
}

// QuoteMax is Quote of as much of s as shows in at most max characters
// (quotes aside), followed by "… (N more bytes not shown)" when s is
// longer.
func QuoteMax(s string, max int) string {
	head, rest := clip(s, max, true)
	if rest == 0 {
		return Quote(s)
	}
	return Quote(head) + fmt.Sprintf("… (%d more bytes not shown)", rest)
}

// EscapeMax is Escape of as much of s as shows in at most max
// characters, followed by "… (N more bytes not shown)" when s is longer.
func EscapeMax(s string, max int) string {
	head, rest := clip(s, max, false)
	if rest == 0 {
		return Escape(s)
	}
	return Escape(head) + fmt.Sprintf("… (%d more bytes not shown)", rest)
}

// EscapeLines is Escape applied to each line of s: for a message of our
// own made of several lines, some of them quoting outside text.
func EscapeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Escape(l)
	}
	return strings.Join(lines, "\n")
}
