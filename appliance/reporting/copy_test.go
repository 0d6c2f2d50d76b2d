package reporting

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/brcs-toolkit/brcs/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every golden answer is copied byte for byte, up to its list's end.
func TestCopyKeepsTheAnswer(t *testing.T) {
	for file, r := range map[string]Report{"access_session.xml": AccessSession, "listing.xml": AccessSessionListing, "summary.xml": AccessSessionSummary, "team.xml": Team} {
		for _, style := range styles() {
			in := styled(t, file, style)
			var out bytes.Buffer
			n, err := Copy(&out, bytes.NewReader(in), r, Options{})
			require.NoError(t, err, file+"/"+style)
			assert.Positive(t, n)
			assert.Equal(t, strings.TrimSpace(string(in)), strings.TrimSpace(out.String()), file+"/"+style)
		}
	}
}

// The copy refuses what the decoder refuses, with the same errors, and
// holds the same limits: one huge text node is an error once it passes
// the limit, not a file of its size (issue 18, items 14 and 18).
func TestCopyRefusesAsTheDecoderDoes(t *testing.T) {
	const lsid = `c69a8e10bea9428f816cfababe9815fe`
	session := `<session lsid="` + lsid + `"><lseq>1</lseq></session>`
	for name, c := range map[string]struct {
		answer string
		check  func(t *testing.T, err error)
	}{
		"nested error": {`<session_list>` + session + `<error>Document Not Found</error></session_list>`, func(t *testing.T, err error) {
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.True(t, ae.Nested)
		}},
		"root error": {`<error code="x">Login failed</error>`, func(t *testing.T, err error) {
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.False(t, ae.Nested)
		}},
		"truncated": {`<session_list>` + session + `<session lsid="` + lsid + `"><lseq>`, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, ErrTruncated)
		}},
		"cut between sessions": {`<session_list>` + session, func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrTruncated) }},
		"huge text": {`<session_list><session lsid="` + lsid + `"><body>` + strings.Repeat("x", 1<<20) + `</body></session></session_list>`, func(t *testing.T, err error) {
			var tl *TooLargeError
			require.ErrorAs(t, err, &tl)
			assert.Equal(t, lsid, tl.ID)
		}},
		"huge text between": {`<session_list>` + strings.Repeat("x", 1<<20) + `</session_list>`, func(t *testing.T, err error) {
			var tl *TooLargeError
			require.True(t, errors.As(err, &tl), "%v", err)
		}},
		"many tags": {`<session_list><session lsid="` + lsid + `">` + strings.Repeat("<y/>", 10000) + `</session></session_list>`, func(t *testing.T, err error) {
			var tl *TooLargeError
			require.ErrorAs(t, err, &tl)
			assert.True(t, tl.Tags)
		}},
		"bad lsid": {`<session_list><session lsid="../x"/></session_list>`, func(t *testing.T, err error) {
			assert.ErrorContains(t, err, "is not 32 lower-case hexadecimal digits")
		}},
		"other root": {`<summary_list/>`, func(t *testing.T, err error) { assert.ErrorContains(t, err, "expected <session_list>") }},
	} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := Copy(&out, strings.NewReader(c.answer), AccessSession, Options{MaxElementBytes: 64 << 10})
			require.Error(t, err)
			c.check(t, err)
			assert.Less(t, out.Len(), 64<<10, "never more than the limit held or written")
			_, derr := testutil.Collect(Sessions(strings.NewReader(c.answer), Options{MaxElementBytes: 64 << 10}))
			assert.Equal(t, derr.Error(), err.Error(), "the decoder says the same")
		})
	}
}

// "No results" is written as the empty list.
func TestCopyNoResults(t *testing.T) {
	var out bytes.Buffer
	n, err := Copy(&out, strings.NewReader(`<error>No Support report information matching your chosen criteria is available.</error>`), AccessSession, Options{})
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Equal(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<session_list/>\n", out.String())
}
