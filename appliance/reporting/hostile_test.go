package reporting

import (
	"strings"
	"testing"

	"github.com/brcs-toolkit/brcs/internal/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const goodLSID = "c69a8e10bea9428f816cfababe9815fe"

// A session whose lsid is not 32 lower-case hex digits is refused where
// the answer is decoded, with an error that names it cut to a readable
// length (issue 18, items 1 and 15).
func TestBadLSIDRefused(t *testing.T) {
	huge := strings.Repeat("A", 1<<20)
	for name, lsid := range map[string]string{
		"traversal": "../../escaped", "dotdot": "..", "absolute": "/abs/olute", "upper": strings.ToUpper(goodLSID),
		"empty": "", "control": "c69a8e10bea9428f816cfababe9815f\n", "huge": huge,
	} {
		t.Run(name, func(t *testing.T) {
			answer := `<session_list><session lsid="` + goodLSID + `"/><session lsid="` + lsid + `"><lseq>1</lseq></session></session_list>`
			ss, err := testutil.Collect(Sessions(strings.NewReader(answer), Options{}))
			require.Error(t, err)
			assert.Len(t, ss, 1, "the good session before it is yielded")
			assert.ErrorContains(t, err, "is not 32 lower-case hexadecimal digits")
			assert.Less(t, len(err.Error()), 200, "the error is readable")
			assert.NotContains(t, err.Error(), "\n")
			if name == "huge" {
				assert.Contains(t, err.Error(), "(1048576 bytes)")
			}
			_, err = testutil.Collect(Listing(strings.NewReader(`<session_summary_list><session_summary lsid="`+lsid+`"/></session_summary_list>`), Options{}))
			assert.ErrorContains(t, err, "is not 32 lower-case hexadecimal digits")
		})
	}
}

// Every value quoted in an error is cut to a readable length, with its
// size said: an element name, an lsid in a too-large error, a message.
func TestErrorsQuoteReadably(t *testing.T) {
	huge := strings.Repeat("x", 64<<10)
	for name, answer := range map[string]string{
		"root name":      `<` + huge + `/>`,
		"error message":  `<error>` + huge + `</error>`,
		"nested error":   `<session_list><error code="` + huge + `">` + huge + `</error></session_list>`,
		"unknown broken": `<session_list><` + huge + `>`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := testutil.Collect(Sessions(strings.NewReader(answer), Options{MaxElementBytes: 8 << 20}))
			require.Error(t, err)
			assert.Less(t, len(err.Error()), 700, "the error is readable")
			assert.Contains(t, err.Error(), "bytes)")
		})
	}
}

// The same session twice in one answer is yielded once, and counted.
func TestDuplicateInOneAnswerYieldedOnce(t *testing.T) {
	two := `<session lsid="` + goodLSID + `"><lseq>1</lseq></session>`
	other := `<session lsid="a5eeaa58591047b88556f944804227b0"><lseq>2</lseq></session>`
	var dropped Dropped
	ss, err := testutil.Collect(Sessions(strings.NewReader(`<session_list>`+two+other+two+two+`</session_list>`), Options{Dropped: &dropped}))
	require.NoError(t, err)
	require.Len(t, ss, 2)
	assert.Equal(t, goodLSID, ss[0].LSID)
	assert.Equal(t, 2, dropped.Duplicates)
	rows, err := testutil.Collect(Listing(strings.NewReader(`<session_summary_list><session_summary lsid="`+goodLSID+`"/><session_summary lsid="`+goodLSID+`"/></session_summary_list>`), Options{}))
	require.NoError(t, err)
	assert.Len(t, rows, 1)
}
