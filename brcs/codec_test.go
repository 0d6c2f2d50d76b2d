package brcs_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/brcs"
)

func TestEncode(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"ABCdef-._~09", "ABCdef-._~09"},
		{"Custom Value", "Custom%20Value"},
		{"a+b", "a%2Bb"},
		{"a&action=login", "a%26action%3Dlogin"},
		{"100%", "100%25"},
		{"line\nbreak\r", "line%0Abreak%0D"},
		{"café", "caf%C3%A9"},
		{"/:@?!$'()*,;=", "%2F%3A%40%3F%21%24%27%28%29%2A%2C%3B%3D"},
		{"\xff", "%FF"},
	} {
		assert.Equal(t, c.want, brcs.Encode(c.in), "Encode(%q)", c.in)
	}
}

func TestDecode(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{"Custom%20Value", "Custom Value", ""},
		{"caf%C3%A9", "café", ""},
		{"web%2fserver", "web/server", ""}, // lower-case hex: legal, warned by the validator
		{"a:b", "a:b", ""},                 // sub-delimiter: legal, warned
		{"a+b", "a+b", ""},                 // a literal plus, never a space
		{"%41", "A", ""},
		{"100%", "", "'%' must start"},
		{"%4", "", "'%' must start"},
		{"%zz", "", "'%' must start"},
		{"%%41", "", "'%' must start"},
		{"a b", "", "a space is not allowed"},
		{"tab\t", "", "control character %09"},
		{"café", "", "non-ASCII text"},
		{"{x}", "", "'{' is not allowed"},
		{"caf%E9", "", "not valid UTF-8"},
	} {
		got, err := brcs.Decode(c.in)
		if c.err == "" {
			require.NoError(t, err, "Decode(%q)", c.in)
			assert.Equal(t, c.want, got, "Decode(%q)", c.in)
		} else {
			require.Error(t, err, "Decode(%q)", c.in)
			assert.Contains(t, err.Error(), c.err, "Decode(%q)", c.in)
		}
	}
}

func TestDecodeErrorOffset(t *testing.T) {
	_, err := brcs.Decode("abc%4Gx")
	var de *brcs.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, 3, de.Offset, "the error points at the '%'")
}

// TestDecodeAgreesWithPathUnescape: where both accept, they agree.
func TestDecodeAgreesWithPathUnescape(t *testing.T) {
	for _, s := range []string{"", "a%20b", "%C3%A9", "%2f", "a:b@c", "a+b", "%41%42"} {
		got, err := brcs.Decode(s)
		require.NoError(t, err)
		want, err := url.PathUnescape(s)
		require.NoError(t, err)
		assert.Equal(t, want, got, s)
	}
}

// TestInvalidUTF8PointsAtTheEscape: the finding spans the escape sequence
// that is not UTF-8, not the whole value.
func TestInvalidUTF8PointsAtTheEscape(t *testing.T) {
	const prefix = "BRCS1.0\naction=start_jump_item_session&client.hostname="
	for _, c := range []struct{ value, bad string }{
		{"caf%E9", "%E9"},
		{"ok%C3%A9%C3%28x", "%C3"},
		{"ab%FF%FEcd", "%FF%FE"},
		{"x%E2%82", "%E2%82"},
	} {
		src := prefix + c.value
		_, ds, err := brcs.Check("t.brcs-x", []byte(src), brcs.Options{})
		require.NoError(t, err)
		var got []string
		for _, d := range ds {
			if d.Rule == brcs.RuleInvalidUTF8 {
				got = append(got, src[d.Start.Offset:d.End.Offset])
			}
		}
		assert.Equal(t, []string{c.bad}, got, c.value)
	}
}

// TestControlCharacterSeverity: the catalogue says which values are free
// text, where a decoded control character is a warning; elsewhere it is an
// error, and in a key always.
func TestControlCharacterSeverity(t *testing.T) {
	for _, c := range []struct{ param, rule string }{
		{"client.hostname=a%0Ab", brcs.RuleControlChar},
		{"client.comments=%E2%80%AE", brcs.RuleControlChar},
		{"jump.method=pinned%00", brcs.RuleControlChar},
		{"session.custom.note=a%0Ab", brcs.RuleControlCharText},
		{"session.custom.external_key=%C2%85", brcs.RuleControlCharText},
		{"session.custom.a%1Bb=x", brcs.RuleControlChar},
	} {
		_, ds, err := brcs.Check("t.brcs-x", []byte("BRCS1.0\naction=start_jump_item_session&client.tag=T&"+c.param), brcs.Options{})
		require.NoError(t, err)
		var rules []string
		for _, d := range ds {
			if d.Rule == brcs.RuleControlChar || d.Rule == brcs.RuleControlCharText {
				rules = append(rules, d.Rule)
			}
		}
		assert.Equal(t, []string{c.rule}, rules, c.param)
	}
}
