package appliance_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

var march = reporting.StartedOnDays(reporting.AccessSession, "2015-03-01", 31)

func TestReportsEveryNamespaceAndEmptyStyle(t *testing.T) {
	ctx := context.Background()
	s, c := standIn(t, "test", "test", appliance.Options{})
	for _, ns := range appliancetest.NamespaceStyles {
		s.Update(func(d *appliancetest.Data) { d.Namespace = ns })
		ss, err := testutil.Collect(c.Sessions(ctx, march, reporting.Options{}))
		require.NoError(t, err, "namespace %d", ns)
		require.Len(t, ss, 4)
		assert.Equal(t, appliancetest.LSID1, ss[0].LSID)
		assert.Len(t, ss[0].Events, 31, "every event type")
		assert.Len(t, ss[0].ShellRecordings, 2)
		assert.Equal(t, "hello\x01\x02world", ss[0].Events[28].Body)
		assert.False(t, ss[2].EndTime.Valid, "a session still running")

		ls, err := testutil.Collect(c.Listing(ctx, reporting.EndedOnDays("", "2015-03-01", 31), reporting.Options{}))
		require.NoError(t, err)
		assert.Len(t, ls, 3, "closed sessions only")
		assert.True(t, ls[0].HasRecording)
		assert.Equal(t, "INC0012345", ls[0].ExternalKey)

		sum, err := testutil.Collect(c.Summary(ctx, reporting.StartedOnDays("", "2015-03-01", 31), reporting.Options{}))
		require.NoError(t, err)
		require.Len(t, sum, 3)
		assert.Equal(t, int64(2), sum[0].TotalSessions)

		var w reporting.TeamWindow
		one := 1
		q := reporting.StartedOnDays("", "2015-03-01", 31)
		q.TeamID = &one
		teams, err := testutil.Collect(c.Team(ctx, q, reporting.Options{}, &w))
		require.NoError(t, err)
		require.Len(t, teams, 1)
		assert.Equal(t, "support", teams[0].Name)
		assert.Equal(t, int64(1425168000), w.Start.Unix)
	}
	for _, es := range []appliancetest.EmptyStyle{appliancetest.EmptyList, appliancetest.RootErrorEnglish, appliancetest.RootErrorFrench} {
		s.Update(func(d *appliancetest.Data) { d.Reports.Empty = es })
		ss, err := testutil.Collect(c.Sessions(ctx, reporting.StartedOnDays("", "2016-01-01", 1), reporting.Options{}))
		require.NoError(t, err, "empty style %d", es)
		assert.Empty(t, ss)
	}
}

func TestReportPermissions(t *testing.T) {
	ctx := context.Background()
	_, c := standIn(t, appliancetest.NoPermUser, "nobody-pw", appliance.Options{})
	_, err := testutil.Collect(c.Sessions(ctx, march, reporting.Options{}))
	assert.True(t, appliance.IsPermission(err), "%v", err)

	_, c = standIn(t, appliancetest.ReportUser, "reporter-pw", appliance.Options{})
	ss, err := testutil.Collect(c.Sessions(ctx, march, reporting.Options{}))
	require.NoError(t, err)
	assert.Len(t, ss, 3, "team_sessions: not the other team's session")
	_, err = c.Recording(ctx, reporting.ByLSID(reporting.AccessSessionRecording, appliancetest.LSID1), nil)
	assert.True(t, appliance.IsPermission(err), "recordings need their own permission: %v", err)

	_, c = standIn(t, "test", "wrong", appliance.Options{})
	_, err = testutil.Collect(c.Sessions(ctx, march, reporting.Options{}))
	assert.True(t, appliance.IsAuth(err), "%v", err)
}

func TestReportRefusedBeforeSending(t *testing.T) {
	s, c := standIn(t, "test", "test", appliance.Options{})
	_, err := testutil.Collect(c.Sessions(context.Background(), reporting.Query{LSID: "x", LSIDs: []string{"y"}}, reporting.Options{}))
	require.Error(t, err)
	assert.Empty(t, s.Requests())
}

