package appliancetest

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// post sends a raw form to the stand-in's reporting endpoint.
func post(t *testing.T, s *Server, form string) string {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CACertPEM())
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := hc.Post(s.URL+"/api/reporting", "application/x-www-form-urlencoded", strings.NewReader(form))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

func TestReportingStandIn(t *testing.T) {
	s := NewTLS("support")
	defer s.Close()
	auth := "username=test&password=test&"
	// The guide's Isid typo is refused, as the parameter does not exist.
	assert.Contains(t, post(t, s, auth+"generate_report=AccessSessionRecording&Isid="+LSID1), "<error")
	// Two parameter sets at once are refused.
	assert.Contains(t, post(t, s, auth+"generate_report=AccessSession&start_time=1&end_time=2&duration=0"), "exactly one of")
	// The summary needs nothing but a time set (report_type=user is the only value).
	sum := post(t, s, auth+"generate_report=AccessSessionSummary&start_date=2015-03-01&duration=31&report_type=user")
	assert.Contains(t, sum, `<summary id="1" type="user"><display_name>test</display_name><total_sessions>2</total_sessions>`)
	// user_sessions: a user sees only the sessions they led.
	s.Update(func(d *Data) { d.Users[ReportUser].ViewReports = "user_sessions" })
	list := post(t, s, "username=reporter&password=reporter-pw&generate_report=AccessSessionListing&start_date=2015-03-01&duration=31")
	assert.Equal(t, 1, strings.Count(list, "<session_summary "), list)
	assert.Contains(t, list, LSID2)
	// No report permission at all: Document Not Found.
	assert.Contains(t, post(t, s, "username=nobody&password=nobody-pw&generate_report=AccessSessionListing&start_date=2015-03-01&duration=31"), MsgNoPerm)
	// Team: the window is stated, team_id filters.
	team := post(t, s, auth+"generate_report=Team&start_date=2015-03-01&duration=31&team_id=2")
	assert.Contains(t, team, `<start_time timestamp="1425168000">`)
	assert.Contains(t, team, `name="remote_access"`)
	assert.NotContains(t, team, `name="support"`)
}

// The generator's sessions are the same on every request and follow the
// step.
func TestGenerated(t *testing.T) {
	g := Generated{N: 3, Start: time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC), Step: time.Minute, Events: 5}
	a, b := g.session(2), g.session(2)
	assert.Equal(t, a, b)
	assert.Equal(t, g.Start.Add(2*time.Minute), a.Start)
	var sb strings.Builder
	require.NoError(t, g.WriteXML(&sb, ""))
	assert.Equal(t, 3, strings.Count(sb.String(), "<session lsid="))
	assert.Equal(t, 15, strings.Count(sb.String(), "<event "))
}

// What the stand-in writes of reports stays as it was when it was built
// with Fprintf: generated sessions with every event type, the closed
// fixture sessions with names that need escaping, summaries and teams.
func TestReportXMLGolden(t *testing.T) {
	var b strings.Builder
	g := Generated{N: 2, Start: time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC), Step: time.Minute}
	require.NoError(t, g.WriteXML(&b, "http://www.bomgar.com/namespaces/API/reporting"))
	sessions := DefaultReports().Sessions
	for _, ss := range sessions {
		if ss.End.IsZero() {
			continue // a running session's duration is the clock's
		}
		ss.Host, ss.RepName, ss.ExternalKey = `a&b<c>"d'`, `r&p<>"`, `k&"<>`
		writeSession(&b, ss, true)
		writeSession(&b, ss, false)
	}
	month := selector{from: time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC).Unix(), to: time.Date(2015, 3, 31, 0, 0, 0, 0, time.UTC).Unix()}
	writeSummary(&b, sessions, month)
	writeTeam(&b, sessions, month, nil)
	testutil.Golden(t, "testdata/report.xml.golden", b.String())
}
