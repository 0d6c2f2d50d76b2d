package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ticket --json is in the style of every --json: times are RFC 3339 in
// UTC (not the report model's {time, unix, text} objects), and a running
// session has no "end".
func TestTicketJSONTimes(t *testing.T) {
	h := newHostile(t)
	h.listing = []string{lsidA, lsidB}
	running := strings.Replace(hostileSession(lsidB, 1), `<end_time timestamp="1425286800">2015-03-02T09:00:00+00:00</end_time>`, `<end_time></end_time>`, 1)
	h.sessions = []string{hostileSession(lsidA, 1), running}
	o := h.run(t, "--json", "ticket", "INC1", "--since", "2015-03-01", "--until", "2015-03-05")
	require.Equal(t, 0, o.status, o.stderr)
	var rows []map[string]any
	require.NoError(t, json.Unmarshal([]byte(o.stdout), &rows), o.stdout)
	require.Len(t, rows, 2, o.stdout)
	assert.Equal(t, "2015-03-02T08:00:00Z", rows[0]["start"])
	assert.Equal(t, "2015-03-02T09:00:00Z", rows[0]["end"])
	assert.Equal(t, "2015-03-02T08:00:00Z", rows[1]["start"])
	assert.NotContains(t, rows[1], "end", "a running session has no end")
}
