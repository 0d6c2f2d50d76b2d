package appliance_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

// marchRange is the stand-in's fixture month.
var marchRange = reporting.Range{From: time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2015, 4, 1, 0, 0, 0, 0, time.UTC)}

// exportTo runs x into a buffer, counting the record ends it is told of.
func exportTo(t *testing.T, c *appliance.Client, x appliance.Export) (string, int, error) {
	t.Helper()
	var out strings.Builder
	ends := 0
	x.EndRecord = func() error { ends++; return nil }
	n, err := c.Export(context.Background(), &out, x)
	if err == nil && x.Format != "xml" {
		assert.Equal(t, n, ends, "a record end after each item")
	}
	return out.String(), n, err
}

func csvRows(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	require.NoError(t, err)
	return rows
}

func TestExportEachReport(t *testing.T) {
	_, c := standIn(t, "test", "test", appliance.Options{})

	// AccessSession over the range, with adaptive windows that report.
	var progress []reporting.Progress
	x := appliance.Export{Report: reporting.AccessSession, Range: marchRange, Window: 24 * time.Hour, Format: "csv",
		Progress: func(p reporting.Progress) { progress = append(progress, p) }}
	assert.True(t, x.Adaptive())
	out, n, err := exportTo(t, c, x)
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	rows := csvRows(t, out)
	require.Len(t, rows, 5, "the header and the four sessions")
	assert.Equal(t, appliancetest.LSID1, rows[1][0])
	require.NotEmpty(t, progress)
	assert.Equal(t, 1.0, progress[len(progress)-1].Covered)
	assert.Less(t, len(progress), 31, "the windows widen over a quiet month")

	// One row per event.
	x.Events = true
	out, n, err = exportTo(t, c, x)
	require.NoError(t, err)
	assert.Greater(t, len(csvRows(t, out)), n+1, "more events than sessions")

	// AccessSessionListing, ended sessions, filtered on the external key.
	key := "INC0012345"
	out, n, err = exportTo(t, c, appliance.Export{Report: reporting.AccessSessionListing, Range: reporting.Range{From: marchRange.From, To: marchRange.To, Ended: true},
		Window: 24 * time.Hour, Format: "json", ExternalKey: &key})
	require.NoError(t, err)
	var listed []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &listed))
	assert.Equal(t, 2, n)
	require.Len(t, listed, 2)
	for _, l := range listed {
		assert.Equal(t, key, l["external_key"])
	}
	_, all, err := exportTo(t, c, appliance.Export{Report: reporting.AccessSessionListing, Range: reporting.Range{From: marchRange.From, To: marchRange.To, Ended: true}})
	require.NoError(t, err)
	assert.Equal(t, 3, all, "without the filter, every closed session")

	// AccessSessionSummary over one window.
	out, n, err = exportTo(t, c, appliance.Export{Report: reporting.AccessSessionSummary, Range: marchRange, Format: "csv"})
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	rows = csvRows(t, out)
	assert.Equal(t, []string{"id", "type", "display_name", "total_sessions", "avg_sessions_per_weekday", "avg_duration"}, rows[0])
	assert.Len(t, rows, 4)

	// Team over daily windows, one team.
	two := 2
	team := appliance.Export{Report: reporting.Team, Range: reporting.Range{From: marchRange.From, To: marchRange.From.Add(48 * time.Hour)}, Window: 24 * time.Hour}
	out, n, err = exportTo(t, c, team)
	require.NoError(t, err)
	assert.Contains(t, out, `"name":"support"`)
	team.TeamID = &two
	out, n, err = exportTo(t, c, team)
	require.NoError(t, err)
	assert.Positive(t, n)
	assert.Equal(t, n, strings.Count(out, "\n"), "JSON Lines: a line per activity")
	assert.Contains(t, out, `"name":"remote_access"`)
	assert.NotContains(t, out, `"name":"support"`)
}