func TestReportMisbehaviours(t *testing.T) {
	t.Parallel() // waits the stand-in's 1 s Retry-After
	ctx := context.Background()
	s, c := standIn(t, "test", "test", appliance.Options{})
	// Cut inside the first <session>.
	s.SetStallAfter(3000)
	s.Misbehave(appliancetest.Truncated, 1)
	ss, err := testutil.Collect(c.Sessions(ctx, march, reporting.Options{}))
	require.Error(t, err)
	assert.Empty(t, ss)
	assert.True(t, errors.Is(err, reporting.ErrTruncated) || appliance.IsTransport(err), "%v", err)

	for _, b := range []appliancetest.Behavior{appliancetest.TooManyRequests, appliancetest.ServerError, appliancetest.Unavailable} {
		s.Misbehave(b, 1)
		ss, err := testutil.Collect(c.Sessions(ctx, march, reporting.Options{}))
		require.NoError(t, err, "retried after behaviour %d", b)
		assert.Len(t, ss, 4)
	}
	// No password in any URL: POST by default.
	assert.False(t, s.PasswordInAnyURL())
}

func TestReportStall(t *testing.T) {
	t.Parallel() // waits for its idle timeout
	s, c := standIn(t, "test", "test", appliance.Options{IdleTimeout: 200e6, Attempts: 1})
	s.SetStallAfter(3000)
	s.Misbehave(appliancetest.Stall, 1)
	_, err := testutil.Collect(c.Sessions(context.Background(), march, reporting.Options{}))
	require.Error(t, err)
}

func TestGeneratedSessions(t *testing.T) {
	s, c := standIn(t, "test", "test", appliance.Options{})
	s.Update(func(d *appliancetest.Data) {
		d.Reports.Generated = &appliancetest.Generated{N: 500, Start: mustTime("2015-03-01T00:00:00Z"), Step: 60e9}
	})
	n := 0
	for v, err := range c.Sessions(context.Background(), march, reporting.Options{}) {
		require.NoError(t, err)
		require.Len(t, v.LSID, 32)
		n++
	}
	assert.Equal(t, 500, n)
}

