package brcs

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// How a raw byte may appear in a key or value (RFC 3986 §2 and §3.4).
const (
	charUnreserved byte = iota // A-Z a-z 0-9 - . _ ~ : canonical as is
	charPercent                // % : starts a percent-encoded triplet
	charSubDelim               // ! $ ' ( ) * , ; = : @ / ? : legal in a query, not canonical
	charPlus                   // + : legal, but often mistaken for a space
	charIllegal                // anything a URI never allows here
)

var charClass = func() (t [256]byte) {
	for i := range t {
		t[i] = charIllegal
	}
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") {
		t[c] = charUnreserved
	}
	for _, c := range []byte("!$'()*,;=:@/?&") {
		t[c] = charSubDelim
	}
	t['+'] = charPlus
	t['%'] = charPercent
	return t
}()

const upperHex = "0123456789ABCDEF"

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// Encode percent-encodes s canonically: the unreserved characters
// A-Z a-z 0-9 - . _ ~ stay as they are and every other byte becomes %XX
// with upper-case hex. A space is %20, never "+".
func Encode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if charClass[s[i]] != charUnreserved {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	appendEncoded(&b, s)
	return b.String()
}

func appendEncoded(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if charClass[c] == charUnreserved {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
}

// DecodeError is a malformed percent-encoding at byte Offset of the input.
type DecodeError struct {
	Offset int
	Reason string
}

func (e *DecodeError) Error() string { return e.Reason }

// Decode strictly decodes a percent-encoded key or value: every "%" must
// start a "%XX" triplet, no raw byte may be one that a URI never allows, and
// the result must be valid UTF-8. Non-canonical but legal forms (lower-case
// hex, a raw sub-delimiter) decode without error; the validator warns about
// them.
func Decode(s string) (string, error) {
	out, issues := decode(s, nil)
	for _, is := range issues {
		if ruleSeverity(is.rule) == Error {
			return "", &DecodeError{Offset: is.off, Reason: is.msg}
		}
	}
	return out, nil
}

// maxIssuesPerRule caps the codec findings of one rule recorded for one key
// or value, so a megabyte of spaces costs one pass, not a million findings,
// while every kind of problem a text has is still reported.
const maxIssuesPerRule = 16

// codecIssue is one finding of the codec inside a raw key or value: a rule,
// a byte range of the raw text and a message. noFix marks a finding that
// canonical encoding does not cure (invalid UTF-8).
type codecIssue struct {
	rule     string
	off, end int
	msg      string
	noFix    bool
}

// decode decodes s leniently (a malformed "%" stays a literal "%", so that
// every input has a decoded value and printing canonically never changes
// it) and appends to issues what is wrong or not canonical, at most
// maxIssuesPerRule of each rule.
func decode(s string, issues []codecIssue) (string, []codecIssue) {
	// Fast path: nothing to decode and nothing to report.
	clean := true
	for i := 0; i < len(s); i++ {
		if charClass[s[i]] != charUnreserved {
			clean = false
			break
		}
	}
	if clean {
		return s, issues
	}
	// Only a "%" makes the decoded value differ from s; without one,
	// nothing is written to b.
	var b strings.Builder
	hasPct := strings.IndexByte(s, '%') >= 0
	if hasPct {
		b.Grow(len(s))
	}
	var counts [6]int // per rule, indexed by codecRuleIndex
	room := func(rule string) bool { return counts[codecRuleIndex(rule)] < maxIssuesPerRule }
	add := func(is codecIssue) {
		if i := codecRuleIndex(is.rule); counts[i] < maxIssuesPerRule {
			issues = append(issues, is)
			counts[i]++
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		n := 1 // bytes consumed
		out := c
		switch charClass[c] {
		case charUnreserved:
		case charPercent:
			var hi, lo byte
			ok := i+2 < len(s)
			if ok {
				var ok1, ok2 bool
				hi, ok1 = unhex(s[i+1])
				lo, ok2 = unhex(s[i+2])
				ok = ok1 && ok2
			}
			if !ok {
				add(codecIssue{rule: RuleBadPercent, off: i, end: i + 1,
					msg: "'%' must start a %XX escape with two hex digits; write %25 for a literal percent sign"})
				break
			}
			n, out = 3, hi<<4|lo
			if !room(RuleEncodedUnreserved) && !room(RuleLowercaseHex) {
				break
			}
			trip := s[i : i+3]
			switch {
			case charClass[out] == charUnreserved:
				add(codecIssue{rule: RuleEncodedUnreserved, off: i, end: i + 3,
					msg: "'" + trip + "' encodes '" + string(rune(out)) + "', which needs no encoding; write it as is"})
			case trip[1] >= 'a' || trip[2] >= 'a':
				add(codecIssue{rule: RuleLowercaseHex, off: i, end: i + 3,
					msg: "percent-encoding '" + trip + "' uses lower-case hex; RFC 3986 producers use upper case: " + strings.ToUpper(trip)})
			}
		case charPlus:
			add(codecIssue{rule: RuleLiteralPlus, off: i, end: i + 1,
				msg: "'+' is a literal plus sign here, not a space; write %2B for a plus or %20 for a space"})
		case charSubDelim:
			if room(RuleNonCanonical) {
				add(codecIssue{rule: RuleNonCanonical, off: i, end: i + 1,
					msg: "'" + string(c) + "' is legal here but not canonical; write " + pct(c)})
			}
		default: // a byte a URI never allows here
			what := describeByte(c)
			if c >= utf8.RuneSelf {
				// One finding for a whole run of non-ASCII bytes.
				for i+n < len(s) && s[i+n] >= utf8.RuneSelf {
					n++
				}
				what = "non-ASCII text"
			}
			if room(RuleIllegalChar) {
				enc := Encode(s[i : i+n])
				add(codecIssue{rule: RuleIllegalChar, off: i, end: i + n,
					msg: what + " is not allowed in a url-encoded string; write " + enc})
			}
			if hasPct {
				b.WriteString(s[i : i+n])
			}
			i += n
			continue
		}
		if hasPct {
			b.WriteByte(out)
		}
		i += n
	}
	out := s
	if hasPct {
		out = b.String()
	}
	if !utf8.ValidString(out) {
		issues = invalidUTF8(s, issues)
	}
	return out, issues
}

// decodedBytes decodes s as decode does and returns, for each decoded
// byte, the offset in s where the raw text that gave it starts (one more
// entry, len(s), closes the last). Only the rare paths that must point
// into a decoded text call it.
func decodedBytes(s string) (dec []byte, rawOff []int) {
	dec = make([]byte, 0, len(s))
	rawOff = make([]int, 0, len(s)+1)
	for i := 0; i < len(s); {
		if s[i] == '%' && i+2 < len(s) {
			if hi, ok1 := unhex(s[i+1]); ok1 {
				if lo, ok2 := unhex(s[i+2]); ok2 {
					dec = append(dec, hi<<4|lo)
					rawOff = append(rawOff, i)
					i += 3
					continue
				}
			}
		}
		dec = append(dec, s[i])
		rawOff = append(rawOff, i)
		i++
	}
	return dec, append(rawOff, len(s))
}

// invalidUTF8 appends a finding for each byte sequence of s's decoded
// text that is not UTF-8, spanning the raw text that gave it: the escape
// that is wrong, not the whole value.
func invalidUTF8(s string, issues []codecIssue) []codecIssue {
	dec, rawOff := decodedBytes(s)
	n := 0
	for i := 0; i < len(dec); {
		r, size := utf8.DecodeRune(dec[i:])
		if r != utf8.RuneError || size != 1 {
			i += size
			continue
		}
		// Join a run of bad bytes (%E9%E9) into one finding.
		j := i + 1
		for j < len(dec) {
			if r, size := utf8.DecodeRune(dec[j:]); r != utf8.RuneError || size != 1 {
				break
			}
			j++
		}
		if n++; n > maxIssuesPerRule {
			break
		}
		raw := s[rawOff[i]:rawOff[j]]
		issues = append(issues, codecIssue{rule: RuleInvalidUTF8, off: rawOff[i], end: rawOff[j], noFix: true,
			msg: quoteRaw(raw) + " is not valid UTF-8 here; encode the text as UTF-8 before percent-encoding it (é is %C3%A9)"})
		i = j
	}
	return issues
}

// quoteRaw quotes raw text for a message; raw bytes that are not ASCII
// show as %XX so that a message stays printable.
func quoteRaw(raw string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c < 0x20 || c >= 0x7f {
			b.WriteString(pct(c))
		} else {
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

func codecRuleIndex(rule string) int {
	switch rule {
	case RuleBadPercent:
		return 0
	case RuleEncodedUnreserved:
		return 1
	case RuleLowercaseHex:
		return 2
	case RuleLiteralPlus:
		return 3
	case RuleNonCanonical:
		return 4
	}
	return 5 // RuleIllegalChar
}

func pct(c byte) string { return string([]byte{'%', upperHex[c>>4], upperHex[c&15]}) }

func describeByte(c byte) string {
	switch {
	case c == ' ':
		return "a space"
	case c < 0x20 || c == 0x7f:
		return "control character " + pct(c)
	default:
		return "'" + string(c) + "'"
	}
}

// controlSpan is a control or bidi character a text decodes to: the raw
// escape that gives it, and what it is.
type controlSpan struct {
	off, end int
	what     string
}

// mayHoldControl is a quick test on decoded text: false means it holds no
// control or bidi character.
func mayHoldControl(d string) bool {
	for i := 0; i < len(d); i++ {
		switch c := d[i]; {
		case c < 0x20 || c == 0x7f:
			return true
		case c == 0xC2 || c == 0xD8 || c == 0xE2: // C1, U+061C, U+200E... U+2069
			return true
		}
	}
	return false
}

// ControlName says what r is when it is a control character (C0, DEL or
// C1) or a bidirectional control; "" otherwise. It is the toolkit's one
// definition of the characters a value must not carry (the codec's
// warnings, the appliance client's checks).
func ControlName(r rune) string {
	switch {
	case r < 0x20 || r == 0x7f || 0x80 <= r && r <= 0x9f:
		return fmt.Sprintf("control character U+%04X", r)
	case r == 0x061c || r == 0x200e || r == 0x200f || 0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069:
		return fmt.Sprintf("bidi control U+%04X", r)
	}
	return ""
}

// controlSpans returns where raw's percent-escapes decode to a control or
// bidi character. One written raw is left out: the codec already reports it
// as a character a URI never allows.
func controlSpans(raw, decoded string) []controlSpan {
	if !mayHoldControl(decoded) {
		return nil
	}
	dec, rawOff := decodedBytes(raw)
	var out []controlSpan
	for i := 0; i < len(dec) && len(out) < maxIssuesPerRule; {
		r, size := utf8.DecodeRune(dec[i:])
		if what := ControlName(r); what != "" && raw[rawOff[i]] == '%' {
			out = append(out, controlSpan{rawOff[i], rawOff[i+size], what})
		}
		i += size
	}
	return out
}