func TestExportByLSID(t *testing.T) {
	_, c := standIn(t, "test", "test", appliance.Options{})
	out, n, err := exportTo(t, c, appliance.Export{Report: reporting.AccessSession, LSIDs: []string{appliancetest.LSID1, appliancetest.LSID3, appliancetest.LSID1}})
	require.NoError(t, err)
	assert.Equal(t, 2, n, "each session once")
	assert.Equal(t, 2, strings.Count(out, "\n"))
	assert.Contains(t, out, appliancetest.LSID3)

	// What the appliance sends beside the question is dropped and told.
	h := &hostileReports{answer: []string{idA, idC, idA, idB}}
	var notAsked []string
	var dropped reporting.Dropped
	_, n, err = exportTo(t, h.client(t), appliance.Export{Report: reporting.AccessSession, LSIDs: []string{idA, idB},
		NotAsked: func(lsid, why string) { notAsked = append(notAsked, lsid) }, Options: reporting.Options{Dropped: &dropped}})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, []string{idC, idA}, notAsked)
	assert.Equal(t, 1, dropped.Duplicates, "the copy within the answer is counted")
}

func TestExportXMLIsTheAnswerAsSent(t *testing.T) {
	_, c := standIn(t, "test", "test", appliance.Options{})
	var out strings.Builder
	var ends []string // the copy's last bytes at each record end
	x := appliance.Export{Report: reporting.AccessSession, Range: marchRange, Window: time.Hour, Format: "xml", Events: true,
		EndRecord: func() error {
			s := strings.TrimSpace(out.String())
			ends = append(ends, s[max(0, len(s)-16):])
			return nil
		}}
	assert.False(t, x.Adaptive(), "one request")
	n, err := c.Export(context.Background(), &out, x)
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	assert.Equal(t, 4, strings.Count(out.String(), "<session lsid="))
	assert.True(t, strings.HasSuffix(strings.TrimSpace(out.String()), "</session_list>"))
	require.NotEmpty(t, ends)
	for _, end := range ends {
		assert.Regexp(t, `</session>$|</session_list>$`, end, "each write of the copy ends on an element's end")
	}

	// By lsid, in one request; the listing unfiltered; a team's window.
	got, n, err := exportTo(t, c, appliance.Export{Report: reporting.AccessSession, LSIDs: []string{appliancetest.LSID2}, Format: "xml"})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Contains(t, got, `lsid="`+appliancetest.LSID2+`"`)
	key := "no such ticket"
	_, n, err = exportTo(t, c, appliance.Export{Report: reporting.AccessSessionListing, Range: marchRange, Format: "xml", ExternalKey: &key})
	require.NoError(t, err)
	assert.Equal(t, 4, n, "xml is copied unfiltered")
	two := 2
	got, _, err = exportTo(t, c, appliance.Export{Report: reporting.Team, Range: marchRange, Window: 24 * time.Hour, Format: "xml", TeamID: &two})
	require.NoError(t, err)
	assert.Contains(t, got, "remote_access")
	assert.NotContains(t, got, ">support<")
}