func TestSaveRecording(t *testing.T) {
	ctx := context.Background()
	s, c := standIn(t, "test", "test", appliance.Options{})
	dir := t.TempDir()
	path, d, err := c.SaveRecording(ctx, reporting.ByLSID(reporting.AccessSessionRecording, appliancetest.LSID1), dir)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "session_recording_"+appliancetest.LSID1+".bin"), path)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	assert.Equal(t, hex.EncodeToString(sum[:]), d.SHA256)
	assert.Equal(t, int64(64<<10), d.Size)

	// Expired: its own error, and no file at all.
	_, _, err = c.SaveRecording(ctx, reporting.ByLSID(reporting.AccessSessionRecording, appliancetest.LSID2), dir)
	assert.True(t, appliance.IsExpired(err), "%v", err)

	// A folder that does not exist yet is created; none for an expired one.
	nested := filepath.Join(t.TempDir(), "evidence", "inc1")
	_, _, err = c.SaveRecording(ctx, reporting.ByLSID(reporting.AccessSessionRecording, appliancetest.LSID2), nested)
	assert.True(t, appliance.IsExpired(err), "%v", err)
	assert.NoDirExists(t, filepath.Dir(nested))
	path, _, err = c.SaveRecording(ctx, reporting.ByLSID(reporting.AccessSessionRecording, appliancetest.LSID1), nested)
	require.NoError(t, err)
	assert.FileExists(t, path)
	assert.Equal(t, nested, filepath.Dir(path))

	// A hostile name falls back to <lsid>-session.
	s.Update(func(d *appliancetest.Data) {
		d.Reports.RecordingDisposition = `attachment; filename="../../etc/passwd"`
	})
	path, _, err = c.SaveRecording(ctx, reporting.ByLSID(reporting.AccessSessionRecording, appliancetest.LSID1), dir)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, appliancetest.LSID1+"-session.bin"), path)

	// Shell recordings, and their text form.
	path, _, err = c.SaveRecording(ctx, reporting.ShellRecordingOf(appliancetest.LSID1, 1, true), dir)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, appliancetest.LSID1+"-shell-1.txt"), path)
	txt, _ := os.ReadFile(path)
	assert.Contains(t, string(txt), "$ whoami")

	// A cut download leaves nothing, not even the .part.
	s.Update(func(d *appliancetest.Data) { d.Reports.RecordingDisposition = "" })
	s.SetStallAfter(10000)
	s.Misbehave(appliancetest.Truncated, 0)
	_, _, err = c.SaveRecording(ctx, reporting.ByLSID(reporting.AccessSessionRecording, appliancetest.LSID1), dir)
	s.Misbehave(appliancetest.Normal, 0)
	require.Error(t, err)
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"session_recording_" + appliancetest.LSID1 + ".bin", appliancetest.LSID1 + "-session.bin", appliancetest.LSID1 + "-shell-1.txt"}, names)
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Every report example URL of the guide is what the client sends (the POST
// form, decoded, compared with the guide's query without the credentials).
func TestReportGuideRequestsSent(t *testing.T) {
	s, c := standIn(t, "test", "test", appliance.Options{})
	at := mustTime("2015-03-01T08:00:00Z")
	ten := at.Add(36000 * time.Second)
	one := 1
	var qs []reporting.Query
	for _, r := range []reporting.Report{reporting.AccessSession, reporting.AccessSessionListing, reporting.AccessSessionSummary, reporting.Team} {
		set := []reporting.Query{reporting.StartedOnDays(r, "2015-03-01", 0), reporting.StartedOnDays(r, "2015-03-01", 31),
			reporting.StartedSince(r, at), reporting.StartedBetween(r, at, ten), reporting.EndedOnDays(r, "2015-03-01", 0),
			reporting.EndedOnDays(r, "2015-03-01", 31), reporting.EndedSince(r, at), reporting.EndedBetween(r, at, ten)}
		switch r {
		case reporting.AccessSession: // the guide has no "ended ... to present" example here
			set = append(set[:6], set[7], reporting.ByLSID(r, appliancetest.LSID1),
				reporting.ByLSIDs(appliancetest.LSID1, appliancetest.LSID2, appliancetest.LSID3))
		case reporting.Team:
			a, b := reporting.StartedOnDays(r, "2015-03-01", 0), reporting.EndedOnDays(r, "2015-03-01", 0)
			a.TeamID, b.TeamID = &one, &one
			set = append(set, a, b)
		}
		qs = append(qs, set...)
	}
	qs = append(qs, reporting.ByLSID(reporting.AccessSessionRecording, appliancetest.LSID1),
		reporting.ShellRecordingOf(appliancetest.LSID1, 0, false), reporting.ShellRecordingOf(appliancetest.LSID1, 2, false))
	for _, q := range qs {
		resp, err := c.OpenReport(context.Background(), q)
		require.NoError(t, err)
		resp.Close()
	}
	var sent []string
	for _, r := range s.Requests() {
		assert.Equal(t, "POST", r.Method)
		f := r.Form
		f.Del("username")
		f.Del("password")
		sent = append(sent, f.Encode())
	}
	b, err := os.ReadFile("reporting/testdata/guide-requests.txt")
	require.NoError(t, err)
	var want []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		v, err := url.ParseQuery(line)
		require.NoError(t, err)
		want = append(want, v.Encode())
	}
	assert.ElementsMatch(t, want, sent)
	assert.Len(t, sent, 38)
}

// The .ns alias and GET both reach the report.
func TestReportNSAndGet(t *testing.T) {
	s, c := standIn(t, "test", "test", appliance.Options{Suffix: ".ns", Method: "GET"})
	ss, err := testutil.Collect(c.Sessions(context.Background(), march, reporting.Options{}))
	require.NoError(t, err)
	assert.Len(t, ss, 4)
	reqs := s.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "/api/reporting.ns", reqs[0].Path)
	assert.Equal(t, "GET", reqs[0].Method)
	assert.Contains(t, reqs[0].RawQuery, "generate_report=AccessSession&start_date=2015-03-01&duration=31")
}
