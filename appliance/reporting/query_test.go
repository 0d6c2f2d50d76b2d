package reporting

import (
	"errors"
	"fmt"
	"iter"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func encode(t *testing.T, q Query) string {
	t.Helper()
	p, err := q.Params()
	require.NoError(t, err)
	var parts []string
	for _, kv := range p {
		parts = append(parts, kv.Key+"="+kv.Value)
	}
	return strings.Join(parts, "&")
}

// Every report example URL of the guide (testdata/guide-requests.txt, with
// its Isid read as lsid) is what these queries send, and nothing else.
func TestGuideRequests(t *testing.T) {
	at := time.Unix(1425196800, 0)
	tenHours := at.Add(36000 * time.Second)
	one := 1
	var got []string
	for _, r := range []Report{AccessSession, AccessSessionListing, AccessSessionSummary, Team} {
		qs := []Query{
			StartedOnDays(r, "2015-03-01", 0), StartedOnDays(r, "2015-03-01", 31),
			StartedSince(r, at), StartedBetween(r, at, tenHours),
			EndedOnDays(r, "2015-03-01", 0), EndedOnDays(r, "2015-03-01", 31),
			EndedSince(r, at), EndedBetween(r, at, tenHours),
		}
		if r == AccessSession {
			// The guide has no "ended ... to present" AccessSession example.
			qs = append(qs[:6], qs[7], ByLSID(r, "c69a8e10bea9428f816cfababe9815fe"),
				ByLSIDs("c69a8e10bea9428f816cfababe9815fe", "a5eeaa58591047b88556f944804227b0", "5bf07601298b495b87310da9ce571e22"))
		}
		if r == Team {
			a, b := StartedOnDays(r, "2015-03-01", 0), EndedOnDays(r, "2015-03-01", 0)
			a.TeamID, b.TeamID = &one, &one
			qs = append(qs, a, b)
		}
		for _, q := range qs {
			got = append(got, encode(t, q))
		}
	}
	got = append(got, encode(t, ByLSID(AccessSessionRecording, "c69a8e10bea9428f816cfababe9815fe")),
		encode(t, ShellRecordingOf("c69a8e10bea9428f816cfababe9815fe", 0, false)),
		encode(t, ShellRecordingOf("c69a8e10bea9428f816cfababe9815fe", 2, false)))
	sort.Strings(got)
	b, err := os.ReadFile("testdata/guide-requests.txt")
	require.NoError(t, err)
	want := strings.Split(strings.TrimSpace(string(b)), "\n")
	assert.Equal(t, want, got)
	assert.Len(t, got, 38)
}

func TestShellTxt(t *testing.T) {
	assert.Equal(t, "generate_report=CommandShellRecording&lsid=c69a8e10bea9428f816cfababe9815fe&instance=1&format=txt",
		encode(t, ShellRecordingOf("c69a8e10bea9428f816cfababe9815fe", 1, true)))
}

// Anything but exactly one of the guide's parameter sets is refused before
// sending, with a message that says what to write.
func TestQueryRefused(t *testing.T) {
	lsid := "c69a8e10bea9428f816cfababe9815fe"
	zero, neg := int64(0), int64(-1)
	at := int64(1425196800)
	two, minus := 2, -1
	cases := map[string]struct {
		q    Query
		want string
	}{
		"no set":                 {Query{Report: AccessSession}, "exactly one of"},
		"two sets":               {Query{Report: AccessSession, StartDate: "2015-03-01", StartTime: &at, Duration: &zero}, "gives 2"},
		"lsid and lsids":         {Query{Report: AccessSession, LSID: lsid, LSIDs: []string{lsid}}, "gives 2"},
		"listing by lsid":        {ByLSID(AccessSessionListing, lsid), "does not take lsid"},
		"team by lsids":          {Query{Report: Team, LSIDs: []string{lsid}}, "does not take lsids"},
		"missing duration":       {Query{Report: Team, StartTime: &at}, "needs duration"},
		"negative duration":      {Query{Report: Team, StartTime: &at, Duration: &neg}, "negative"},
		"duration with lsid":     {Query{Report: AccessSession, LSID: lsid, Duration: &zero}, "goes with a time window"},
		"bad date":               {StartedOnDays(Team, "01/03/2015", 1), "YYYY-MM-DD"},
		"bad lsid":               {ByLSID(AccessSession, "Isid"), "32 lower-case"},
		"empty lsids":            {Query{Report: AccessSession, LSIDs: []string{}}, "at least one"},
		"summary report_type":    {Query{Report: AccessSessionSummary, StartTime: &at, Duration: &zero, ReportType: "team"}, "user is the only value"},
		"report_type elsewhere":  {Query{Report: Team, StartTime: &at, Duration: &zero, ReportType: "user"}, "AccessSessionSummary only"},
		"team_id elsewhere":      {Query{Report: AccessSession, StartTime: &at, Duration: &zero, TeamID: &two}, "Team only"},
		"shell without instance": {ByLSID(CommandShellRecording, lsid), "needs instance"},
		"negative instance":      {Query{Report: CommandShellRecording, LSID: lsid, Instance: &minus}, "negative"},
		"bad format":             {Query{Report: CommandShellRecording, LSID: lsid, Instance: &two, Format: "pdf"}, "txt is the only"},
		"instance elsewhere":     {Query{Report: AccessSessionRecording, LSID: lsid, Instance: &two}, "CommandShellRecording only"},
		"unknown report":         {Query{Report: "Syslog", StartTime: &at, Duration: &zero}, "not a report type"},
		"recording by time":      {StartedSince(AccessSessionRecording, time.Unix(at, 0)), "does not take start_time"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.q.Params()
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	// The summary gets report_type=user without being asked.
	assert.Equal(t, "generate_report=AccessSessionSummary&start_time=1425196800&duration=0&report_type=user",
		encode(t, StartedSince(AccessSessionSummary, time.Unix(at, 0))))
	// The escape hatch for odd lsids.
	q := ByLSID(AccessSession, "ABC")
	q.AnyLSID = true
	assert.Equal(t, "generate_report=AccessSession&lsid=ABC", encode(t, q))
}

func TestWindows(t *testing.T) {
	from := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	ws, err := Windows(AccessSession, true, from, from.Add(150*time.Minute), time.Hour)
	require.NoError(t, err)
	require.Len(t, ws, 3)
	assert.Equal(t, "generate_report=AccessSession&end_time=1425168000&duration=3600", encode(t, ws[0].Query))
	assert.Equal(t, "generate_report=AccessSession&end_time=1425175200&duration=1800", encode(t, ws[2].Query))
	assert.Equal(t, from.Add(150*time.Minute), ws[2].To)
	// Sub-second ends never make a duration=0 ("to the present") window.
	ws, err = Windows(AccessSession, false, from.Add(300*time.Millisecond), from.Add(2*time.Hour+700*time.Millisecond), time.Hour)
	require.NoError(t, err)
	require.Len(t, ws, 2)
	for _, w := range ws {
		assert.Equal(t, int64(3600), *w.Query.Duration)
	}
	_, err = Windows(AccessSession, false, from, from.Add(500*time.Millisecond), time.Hour)
	assert.Error(t, err)
	_, err = Windows(AccessSession, false, from, from, time.Hour)
	assert.Error(t, err)
	_, err = Windows(AccessSession, false, from, from.Add(time.Hour), 0)
	assert.Error(t, err)
}

func TestDedup(t *testing.T) {
	var d Dedup
	d.Next()
	assert.False(t, d.Seen("a"))
	d.Keep("a")
	d.Next()
	assert.True(t, d.Seen("a"), "an edge session comes back in the next window")
	assert.False(t, d.Seen("b"))
	d.Next()
	assert.False(t, d.Seen("a"), "only one window's edge is held")
}

func TestOnEdge(t *testing.T) {
	from := time.Unix(1425196800, 0)
	w := Window{From: from, To: from.Add(time.Hour), Query: EndedBetween(AccessSession, from, from.Add(time.Hour))}
	at := func(u int64) *Session { return &Session{EndTime: Timestamp{Unix: u, Valid: true}} }
	assert.True(t, OnEdge(at(from.Unix()+3600), w))
	assert.True(t, OnEdge(at(from.Unix()+3599), w))
	assert.False(t, OnEdge(at(from.Unix()+3000), w))
	assert.True(t, OnEdge(&Session{}, w), "unknown time: kept")
	assert.False(t, OnEdge(at(from.Unix()+3600), Window{Query: ByLSIDs("x")}))
}

// An appliance whose windows include both bounds returns edge sessions
// twice; Ranged yields each session exactly once and loses none.
func TestRangedEdges(t *testing.T) {
	from := time.Unix(1425196800, 0)
	var all []*Session
	for i := range 50 {
		// Every 6 minutes plus one on each window edge.
		all = append(all, &Session{LSID: fmt.Sprintf("%032x", i), EndTime: Timestamp{Unix: from.Unix() + int64(i)*360, Valid: true}})
	}
	all = append(all, &Session{LSID: "edge", EndTime: Timestamp{Unix: from.Unix() + 3600, Valid: true}})
	ws, err := Windows(AccessSession, true, from, from.Add(5*time.Hour), time.Hour)
	require.NoError(t, err)
	fetch := func(w Window) iter.Seq2[*Session, error] {
		return func(yield func(*Session, error) bool) {
			for _, s := range all {
				if s.EndTime.Unix >= w.From.Unix() && s.EndTime.Unix <= w.To.Unix() { // inclusive both ends
					if !yield(s, nil) {
						return
					}
				}
			}
		}
	}
	seen := map[string]int{}
	for s, err := range Ranged(ws, func(s *Session) string { return s.LSID }, OnEdge, fetch) {
		require.NoError(t, err)
		seen[s.LSID]++
	}
	assert.Len(t, seen, len(all))
	for id, n := range seen {
		assert.Equal(t, 1, n, id)
	}
}

// An error in a window of lsids is passed on as it is: such a window has no
// times to name (it once read "window 0001-01-01T00:00:00Z to ...").
func TestRangedNamesOnlyTimedWindows(t *testing.T) {
	boom := errors.New("lsid \"x\": boom")
	fetch := func(Window) iter.Seq2[*Session, error] {
		return func(yield func(*Session, error) bool) { yield(nil, boom) }
	}
	for _, err := range Ranged([]Window{{Query: ByLSIDs("x")}}, func(s *Session) string { return s.LSID }, OnEdge, fetch) {
		require.ErrorIs(t, err, boom)
		assert.Equal(t, boom.Error(), err.Error())
	}
	from := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	ws, err := Windows(AccessSession, false, from, from.Add(time.Hour), time.Hour)
	require.NoError(t, err)
	for _, err := range Ranged(ws, func(s *Session) string { return s.LSID }, OnEdge, fetch) {
		assert.EqualError(t, err, "window 2015-03-01T00:00:00Z to 2015-03-01T01:00:00Z: "+boom.Error())
	}
}
