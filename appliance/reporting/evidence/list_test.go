package evidence_test

import (
	"encoding/json"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliance/reporting/evidence"
)

func TestListDropsWhatNamesNoSession(t *testing.T) {
	var warned []string
	var got []string
	for r, err := range evidence.List(of(
		&reporting.Session{LSID: idA}, &reporting.Session{LSID: "../x\x1b"}, &reporting.Session{LSID: idA}, &reporting.Session{LSID: idB},
	), evidence.Options{Warn: func(s string) { warned = append(warned, s) }}) {
		require.NoError(t, err)
		got = append(got, r.LSID)
	}
	assert.Equal(t, []string{idA, idB}, got)
	assert.Equal(t, []string{
		`session "../x\x1b": not a session ID, or a second copy; dropped`,
		"session " + idA + ": not a session ID, or a second copy; dropped",
	}, warned)
}

func TestListStopsAtTheFirstError(t *testing.T) {
	broken := errors.New("the appliance went away")
	seq := func(yield func(*reporting.Session, error) bool) {
		if yield(&reporting.Session{LSID: idA}, nil) {
			yield(nil, broken)
		}
	}
	var n int
	var last error
	for _, err := range evidence.List(iter.Seq2[*reporting.Session, error](seq), evidence.Options{}) {
		n, last = n+1, err
	}
	assert.Equal(t, 2, n)
	assert.ErrorIs(t, last, broken)
}

// A row's JSON is, byte for byte, that of the map of its keys the ticket
// list printed before it was a type: sorted keys, no start or end when
// the report has none.
func TestRowJSONIsTheMapsJSON(t *testing.T) {
	at := func(t time.Time) reporting.Timestamp { return reporting.Timestamp{Unix: t.Unix(), Valid: true} }
	start := time.Date(2015, 3, 1, 8, 0, 0, 0, time.UTC)
	for _, s := range []*reporting.Session{
		{LSID: idA, StartTime: at(start), EndTime: at(start.Add(time.Hour)), RecordingDownloadURL: "x",
			PrimaryCustomer: &reporting.Party{Name: "<HOST>&"}, PrimaryRep: &reporting.Party{Name: "rep\u2028"},
			ShellRecordings: []reporting.ShellRecording{{Instance: 0}, {Instance: 1}}},
		{LSID: idB, StartTime: at(start)}, // running
		{LSID: idB},                       // no times
	} {
		m := map[string]any{"lsid": s.LSID, "host": "", "rep": "", "has_recording": s.HasRecording(), "shells": len(s.ShellRecordings)}
		if s.PrimaryCustomer != nil {
			m["host"] = s.PrimaryCustomer.Name
		}
		if s.PrimaryRep != nil {
			m["rep"] = s.PrimaryRep.Name
		}
		if s.StartTime.Valid {
			m["start"] = s.StartTime.Time().Format(time.RFC3339)
		}
		if s.EndTime.Valid {
			m["end"] = s.EndTime.Time().Format(time.RFC3339)
		}
		want, err := json.MarshalIndent([]map[string]any{m}, "", "  ")
		require.NoError(t, err)
		got, err := json.MarshalIndent([]evidence.Row{evidence.RowOf(s)}, "", "  ")
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got))
	}
}
