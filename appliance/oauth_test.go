package appliance_test

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

// fakeClock is a clock that tests move by hand, shared by the stand-in
// and the clients.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func apiAccount(t testing.TB, s *appliancetest.Server, id, secret, cache string, o appliance.Options, now func() time.Time) *appliance.Client {
	t.Helper()
	o.CACertsPEM = s.CACertPEM()
	if o.Backoff == 0 {
		o.Backoff = time.Millisecond
	}
	c, err := appliance.New(s.URL, appliance.ClientCredentials{ClientID: id, Secret: secret, TokenCache: cache, Now: now}, o)
	require.NoError(t, err)
	return c
}

func oauthStandIn(t testing.TB) *appliancetest.Server {
	s := appliancetest.NewTLS("support")
	t.Cleanup(s.Close)
	s.Update(func(d *appliancetest.Data) {
		d.APIVersion = appliancetest.CurrentVersion
		d.Namespace = appliancetest.BeyondTrustSRAHTTP
	})
	return s
}

func TestTokenExchangeByteForByte(t *testing.T) {
	s := oauthStandIn(t)
	var trace []string
	c := apiAccount(t, s, appliancetest.FullClient, appliancetest.FullClientSecret, "", appliance.Options{Trace: func(l string) { trace = append(trace, l) }}, nil)
	info, err := c.APIInfo(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "full_access", info.Permissions["perm_command"])
	_, err = c.CheckHealth(context.Background())
	require.NoError(t, err)

	tr := s.TokenRequests()
	require.Len(t, tr, 1, "one token for both calls")
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(appliancetest.FullClient)+":"+url.QueryEscape(appliancetest.FullClientSecret)))
	assert.Equal(t, appliancetest.TokenRequest{Method: "POST", ContentType: "application/x-www-form-urlencoded", Authorization: want, Body: "grant_type=client_credentials"}, tr[0])

	reqs := s.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "/oauth2/token", reqs[0].Path)
	assert.Equal(t, "Basic", reqs[0].Auth)
	for _, r := range reqs[1:] {
		assert.Equal(t, "Bearer", r.Auth)
		assert.NotContains(t, r.Form, "username")
		assert.NotContains(t, r.Form, "password")
		assert.True(t, r.Close)
	}
	for _, r := range reqs {
		for _, where := range []string{r.RawQuery, r.Body, fmt.Sprint(r.Form)} {
			assert.NotContains(t, where, "secret")
		}
	}
	// The stand-in's tokens are 48 hex digits.
	for _, line := range trace {
		assert.NotContains(t, line, "secret")
		assert.NotRegexp(t, "[0-9a-f]{48}", line)
	}
	assert.Contains(t, strings.Join(trace, "\n"), "POST "+s.URL+"/oauth2/token [grant_type] -> 200 OK")
}

func TestAPIAccountRefusesPlainHTTP(t *testing.T) {
	_, err := appliance.New("http://127.0.0.1:1", appliance.ClientCredentials{ClientID: "id", Secret: "x"}, appliance.Options{AllowHTTP: true})
	assert.ErrorContains(t, err, "HTTPS only")
	assert.NotContains(t, fmt.Sprintf("%v %#v %+v", appliance.ClientCredentials{Secret: "shh-1"}, appliance.ClientCredentials{Secret: "shh-1"}, appliance.ClientCredentials{Secret: "shh-1"}), "shh-1")
}

