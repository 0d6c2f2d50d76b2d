package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain":            "plain",
		"INC-1_2.3":        "INC-1_2.3",
		"":                 `""`,
		"a b":              `"a b"`,
		`say "hi"`:         `"say \"hi\""`,
		"x\x1b[2Ky":        `"x\x1b[2Ky"`,
		"a\nb\r":           `"a\nb\r"`,
		"rev\u202ese":      `"rev\u202ese"`,
		"nb\u00a0sp":       `"nb\xa0sp"`,
		"em\u2003sp":       `"em\u2003sp"`,
		"zw\u200bj":        `"zw\u200bj"`,
		"c1\u009b":         `"c1\x9b"`,
		"bad\xffutf8":      `"bad\xffutf8"`,
		"del\x7f":          `"del\x7f"`,
		"日本語":              "日本語",
		"tag\U000e0041":    `"tag\U000e0041"`,
		"pua\ue000":        `"pua\ue000"`,
		"back\\slash":      `"back\\slash"`,
		"ls\u2028ps\u2029": `"ls\u2028ps\u2029"`,
		// Letters and marks that render as nothing or as a blank: they
		// pass for a space (or for nothing) just as NBSP does.
		"hangul\u3164filler": `"hangul\u3164filler"`,
		"half\uffa0width":    `"half\uffa0width"`,
		"cho\u115fseong":     `"cho\u115fseong"`,
		"braille\u2800blank": `"braille\u2800blank"`,
		"vs\ufe0fsixteen":    `"vs\ufe0fsixteen"`,
		"vs\U000e0100sup":    `"vs\U000e0100sup"`,
		"cgj\u034fjoiner":    `"cgj\u034fjoiner"`,
		"khmer\u17b4vowel":   `"khmer\u17b4vowel"`,
	} {
		assert.Equal(t, want, Quote(in), "%q", in)
	}
}

func TestEscape(t *testing.T) {
	assert.Equal(t, `C:\scripts\a b.brcs-x`, Escape(`C:\scripts\a b.brcs-x`), "names read as they are")
	assert.Equal(t, `a\x1b[8m\nb`, Escape("a\x1b[8m\nb"))
	assert.Equal(t, `host\u202elive`, Escape("host\u202elive"))
}

func TestMax(t *testing.T) {
	assert.Equal(t, "abc", QuoteMax("abc", 3))
	assert.Equal(t, "ab… (1 more bytes not shown)", QuoteMax("abc", 2))
	assert.Equal(t, `"\n"… (3 more bytes not shown)`, QuoteMax("\n日", 2), "the cap counts \\n as the two characters shown")
	assert.Equal(t, `a\nb… (2 more bytes not shown)`, EscapeMax("a\nbcd", 4))
}

func TestEscapeLines(t *testing.T) {
	assert.Equal(t, "a\\x1b\nb\\u202e", EscapeLines("a\x1b\nb\u202e"))
}

// The cap is on what is shown: 160 characters that each escape to ten
// (a tag character is \U000e0041) took 1,600 columns, a whole terminal.
func TestMaxCapsWhatIsShown(t *testing.T) {
	for _, s := range []string{strings.Repeat("\U000e0041", 1000), strings.Repeat("\x1b", 1000), strings.Repeat(`"`, 1000)} {
		head, _, ok := strings.Cut(QuoteMax(s, 160), "…")
		assert.True(t, ok, "%q is cut", s[:4])
		assert.LessOrEqual(t, utf8.RuneCountInString(head), 160+2, "at most 160 characters shown, and the quotes")
		head, _, ok = strings.Cut(EscapeMax(s, 160), "…")
		assert.True(t, ok)
		assert.LessOrEqual(t, utf8.RuneCountInString(head), 160)
	}
}

// GitHub Actions reads "##[" anywhere in a line of a CI log as a workflow
// command (its older form: "##[error]text" raises an annotation), so text
// from outside never shows it as it is.
func TestLegacyWorkflowCommandIsEscaped(t *testing.T) {
	for _, s := range []string{"x##[error]pwned", "##[stop-commands]tok", "###[warning]w", "a ##[group]b"} {
		assert.False(t, Clean(s), "%q", s)
		assert.NotContains(t, Escape(s), "##[", "%q", s)
		assert.NotContains(t, Quote(s), "##[", "%q", s)
		assert.NotContains(t, EscapeMax(s, 160), "##[", "%q", s)
	}
	assert.Equal(t, `x#\x23[error]pwned`, Escape("x##[error]pwned"))
	assert.Equal(t, "issue#12", Escape("issue#12"), "a lone # is plain")
}
