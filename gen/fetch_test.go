package gen

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

func standIn(t *testing.T) (*appliancetest.Server, *Fetcher) {
	t.Helper()
	s := appliancetest.NewTLS("support")
	t.Cleanup(s.Close)
	_, f := fetcherFor(t, s.URL, appliance.Options{CACertsPEM: s.CACertPEM(), Backoff: time.Millisecond, Timeout: 2 * time.Second})
	return s, f
}

// fetcherFor is a fetcher of the appliance at addr, its client made with o.
func fetcherFor(t *testing.T, addr string, o appliance.Options) (appliance.Address, *Fetcher) {
	t.Helper()
	a, err := appliance.ParseAddress(addr, o.AllowHTTP)
	require.NoError(t, err)
	c, err := appliance.New(addr, nil, o)
	require.NoError(t, err)
	return a, NewFetcher(c)
}

var jump = Jump{Hostname: "ABCDEF02", ExternalKey: "INC0012345"}

func TestFetch(t *testing.T) {
	s, f := standIn(t)
	got, err := f.Fetch(context.Background(), catalogue(t, ""), jump.Command())
	require.NoError(t, err)
	assert.Equal(t, "BRCS1.0\naction=login\naction=start_jump_item_session&client.hostname=ABCDEF02&session.custom.external_key=INC0012345\naction=delete_script_file\n", string(got.Script))
	assert.Equal(t, "session.brcs-support", got.Name)
	reqs := s.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "type=rep&operation=generate&action=start_jump_item_session&client.hostname=ABCDEF02&session.custom.external_key=INC0012345", reqs[0].RawQuery)
	assert.True(t, reqs[0].Close, "Connection: close, as the guide asks")
}

func TestFetchOpensAConnectionPerRequest(t *testing.T) {
	s, f := standIn(t)
	for i := 0; i < 3; i++ {
		_, err := f.Fetch(context.Background(), catalogue(t, ""), jump.Command())
		require.NoError(t, err)
	}
	for _, r := range s.Requests() {
		assert.True(t, r.NewConnection)
	}
}

func TestFetchFailures(t *testing.T) {
	for _, c := range []struct {
		b        appliancetest.Behavior
		want     string
		attempts int
	}{
		{appliancetest.LoginPage, "HTML page", 1},
		{appliancetest.XMLError, "the appliance refused: The API is disabled.", 1},
		{appliancetest.Empty, "empty body", 1},
		{appliancetest.NotFound, "404 Not Found", 1},
		{appliancetest.ServerError, "500 Internal Server Error", 3},
		{appliancetest.Unavailable, "503 Service Unavailable", 3},
		{appliancetest.RedirectOtherHost, "another host", 1},
		{appliancetest.RedirectHTTP, "redirected from https to http", 1},
		{appliancetest.Huge, "larger than", 1},
		{appliancetest.Drop, "EOF", 3},
		{appliancetest.NotAScript, "would not be valid", 1},
	} {
		t.Run(c.want, func(t *testing.T) {
			s, f := standIn(t)
			s.Misbehave(c.b, 0)
			got, err := f.Fetch(context.Background(), catalogue(t, ""), jump.Command())
			require.Error(t, err)
			assert.Nil(t, got)
			assert.Contains(t, err.Error(), c.want)
			assert.NotContains(t, err.Error(), "ABCDEF02", "no query in errors")
			assert.Len(t, s.Requests(), c.attempts)
		})
	}
}

func TestFetchRetriesThenSucceeds(t *testing.T) {
	s, f := standIn(t)
	s.Misbehave(appliancetest.Unavailable, 2)
	got, err := f.Fetch(context.Background(), catalogue(t, ""), jump.Command())
	require.NoError(t, err)
	assert.Contains(t, string(got.Script), "ABCDEF02")
	assert.Len(t, s.Requests(), 3)
}

func TestFetchTimesOut(t *testing.T) {
	s, _ := standIn(t)
	s.Misbehave(appliancetest.Slow, 0)
	s.SetDelay(5 * time.Second)
	_, f := fetcherFor(t, s.URL, appliance.Options{CACertsPEM: s.CACertPEM(), Timeout: 100 * time.Millisecond, Attempts: 1})
	start := time.Now()
	_, err := f.Fetch(context.Background(), catalogue(t, ""), jump.Command())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "timed out")
	assert.Less(t, time.Since(start), 4*time.Second)
}

func TestFetchNeedsTrust(t *testing.T) {
	s := appliancetest.NewTLS("support")
	defer s.Close()
	_, f := fetcherFor(t, s.URL, appliance.Options{Backoff: time.Millisecond})
	_, err := f.Fetch(context.Background(), catalogue(t, ""), jump.Command())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "give its CA with --ca-cert")
	assert.Len(t, s.Requests(), 0, "no request on an untrusted connection")
}

// The check is the client's (appliance.New), made once: no fetcher of a
// plain http:// appliance exists unless AllowHTTP says so.
func TestFetchRefusesHTTPUnlessAllowed(t *testing.T) {
	_, err := appliance.New("http://127.0.0.1:1", nil, appliance.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "plain http is refused")
}

func TestFetchLoginKeepsThePasswordOutOfErrors(t *testing.T) {
	s, f := standIn(t)
	s.Misbehave(appliancetest.XMLError, 0)
	_, err := f.Fetch(context.Background(), catalogue(t, ""), Login{Username: "alice", Password: "hunter2"}.Command())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "hunter2")
	s.Misbehave(appliancetest.Normal, 0)
	got, err := f.Fetch(context.Background(), catalogue(t, ""), Login{Username: "alice", Password: "hunter2"}.Command())
	require.NoError(t, err)
	assert.Contains(t, string(got.Script), "password=hunter2", "the appliance's answer is the script itself")
}

// A batch's --rate is the client's limiter: the fetcher adds none of its
// own and keeps the client's.
func TestFetchKeepsTheClientsRateLimit(t *testing.T) {
	s := appliancetest.NewTLS("support")
	t.Cleanup(s.Close)
	_, f := fetcherFor(t, s.URL, appliance.Options{CACertsPEM: s.CACertPEM(), Rate: 20}) // 50 ms apart
	start := time.Now()
	for range 4 {
		_, err := f.Fetch(context.Background(), catalogue(t, ""), jump.Command())
		require.NoError(t, err)
	}
	assert.GreaterOrEqual(t, time.Since(start), 140*time.Millisecond, "4 requests at 20/s span at least 150 ms")
}

func TestSuggestedName(t *testing.T) {
	for cd, want := range map[string]string{
		`attachment; filename="jump.brcs-support"`:  "jump.brcs-support",
		`attachment; filename="../../etc/x.brcs-s"`: "",
		`attachment; filename=".hidden.brcs-s"`:     "",
		`attachment; filename="jump.exe"`:           "",
		`attachment; filename="a\\b.brcs-s"`:        "",
		``:                                          "",
	} {
		assert.Equal(t, want, suggestedName(cd), cd)
	}
}