func TestWrongSecretIsOneClearRefusal(t *testing.T) {
	s := oauthStandIn(t)
	c := apiAccount(t, s, appliancetest.FullClient, "wrong-secret-value", "", appliance.Options{Attempts: 5}, nil)
	_, err := c.CheckHealth(context.Background())
	require.Error(t, err)
	assert.True(t, appliance.IsClientRefused(err), "%v", err)
	assert.True(t, appliance.IsAuth(err))
	assert.Contains(t, err.Error(), "the client id or the client secret is wrong")
	assert.Contains(t, err.Error(), "invalid_client")
	assert.NotContains(t, err.Error(), "wrong-secret-value")
	assert.NotContains(t, fmt.Sprintf("%#v", err), "wrong-secret-value")
	assert.Len(t, s.TokenRequests(), 1, "never retried")
	assert.Len(t, s.Requests(), 1, "no call sent without a token")

	// Another process with the same wrong secret, moments later, is told
	// so without asking; the right secret is not held back.
	dir := t.TempDir()
	for range 3 {
		c := apiAccount(t, s, appliancetest.FullClient, "wrong-secret-value", dir, appliance.Options{}, nil)
		_, err := c.CheckHealth(context.Background())
		assert.True(t, appliance.IsClientRefused(err), "%v", err)
		assert.Contains(t, err.Error(), "the client id or the client secret is wrong")
	}
	assert.Len(t, s.TokenRequests(), 2)
	c = apiAccount(t, s, appliancetest.FullClient, appliancetest.FullClientSecret, dir, appliance.Options{}, nil)
	_, err = c.CheckHealth(context.Background())
	require.NoError(t, err)
	files, _ := filepath.Glob(filepath.Join(dir, "*.refused"))
	assert.Empty(t, files, "a good mint forgets the refusal")
}

func TestRevokedTokenReplacedOnceEvenForWrites(t *testing.T) {
	s := oauthStandIn(t)
	var trace []string
	c := apiAccount(t, s, appliancetest.FullClient, appliancetest.FullClientSecret, t.TempDir(), appliance.Options{Trace: func(l string) { trace = append(trace, l) }}, nil)
	_, err := c.APIInfo(context.Background())
	require.NoError(t, err)
	s.RevokeTokens(appliancetest.FullClient)
	_, err = c.SetSessionAttributes(context.Background(), appliancetest.SessionA, appliance.Set("external_key", "INC1"))
	require.NoError(t, err)
	assert.Equal(t, 2, s.Tokens(appliancetest.FullClient).Minted)
	assert.Equal(t, 1, s.DeniedCalls())
	assert.Contains(t, strings.Join(trace, "\n"), "access_denied")

	// A token that keeps being refused is not a loop: one retry only.
	s.Misbehave(appliancetest.Unauthorized, 0)
	_, err = c.TerminateSession(context.Background(), appliancetest.SessionB)
	require.Error(t, err)
	s.Misbehave(appliancetest.Normal, 0)
	s.View(func(d *appliancetest.Data) { assert.Contains(t, d.Sessions, appliancetest.SessionB) })
}

func TestAccessDeniedWithJSONRetriedOnce(t *testing.T) {
	// A hostile or odd appliance that refuses every token: two calls and
	// two mints at most, then the refusal.
	var mints, calls int
	var mu sync.Mutex
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/oauth2/token" {
			mints++
			fmt.Fprintf(w, `{"access_token":"tok-%d-abcdef","token_type":"Bearer","expires_in":3600}`, mints)
			return
		}
		calls++
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":"access_denied","message":"token tok-%d-abcdef denied"}`, mints)
	}))
	defer srv.Close()
	c, err := appliance.New(srv.URL, appliance.ClientCredentials{ClientID: "id", Secret: "the-secret"}, appliance.Options{CACertsPEM: certPEM(srv)})
	require.NoError(t, err)
	_, err = c.CheckHealth(context.Background())
	require.Error(t, err)
	assert.Equal(t, 2, mints)
	assert.Equal(t, 2, calls)
	assert.True(t, appliance.IsAuth(err))
	assert.NotContains(t, err.Error(), "tok-2-abcdef", "a token quoted back is redacted")
	assert.Contains(t, err.Error(), appliance.Redacted)
}

