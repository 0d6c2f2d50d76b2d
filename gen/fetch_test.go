package gen

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliancetest"
)

func standIn(t *testing.T) (*appliancetest.Server, *Appliance, *Fetcher) {
	t.Helper()
	s := appliancetest.NewTLS("support")
	t.Cleanup(s.Close)
	a, err := NewAppliance(s.URL, false)
	require.NoError(t, err)
	f, err := NewFetcher(FetchOptions{CACertsPEM: s.CACertPEM(), Backoff: time.Millisecond, Timeout: 2 * time.Second})
	require.NoError(t, err)
	return s, a, f
}

var jump = Jump{Hostname: "ABCDEF02", ExternalKey: "INC0012345"}

func TestFetch(t *testing.T) {
	s, a, f := standIn(t)
	got, err := f.Fetch(context.Background(), a, catalogue(t, ""), jump.Command())
	require.NoError(t, err)
	assert.Equal(t, "BRCS1.0\naction=login\naction=start_jump_item_session&client.hostname=ABCDEF02&session.custom.external_key=INC0012345\naction=delete_script_file\n", string(got.Script))
	assert.Equal(t, "session.brcs-support", got.Name)
	reqs := s.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "type=rep&operation=generate&action=start_jump_item_session&client.hostname=ABCDEF02&session.custom.external_key=INC0012345", reqs[0].RawQuery)
	assert.True(t, reqs[0].Close, "Connection: close, as the guide asks")
}

func TestFetchOpensAConnectionPerRequest(t *testing.T) {
	s, a, f := standIn(t)
	for i := 0; i < 3; i++ {
		_, err := f.Fetch(context.Background(), a, catalogue(t, ""), jump.Command())
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
			s, a, f := standIn(t)
			s.Misbehave(c.b, 0)
			got, err := f.Fetch(context.Background(), a, catalogue(t, ""), jump.Command())
			require.Error(t, err)
			assert.Nil(t, got)
			assert.Contains(t, err.Error(), c.want)
			assert.NotContains(t, err.Error(), "ABCDEF02", "no query in errors")
			assert.Len(t, s.Requests(), c.attempts)
		})
	}
}

func TestFetchRetriesThenSucceeds(t *testing.T) {
	s, a, f := standIn(t)
	s.Misbehave(appliancetest.Unavailable, 2)
	got, err := f.Fetch(context.Background(), a, catalogue(t, ""), jump.Command())
	require.NoError(t, err)
	assert.Contains(t, string(got.Script), "ABCDEF02")
	assert.Len(t, s.Requests(), 3)
}

func TestFetchTimesOut(t *testing.T) {
	s, a, _ := standIn(t)
	s.Misbehave(appliancetest.Slow, 0)
	s.SetDelay(5 * time.Second)
	f, err := NewFetcher(FetchOptions{CACertsPEM: s.CACertPEM(), Timeout: 100 * time.Millisecond, Attempts: 1})
	require.NoError(t, err)
	start := time.Now()
	_, err = f.Fetch(context.Background(), a, catalogue(t, ""), jump.Command())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "timed out")
	assert.Less(t, time.Since(start), 4*time.Second)
}

func TestFetchNeedsTrust(t *testing.T) {
	s := appliancetest.NewTLS("support")
	defer s.Close()
	a, err := NewAppliance(s.URL, false)
	require.NoError(t, err)
	f, err := NewFetcher(FetchOptions{Backoff: time.Millisecond})
	require.NoError(t, err)
	_, err = f.Fetch(context.Background(), a, catalogue(t, ""), jump.Command())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "give its CA with --ca-cert")
	assert.Len(t, s.Requests(), 0, "no request on an untrusted connection")
	_, err = NewFetcher(FetchOptions{CACertsPEM: []byte("not a certificate")})
	assert.Error(t, err)
}

func TestFetchRefusesHTTPUnlessAllowed(t *testing.T) {
	a, err := NewAppliance("http://127.0.0.1:1", true)
	require.NoError(t, err)
	f, err := NewFetcher(FetchOptions{})
	require.NoError(t, err)
	_, err = f.Fetch(context.Background(), a, catalogue(t, ""), jump.Command())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "plain http is refused")
}

func TestFetchLoginKeepsThePasswordOutOfErrors(t *testing.T) {
	s, a, f := standIn(t)
	s.Misbehave(appliancetest.XMLError, 0)
	_, err := f.Fetch(context.Background(), a, catalogue(t, ""), Login{Username: "alice", Password: "hunter2"}.Command())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "hunter2")
	s.Misbehave(appliancetest.Normal, 0)
	got, err := f.Fetch(context.Background(), a, catalogue(t, ""), Login{Username: "alice", Password: "hunter2"}.Command())
	require.NoError(t, err)
	assert.Contains(t, string(got.Script), "password=hunter2", "the appliance's answer is the script itself")
}

func TestLimiterSpacesRequests(t *testing.T) {
	l := NewLimiter(50) // 20 ms apart
	var mu sync.Mutex
	var times []time.Time
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			require.NoError(t, l.Wait(context.Background()))
			mu.Lock()
			times = append(times, time.Now())
			mu.Unlock()
		}()
	}
	wg.Wait()
	first, last := times[0], times[0]
	for _, tm := range times {
		if tm.Before(first) {
			first = tm
		}
		if tm.After(last) {
			last = tm
		}
	}
	assert.GreaterOrEqual(t, last.Sub(first), 75*time.Millisecond, "5 events at 50/s span at least 80 ms")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	slow := NewLimiter(0.001)
	require.NoError(t, slow.Wait(ctx))
	assert.ErrorIs(t, slow.Wait(ctx), context.Canceled)
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
