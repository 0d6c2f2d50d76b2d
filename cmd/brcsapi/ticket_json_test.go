package main

import (
	"encoding/json"
	"os"
	"path/filepath"
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

// ticket -o FILE is the usage error that recording and backup make of a
// file given as the folder (exit 2, "not a folder"), before the appliance
// is asked anything; it was exit 1.
func TestTicketOutputIsAFile(t *testing.T) {
	h := newHostile(t)
	h.listing = []string{lsidA}
	h.sessions = []string{hostileSession(lsidA, 1)}
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, []byte("mine"), 0o600))
	o := h.run(t, "ticket", "INC1", "--since", "2015-03-01", "--until", "2015-03-05", "-o", file)
	assert.Equal(t, 2, o.status, o.stderr)
	assert.Contains(t, o.stderr, "-o "+file+" is not a folder")
	assert.Equal(t, 0, h.requests, "nothing asked")
	b, _ := os.ReadFile(file)
	assert.Equal(t, "mine", string(b))
}