func TestTokenSharedThroughTheCache(t *testing.T) {
	s := oauthStandIn(t)
	dir := filepath.Join(t.TempDir(), "cache")
	for range 3 {
		c := apiAccount(t, s, appliancetest.FullClient, appliancetest.FullClientSecret, dir, appliance.Options{}, nil)
		_, err := c.CheckHealth(context.Background())
		require.NoError(t, err)
	}
	assert.Equal(t, 1, s.Tokens(appliancetest.FullClient).Minted)
	files, err := os.ReadDir(dir)
	require.NoError(t, err)
	var tokenFiles []string
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".json") {
			tokenFiles = append(tokenFiles, f.Name())
		}
	}
	require.Len(t, tokenFiles, 1)
	if runtime.GOOS != "windows" {
		fi, _ := os.Stat(dir)
		assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
		fi, _ = os.Stat(filepath.Join(dir, tokenFiles[0]))
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(filepath.Join(dir, tokenFiles[0]))
	assert.NotContains(t, string(raw), appliancetest.FullClientSecret)

	// Another secret (regenerated, or wrong) never borrows the token.
	c := apiAccount(t, s, appliancetest.FullClient, "not-the-secret", dir, appliance.Options{}, nil)
	_, err = c.CheckHealth(context.Background())
	assert.True(t, appliance.IsClientRefused(err), "%v", err)

	// A file others may read is not trusted.
	if runtime.GOOS != "windows" {
		require.NoError(t, os.Chmod(filepath.Join(dir, tokenFiles[0]), 0o644))
		c := apiAccount(t, s, appliancetest.FullClient, appliancetest.FullClientSecret, dir, appliance.Options{}, nil)
		_, err := c.CheckHealth(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 2, s.Tokens(appliancetest.FullClient).Minted)
		fi, _ := os.Stat(filepath.Join(dir, tokenFiles[0]))
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	}
}

func TestConcurrentClientsMintOnce(t *testing.T) {
	s := oauthStandIn(t)
	dir := t.TempDir()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := apiAccount(t, s, appliancetest.FullClient, appliancetest.FullClientSecret, dir, appliance.Options{}, nil)
			_, err := c.APIInfo(context.Background())
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, s.Tokens(appliancetest.FullClient).Minted)
}

