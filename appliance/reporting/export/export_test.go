package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

func sessions(t *testing.T) []*reporting.Session {
	b, err := os.ReadFile("../testdata/access_session.xml")
	require.NoError(t, err)
	b = bytes.Replace(b, []byte("NSDECL"), nil, 1)
	var out []*reporting.Session
	for s, err := range reporting.Sessions(bytes.NewReader(b), reporting.Options{}) {
		require.NoError(t, err)
		out = append(out, s)
	}
	return out
}

func write(t *testing.T, format string, events bool) string {
	var buf bytes.Buffer
	w, err := Sessions(&buf, format, events)
	require.NoError(t, err)
	for _, s := range sessions(t) {
		require.NoError(t, w.Write(s))
	}
	require.NoError(t, w.Close())
	return buf.String()
}

func TestNeutralize(t *testing.T) {
	for _, s := range []string{"=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"} {
		assert.Equal(t, "'"+s, Neutralize(s))
	}
	for _, s := range []string{"", "a=1", "1", " =x"} {
		assert.Equal(t, s, Neutralize(s))
	}
}

func TestCSVSessionsAndEvents(t *testing.T) {
	rows, err := csv.NewReader(strings.NewReader(write(t, "csv", false))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, SessionColumns, rows[0])
	assert.Equal(t, "c69a8e10bea9428f816cfababe9815fe", rows[1][0])
	assert.Equal(t, "INC0012345 & more", rows[1][9])
	assert.Equal(t, "2015-03-01T08:00:00Z", rows[1][2])
	assert.Equal(t, "3600", rows[1][6])
	assert.Equal(t, "ABCDEF02", rows[1][12])
	assert.Equal(t, "", rows[2][4], "no end time for a running session")

	rows, err = csv.NewReader(strings.NewReader(write(t, "csv", true))).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, EventColumns, rows[0])
	require.Len(t, rows, 11, "one row per event, header included")
	chat := rows[4]
	assert.Equal(t, "Chat Message", chat[4])
	assert.Equal(t, "'=cmd|' /C calc'!A0", chat[13], "a formula is neutralised")
	assert.Equal(t, "alice", chat[8], "the performer resolved by gsnumber")
	assert.Equal(t, "hello\x01\x02world", rows[5][13])
	assert.Contains(t, rows[3][16], "svchost.exe")
}

func TestJSON(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(write(t, "jsonl", false)), "\n")
	require.Len(t, lines, 2)
	var s reporting.Session
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &s))
	assert.Equal(t, "c69a8e10bea9428f816cfababe9815fe", s.LSID)

	var arr []map[string]any
	require.NoError(t, json.Unmarshal([]byte(write(t, "json", false)), &arr))
	assert.Len(t, arr, 2)
	require.NoError(t, json.Unmarshal([]byte(write(t, "json", true)), &arr))
	assert.Len(t, arr, 10)
	assert.Equal(t, "alice", arr[3]["performer"])

	var buf bytes.Buffer
	w, _ := Sessions(&buf, "json", false)
	require.NoError(t, w.Close())
	assert.Equal(t, "[]\n", buf.String(), "an empty export is still valid JSON")
	_, err := Sessions(&buf, "yaml", false)
	assert.Error(t, err)
}