// A bad request is an *ExportError naming the field, sent nowhere and
// writing nothing; Check says the same.
func TestExportRefusesABadRequest(t *testing.T) {
	s, c := standIn(t, "test", "test", appliance.Options{})
	key, one := "INC0012345", 1
	for _, tc := range []struct {
		name, field, msg string
		x                appliance.Export
	}{
		{"format", "Format", `format "yaml" is not one of jsonl, json, csv`, appliance.Export{Report: reporting.AccessSession, Range: marchRange, Format: "yaml"}},
		{"format of a team", "Format", "not one of", appliance.Export{Report: reporting.Team, Range: marchRange, Format: "xlsx"}},
		{"lsid", "LSIDs", `session ID "nope"`, appliance.Export{Report: reporting.AccessSession, LSIDs: []string{appliancetest.LSID1, "nope"}}},
		{"lsid in xml", "LSIDs", `lsid "nope"`, appliance.Export{Report: reporting.AccessSession, LSIDs: []string{"nope"}, Format: "xml"}},
		{"window", "Window", "window 500ms is shorter than a second", appliance.Export{Report: reporting.AccessSession, Range: marchRange, Window: 500 * time.Millisecond}},
		{"team window", "Window", "shorter than a second", appliance.Export{Report: reporting.Team, Range: marchRange, Window: time.Millisecond}},
		{"empty range", "Range", "does not end after it starts", appliance.Export{Report: reporting.AccessSession}},
		{"range under a second", "Range", "does not end after it starts", appliance.Export{Report: reporting.AccessSessionSummary,
			Range: reporting.Range{From: marchRange.From.Add(200 * time.Millisecond), To: marchRange.From.Add(800 * time.Millisecond)}}},
		{"too many team windows", "Window", "give a longer window", appliance.Export{Report: reporting.Team, Range: marchRange, Window: time.Second}},
		{"report", "Report", `"AccessSessionRecording" is not one of`, appliance.Export{Report: reporting.AccessSessionRecording, Range: marchRange}},
		{"lsids of a listing", "LSIDs", "AccessSession takes it", appliance.Export{Report: reporting.AccessSessionListing, LSIDs: []string{appliancetest.LSID1}, Range: marchRange}},
		{"events of a team", "Events", "AccessSession takes it", appliance.Export{Report: reporting.Team, Events: true, Range: marchRange}},
		{"external key of sessions", "ExternalKey", "AccessSessionListing takes it", appliance.Export{Report: reporting.AccessSession, ExternalKey: &key, Range: marchRange}},
		{"team id of a summary", "TeamID", "Team takes it", appliance.Export{Report: reporting.AccessSessionSummary, TeamID: &one, Range: marchRange}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(s.Requests())
			var out strings.Builder
			n, err := c.Export(context.Background(), &out, tc.x)
			var xe *appliance.ExportError
			require.ErrorAs(t, err, &xe)
			assert.Equal(t, tc.field, xe.Field)
			assert.ErrorContains(t, xe.Err, tc.msg)
			assert.Equal(t, "export: "+tc.field+": "+xe.Err.Error(), err.Error())
			assert.Zero(t, n)
			assert.Empty(t, out.String())
			assert.Len(t, s.Requests(), before, "nothing sent")
			assert.Equal(t, err, tc.x.Check())
		})
	}
	// A request that is fine is fine to Check.
	assert.NoError(t, appliance.Export{Report: reporting.AccessSession, Range: marchRange}.Check())
}

// A cancelled context fails the export without a record; the failure is
// not a bad request.
func TestExportCancelled(t *testing.T) {
	_, c := standIn(t, "test", "test", appliance.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, x := range []appliance.Export{
		{Report: reporting.AccessSession, Range: marchRange},
		{Report: reporting.AccessSession, LSIDs: []string{appliancetest.LSID1}},
		{Report: reporting.AccessSessionSummary, Range: marchRange, Format: "csv"},
		{Report: reporting.Team, Range: marchRange, Format: "xml"},
	} {
		var out strings.Builder
		n, err := c.Export(ctx, &out, x)
		require.ErrorIs(t, err, context.Canceled, "%+v", x)
		var xe *appliance.ExportError
		assert.False(t, errors.As(err, &xe))
		assert.Zero(t, n)
	}
}

// The destination's error at a record's end stops the export there.
func TestExportStopsAtTheRecordEndsError(t *testing.T) {
	_, c := standIn(t, "test", "test", appliance.Options{})
	full := errors.New("disk full")
	for _, format := range []string{"jsonl", "xml"} {
		var out strings.Builder
		n, err := c.Export(context.Background(), &out, appliance.Export{Report: reporting.AccessSession, Range: marchRange, Format: format,
			EndRecord: func() error { return full }})
		require.ErrorIs(t, err, full, format)
		assert.LessOrEqual(t, n, 1, format)
	}
}

// Only a range of sessions or listing rows, in a format decoded, walks
// with adaptive windows.
func TestExportAdaptive(t *testing.T) {
	for _, tc := range []struct {
		x    appliance.Export
		want bool
	}{
		{appliance.Export{Report: reporting.AccessSession}, true},
		{appliance.Export{Report: reporting.AccessSessionListing, Format: "csv"}, true},
		{appliance.Export{Report: reporting.AccessSession, LSIDs: []string{appliancetest.LSID1}}, false},
		{appliance.Export{Report: reporting.AccessSessionListing, Format: "xml"}, false},
		{appliance.Export{Report: reporting.AccessSessionSummary}, false},
		{appliance.Export{Report: reporting.Team}, false},
	} {
		assert.Equal(t, tc.want, tc.x.Adaptive(), "%+v", tc.x)
	}
}