func TestTokenRenewedAheadOfExpiry(t *testing.T) {
	s := oauthStandIn(t)
	clock := &fakeClock{t: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	s.Update(func(d *appliancetest.Data) { d.Clock = clock.Now })
	dir := t.TempDir()
	run := func() {
		c := apiAccount(t, s, appliancetest.FullClient, appliancetest.FullClientSecret, dir, appliance.Options{}, clock.Now)
		_, err := c.CheckHealth(context.Background())
		require.NoError(t, err)
	}
	run()
	clock.Add(54 * time.Minute)
	run()
	assert.Equal(t, 1, s.Tokens(appliancetest.FullClient).Minted, "still fresh")
	clock.Add(2 * time.Minute) // 4 minutes left: renewed before the appliance refuses it
	run()
	assert.Equal(t, 2, s.Tokens(appliancetest.FullClient).Minted)
	assert.Zero(t, s.DeniedCalls())
}

func TestEvictedTokenRecovered(t *testing.T) {
	s := oauthStandIn(t)
	c := apiAccount(t, s, appliancetest.FullClient, appliancetest.FullClientSecret, "", appliance.Options{}, nil)
	_, err := c.CheckHealth(context.Background())
	require.NoError(t, err)
	for range 30 { // another integration of the same account, without a shared cache
		o := apiAccount(t, s, appliancetest.FullClient, appliancetest.FullClientSecret, "", appliance.Options{}, nil)
		_, err := o.APIInfo(context.Background())
		require.NoError(t, err)
	}
	st := s.Tokens(appliancetest.FullClient)
	assert.Equal(t, 30, st.Valid)
	assert.Equal(t, 1, st.Evicted)
	_, err = c.CheckHealth(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, s.DeniedCalls())
	assert.Equal(t, 32, s.Tokens(appliancetest.FullClient).Minted)
}

// cronTokens lives through hours of the cron line the README shows
// (health every minute, archive sync every 5 minutes, a backup at 02:00),
// each run a new client as each run is a new process, against the stand-in
// with the token lifetime life, and counts what the appliance saw.
func cronTokens(t *testing.T, hours int, life time.Duration, shared bool) (runs int, st appliancetest.TokenStats, denied int) {
	s := oauthStandIn(t)
	clock := &fakeClock{t: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	s.Update(func(d *appliancetest.Data) { d.Clock = clock.Now; d.TokenLifetime = life })
	dir := ""
	if shared {
		dir = t.TempDir()
	}
	for minute := range hours * 60 {
		n := 1
		if minute%5 == 0 {
			n++
		}
		if minute == 2*60 {
			n++
		}
		for range n {
			c := apiAccount(t, s, appliancetest.FullClient, appliancetest.FullClientSecret, dir, appliance.Options{}, clock.Now)
			_, err := c.CheckHealth(context.Background())
			require.NoError(t, err)
			runs++
		}
		clock.Add(time.Minute)
	}
	return runs, s.Tokens(appliancetest.FullClient), s.DeniedCalls()
}

func TestCronTokenCost(t *testing.T) {
	t.Parallel()
	// An hour with a 20-minute lifetime: renewed every 15 minutes with
	// the shared cache; one token a run without it.
	runs, st, denied := cronTokens(t, 1, 20*time.Minute, true)
	assert.Equal(t, 72, runs)
	assert.Equal(t, 4, st.Minted)
	assert.Zero(t, st.Evicted)
	assert.Zero(t, denied)
	runs, st, _ = cronTokens(t, 1, 20*time.Minute, false)
	assert.Equal(t, runs, st.Minted)
}

// TestCronDayTokenCost measures a whole day (1,729 runs) with the real and
// a shortened lifetime; it takes minutes, so it runs only when asked:
// BRCS_TOKEN_DAY=1 go test ./appliance -run TestCronDayTokenCost -v
func TestCronDayTokenCost(t *testing.T) {
	if os.Getenv("BRCS_TOKEN_DAY") == "" {
		t.Skip("set BRCS_TOKEN_DAY=1 to measure a day of the cron line")
	}
	for _, life := range []time.Duration{time.Hour, 10 * time.Minute} {
		for _, shared := range []bool{true, false} {
			runs, st, denied := cronTokens(t, 24, life, shared)
			t.Logf("lifetime %v, shared cache %v: %d runs, %d tokens minted, %d evicted by the 30-token cap, %d calls refused for their token",
				life, shared, runs, st.Minted, st.Evicted, denied)
		}
	}
}

func TestHourlyBudgetSlowsDownBeforeRefused(t *testing.T) {
	s := oauthStandIn(t)
	s.Update(func(d *appliancetest.Data) { d.HourlyLimit = 40 })
	var warned []string
	c := apiAccount(t, s, appliancetest.FullClient, appliancetest.FullClientSecret, "", appliance.Options{Warn: func(m string) { warned = append(warned, m) }}, nil)
	for range 36 {
		_, err := c.APIInfo(context.Background())
		require.NoError(t, err)
	}
	require.Len(t, warned, 1, "slowing down is said, once")
	assert.Contains(t, warned[0], "4 of its 40 API calls an hour are left: slowing to")
	b := c.Budget()
	assert.Equal(t, 40, b.Limit)
	assert.Equal(t, 4, b.Remaining)
	assert.True(t, b.Slowed)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.APIInfo(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "hourly budget")
	assert.Len(t, s.Requests(), 37, "the call waited instead of being sent and refused")
}

func TestSecretsRedactedFromWhatTheApplianceQuotes(t *testing.T) {
	const pw = "pa55-word&more"
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, "<error>Login failed for %s with password %s (%s)</error>", r.Form.Get("username"), r.Form.Get("password"), url.QueryEscape(r.Form.Get("password")))
	}))
	defer srv.Close()
	var trace []string
	c, err := appliance.New(srv.URL, appliance.UserPassword{Username: "test", Password: pw}, appliance.Options{CACertsPEM: certPEM(srv), Trace: func(l string) { trace = append(trace, l) }})
	require.NoError(t, err)
	_, err = c.APIInfo(context.Background())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "pa55")
	assert.Contains(t, err.Error(), "Login failed for test with password "+appliance.Redacted)
}

