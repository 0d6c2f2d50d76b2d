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
