package reporting

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/testutil"
	"github.com/brcs-toolkit/brcs/internal/xmlcheck"
)

// assertNothingLost fails unless every value and attribute inside the
// item elements of answer appears in the JSON export of v, which was
// decoded from answer.
func assertNothingLost(t *testing.T, answer []byte, item string, v any, msgAndArgs ...any) {
	t.Helper()
	js, err := json.Marshal(v)
	require.NoError(t, err)
	lost, err := xmlcheck.Lost(answer, item, js)
	require.NoError(t, err)
	assert.Empty(t, lost, msgAndArgs...)
}

// Every value and attribute inside the items of every golden answer, in
// every namespace style, appears in the JSON export (issue 16: a <file>'s
// <filename> and <filesize>, a system information <field>'s name).
func TestExportLosesNothing(t *testing.T) {
	for file, c := range map[string]struct {
		item   string
		decode func([]byte) (any, error)
	}{
		"access_session.xml":     {"session", func(b []byte) (any, error) { return testutil.Collect(Sessions(bytes.NewReader(b), Options{})) }},
		"access_session_pra.xml": {"session", func(b []byte) (any, error) { return testutil.Collect(Sessions(bytes.NewReader(b), Options{})) }},
		"listing.xml":            {"session_summary", func(b []byte) (any, error) { return testutil.Collect(Listing(bytes.NewReader(b), Options{})) }},
		"summary.xml":            {"summary", func(b []byte) (any, error) { return testutil.Collect(Summaries(bytes.NewReader(b), Options{})) }},
		"team.xml":               {"team_activity", func(b []byte) (any, error) { return testutil.Collect(Teams(bytes.NewReader(b), Options{}, nil)) }},
	} {
		for _, style := range styles() {
			answer := styled(t, file, style)
			v, err := c.decode(answer)
			require.NoError(t, err)
			assertNothingLost(t, answer, c.item, v, "%s/%s", file, style)
		}
	}
}

// Shapes a fuzzer finds first: what a list element (<data>, <rep_list>,
// <session_details>...) or a time holds besides its items, and an
// unknown element's children, are kept too; an attribute given twice,
// which XML forbids and which would keep one value only, is refused.
func TestExportLosesNothingOfOddShapes(t *testing.T) {
	const open = `<session_list><session lsid="c69a8e10bea9428f816cfababe9815fe">`
	const end = `</session></session_list>`
	for name, body := range map[string]string{
		"unknown in data":       `<session_details><event timestamp="1"><data><value name="a" value="b"/><vaXlue name="c" value="d"/></data></event></session_details>`,
		"attribute on a list":   `<rep_list scope="all"><representative gsnumber="1"><username>u</username></representative></rep_list>`,
		"text in a list":        `<customer_list>stray</customer_list>`,
		"unknown in files":      `<session_details><event timestamp="1"><files><file name="f"/><folder>dir</folder></files></event></session_details>`,
		"attribute on a time":   `<start_time timestamp="1425196800" id="5" ts="7">2015-03-01T08:00:00+00:00</start_time>`,
		"child of a time":       `<end_time timestamp="1425196800">x<tz>UTC</tz></end_time>`,
		"unknown with children": `<future a="1"><b c="2">three &amp; <d>four</d></b><!-- c --></future>`,
		"rows":                  `<session_details><event timestamp="1"><system_information><category name="c"><data><row><field>f</field></row><total>9</total></data></category></system_information></event></session_details>`,
		"team lists":            ``,
	} {
		t.Run(name, func(t *testing.T) {
			answer := []byte(open + body + end)
			ss, err := testutil.Collect(Sessions(bytes.NewReader(answer), Options{}))
			require.NoError(t, err)
			assertNothingLost(t, answer, "session", ss)
		})
	}
	team := []byte(`<team_activity_list><team_activity id="1" name="t"><events note="n"><event timestamp="1" event_type="x"><destinations><destination gsnumber="2">d</destination><other>o</other></destinations></event></events></team_activity></team_activity_list>`)
	as, err := testutil.Collect(Teams(bytes.NewReader(team), Options{}, nil))
	require.NoError(t, err)
	assertNothingLost(t, team, "team_activity", as)

	_, err = testutil.Collect(Sessions(bytes.NewReader([]byte(open+`<session_details><event timestamp="1" event_type="a" event_type="b"/></session_details>`+end)), Options{}))
	assert.ErrorContains(t, err, "has the attribute event_type twice")
}