func TestPermissionRefusalNamesThePermission(t *testing.T) {
	s := oauthStandIn(t)
	c := apiAccount(t, s, appliancetest.ReadOnlyClient, appliancetest.ReadOnlyClientSecret, "", appliance.Options{}, nil)
	_, err := c.CheckHealth(context.Background())
	require.NoError(t, err, "read_only may read")
	_, err = c.TerminateSession(context.Background(), appliancetest.SessionA)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Document Not Found")
	assert.Contains(t, err.Error(), "terminate_session needs perm_command full_access")
	assert.Contains(t, err.Error(), "brcsapi info shows what this account has")
}

func TestUserAccountsOffHintsAtAPIAccounts(t *testing.T) {
	s, c := standIn(t, "test", "test", appliance.Options{})
	s.Update(func(d *appliancetest.Data) { d.UserAccountsOff = true })
	_, err := c.APIInfo(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--client-id")
}

func certPEM(s *httptest.Server) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
}

func TestParseAPIInfoOfAnRS19APIAccount(t *testing.T) {
	// The shape of a real RS 19.1 API account's answer: nine permissions
	// in the SRA command namespace, no company_name.
	body := []byte(`<?xml version="1.0" encoding="UTF-8"?>

<api_information xmlns="http://www.beyondtrust.com/sra/namespaces/API/command"><api_version>1.19.0</api_version><timestamp>1574638362</timestamp><permissions>` +
		`<permission name="perm_command">full_access</permission><permission name="perm_reporting_support">1</permission>` +
		`<permission name="perm_reporting_license">1</permission><permission name="perm_reporting_vault">0</permission>` +
		`<permission name="perm_backup">0</permission><permission name="perm_vault_backup">0</permission>` +
		`<permission name="perm_ecm">0</permission><permission name="perm_scim">0</permission>` +
		`<permission name="perm_configuration">0</permission></permissions><user_id>7</user_id></api_information>`)
	info, err := appliance.ParseAPIInfo(body)
	require.NoError(t, err)
	assert.Len(t, info.Permissions, 9)
	assert.True(t, info.IsAPIAccount())
	assert.Equal(t, "http://www.beyondtrust.com/sra/namespaces/API/command", info.Namespace)
	can := map[string]bool{}
	for _, d := range info.Decide() {
		can[d.Workflow] = d.Can
	}
	assert.Equal(t, map[string]bool{appliance.WorkflowReadSessions: true, appliance.WorkflowWriteSessions: true, appliance.WorkflowHealth: true,
		appliance.WorkflowShortcuts: true, appliance.WorkflowBackup: false, appliance.WorkflowReports: true, appliance.WorkflowRecordings: true}, can)
	info.Permissions["perm_command"] = "deny"
	assert.False(t, info.Has("perm_command"))
}

func TestAPIAccountOnAnApplianceBeforeOAuth(t *testing.T) {
	s := appliancetest.NewTLS("support")
	t.Cleanup(s.Close)
	s.Update(func(d *appliancetest.Data) { d.NoOAuth = true })
	c := apiAccount(t, s, appliancetest.FullClient, appliancetest.FullClientSecret, "", appliance.Options{}, nil)
	_, err := c.APIInfo(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "predates API accounts")
	assert.Contains(t, err.Error(), "--username")
	assert.Len(t, s.Requests(), 1)
}

func TestRedactForStreamReaders(t *testing.T) {
	c, err := appliance.New("https://127.0.0.1:1", appliance.UserPassword{Username: "u", Password: "open-sesame"}, appliance.Options{})
	require.NoError(t, err)
	e := &appliance.Error{Call: "AccessSession", Kind: appliance.Refused, Message: "bad password open-sesame"}
	assert.Contains(t, e.Error(), "open-sesame")
	assert.NotContains(t, c.Redact(e).Error(), "open-sesame")
}
