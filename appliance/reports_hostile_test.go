package appliance_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// hostile is an appliance that answers every report with body.
func hostile(t *testing.T, body string) *appliance.Client {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	c, err := appliance.New(s.URL, appliance.UserPassword{Username: "u", Password: "p"}, appliance.Options{AllowHTTP: true, Attempts: 1, Timeout: 5 * time.Second})
	require.NoError(t, err)
	return c
}

func session(lsid string, start, end int64) string {
	s := `<session lsid="` + lsid + `"><start_time timestamp="` + strconv.FormatInt(start, 10) + `">x</start_time>`
	if end > 0 {
		s += `<end_time timestamp="` + strconv.FormatInt(end, 10) + `">y</end_time>`
	} else {
		s += `<end_time/>`
	}
	return s + `</session>`
}

// A time-window query answered with sessions outside the window, or with
// one session twice, yields the sessions of the window once each, and
// says how many it dropped (issue 18, item 1 and "Also seen").
func TestSessionsOutsideWindowDropped(t *testing.T) {
	from := time.Date(2015, 3, 1, 8, 0, 0, 0, time.UTC)
	in, before, after := from.Unix()+60, from.Unix()-86400*30, from.Unix()+86400*30
	const a, b, c, d = "c69a8e10bea9428f816cfababe9815fe", "a5eeaa58591047b88556f944804227b0", "5bf07601298b495b87310da9ce571e22", "da4b510978a541d49398e88c66e28475"
	body := `<session_list>` + session(a, in, in+60) + session(b, before, before+60) + session(c, after, after+60) +
		session(a, in, in+60) + session(d, in, 0) + `</session_list>`
	cl := hostile(t, body)

	var dropped reporting.Dropped
	ss, err := testutil.Collect(cl.Sessions(context.Background(), reporting.StartedBetween(reporting.AccessSession, from, from.Add(time.Hour)), reporting.Options{Dropped: &dropped}))
	require.NoError(t, err)
	var got []string
	for _, s := range ss {
		got = append(got, s.LSID)
	}
	assert.Equal(t, []string{a, d}, got, "the running session d began in the window")
	assert.Equal(t, reporting.Dropped{Duplicates: 1, OutsideWindow: 2, DuplicateLSIDs: []string{a}}, dropped, "the copy is named")

	// An end_time window holds closed sessions that ended in it only.
	dropped = reporting.Dropped{}
	ss, err = testutil.Collect(cl.Sessions(context.Background(), reporting.EndedBetween(reporting.AccessSession, from, from.Add(time.Hour)), reporting.Options{Dropped: &dropped}))
	require.NoError(t, err)
	require.Len(t, ss, 1)
	assert.Equal(t, a, ss[0].LSID)
	assert.Equal(t, 3, dropped.OutsideWindow)

	// Asked by lsid, no window applies.
	ss, err = testutil.Collect(cl.Sessions(context.Background(), reporting.ByLSIDs(a, b, c, d), reporting.Options{}))
	require.NoError(t, err)
	assert.Len(t, ss, 4)
}

// A session with a hostile lsid is refused with a clear error, of kind
// Malformed.
func TestSessionsBadLSIDRefused(t *testing.T) {
	cl := hostile(t, `<session_list><session lsid="../../escaped"/></session_list>`)
	_, err := testutil.Collect(cl.Sessions(context.Background(), reporting.ByLSID(reporting.AccessSession, "c69a8e10bea9428f816cfababe9815fe"), reporting.Options{}))
	var e *appliance.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, appliance.Malformed, e.Kind)
	assert.ErrorContains(t, err, `lsid "../../escaped" is not 32 lower-case hexadecimal digits`)
}
