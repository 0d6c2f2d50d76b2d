package reporting

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/xmlcheck"
)

// Every value and attribute inside the items of every golden answer, in
// every namespace style, appears in the JSON export (issue 16: a <file>'s
// <filename> and <filesize>, a system information <field>'s name).
func TestExportLosesNothing(t *testing.T) {
	for file, c := range map[string]struct {
		item   string
		decode func([]byte) (any, error)
	}{
		"access_session.xml":     {"session", func(b []byte) (any, error) { return collect(Sessions(bytes.NewReader(b), Options{})) }},
		"access_session_pra.xml": {"session", func(b []byte) (any, error) { return collect(Sessions(bytes.NewReader(b), Options{})) }},
		"listing.xml":            {"session_summary", func(b []byte) (any, error) { return collect(Listing(bytes.NewReader(b), Options{})) }},
		"summary.xml":            {"summary", func(b []byte) (any, error) { return collect(Summaries(bytes.NewReader(b), Options{})) }},
		"team.xml":               {"team_activity", func(b []byte) (any, error) { return collect(Teams(bytes.NewReader(b), Options{}, nil)) }},
	} {
		for _, style := range styles() {
			answer := styled(t, file, style)
			v, err := c.decode(answer)
			require.NoError(t, err)
			js, err := json.Marshal(v)
			require.NoError(t, err)
			lost, err := xmlcheck.Lost(answer, c.item, js)
			require.NoError(t, err)
			assert.Empty(t, lost, "%s/%s", file, style)
		}
	}
}
