package monitor_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/monitor"
	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/testutil/standin"
)

// TestNagiosTable checks the Nagios states of health, row by row: what
// each probe answer, check_health answer and failover state comes to.
func TestNagiosTable(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	ok := &appliance.Probe{Status: 200, Healthy: true, Elapsed: 120 * time.Millisecond}
	healthy := func(f func(*appliance.Health)) *appliance.Health {
		h := &appliance.Health{Appliance: "access.example.com", Version: "15.3.1", Success: true, FailoverRole: "primary",
			LastSync: now.Add(-95 * time.Second), LastSyncStatus: "success"}
		if f != nil {
			f(h)
		}
		return h
	}
	certErr := &appliance.Error{Kind: appliance.Certificate, Err: x509.UnknownAuthorityError{}}
	down := &appliance.Error{Kind: appliance.Transport, Err: errors.New("connection refused")}
	for _, c := range []struct {
		row   string
		h     monitor.Check
		state monitor.State
		line  string
	}{
		{"probe 200, no credentials", monitor.Check{Probe: ok}, monitor.OK,
			"BRCS API OK - access.example.com | response_time=0.120s"},
		{"probe 500", monitor.Check{Probe: &appliance.Probe{Status: 500}}, monitor.Critical,
			"BRCS API CRITICAL - access.example.com: probe failed (HTTP 500) | response_time=0.000s"},
		{"unreachable", monitor.Check{ProbeErr: down}, monitor.Critical,
			"BRCS API CRITICAL - access.example.com: unreachable: connection refused"},
		{"untrusted certificate", monitor.Check{ProbeErr: certErr}, monitor.Critical,
			"BRCS API CRITICAL - access.example.com: certificate not trusted (give its CA with --ca-cert)"},
		{"other status", monitor.Check{Probe: &appliance.Probe{Status: 404}}, monitor.Unknown,
			"BRCS API UNKNOWN - access.example.com: probe answered HTTP 404 | response_time=0.000s"},
		{"HTML", monitor.Check{ProbeErr: &appliance.Error{Kind: appliance.APIDisabled, Err: errors.New("an HTML page")}}, monitor.Unknown,
			"BRCS API UNKNOWN - access.example.com: probe: an HTML page"},
		{"all well", monitor.Check{Probe: ok, Checked: true, Health: healthy(nil), ExpectRole: "primary"}, monitor.OK,
			"BRCS API OK - access.example.com 15.3.1 (primary) | response_time=0.120s sync_age=95s;3600;21600;0"},
		{"success=0", monitor.Check{Probe: ok, Checked: true, Health: healthy(func(h *appliance.Health) { h.Success, h.ErrorMessage = false, "Disk full" })}, monitor.Critical,
			"BRCS API CRITICAL - access.example.com 15.3.1 (primary): health check failed: Disk full | response_time=0.120s sync_age=95s;3600;21600;0"},
		{"unexpected role", monitor.Check{Probe: ok, Checked: true, Health: healthy(nil), ExpectRole: "backup"}, monitor.Warning,
			"BRCS API WARNING - access.example.com 15.3.1 (primary): failover role is primary, expected backup | response_time=0.120s sync_age=95s;3600;21600;0"},
		{"sync age warning", monitor.Check{Probe: ok, Checked: true, Health: healthy(func(h *appliance.Health) { h.LastSync = now.Add(-2 * time.Hour) })}, monitor.Warning,
			"BRCS API WARNING - access.example.com 15.3.1 (primary): last data sync 2h0m0s ago | response_time=0.120s sync_age=7200s;3600;21600;0"},
		{"sync age critical", monitor.Check{Probe: ok, Checked: true, Health: healthy(func(h *appliance.Health) { h.LastSync = now.Add(-7 * time.Hour) })}, monitor.Critical,
			"BRCS API CRITICAL - access.example.com 15.3.1 (primary): last data sync 7h0m0s ago | response_time=0.120s sync_age=25200s;3600;21600;0"},
		{"sync status", monitor.Check{Probe: ok, Checked: true, Health: healthy(func(h *appliance.Health) { h.LastSyncStatus = "failed" })}, monitor.Warning,
			"BRCS API WARNING - access.example.com 15.3.1 (primary): last data sync status failed | response_time=0.120s sync_age=95s;3600;21600;0"},
		{"no failover: no sync checks", monitor.Check{Probe: ok, Checked: true, Health: healthy(func(h *appliance.Health) {
			h.FailoverRole, h.LastSync, h.LastSyncStatus = "none", time.Time{}, ""
		})}, monitor.OK, "BRCS API OK - access.example.com 15.3.1 (none) | response_time=0.120s"},
		{"auth failure", monitor.Check{Probe: ok, Checked: true, HealthErr: &appliance.Error{Kind: appliance.Auth, Message: "Login failed"}}, monitor.Unknown,
			"BRCS API UNKNOWN - access.example.com: check_health refused: Login failed | response_time=0.120s"},
		{"permission missing", monitor.Check{Probe: ok, Checked: true, HealthErr: &appliance.Error{Kind: appliance.Refused, Message: "Document Not Found"}}, monitor.Unknown,
			"BRCS API UNKNOWN - access.example.com: check_health refused: Document Not Found | response_time=0.120s"},
		{"worst wins", monitor.Check{Probe: ok, Checked: true, ExpectRole: "backup", Health: healthy(func(h *appliance.Health) { h.Success = false })}, monitor.Critical,
			"BRCS API CRITICAL - access.example.com 15.3.1 (primary): health check failed: no message; failover role is primary, expected backup | response_time=0.120s sync_age=95s;3600;21600;0"},
	} {
		t.Run(c.row, func(t *testing.T) {
			c.h.Host, c.h.Now, c.h.SyncWarn, c.h.SyncCrit = "access.example.com", now, time.Hour, 6*time.Hour
			v := c.h.Verdict()
			assert.Equal(t, c.state, v.State)
			assert.Equal(t, c.line, v.Line)
		})
	}
}

// A huge value from the appliance is cut in the Nagios line, saying how
// much was left out: the line stays readable and within what Nagios keeps.
func TestNagiosLineBounded(t *testing.T) {
	huge := strings.Repeat("a|", 1<<19)
	line := monitor.Check{Host: "access.example.com", Probe: &appliance.Probe{Status: 200, Healthy: true}, Checked: true, Now: time.Now(),
		Health: &appliance.Health{Appliance: huge, Version: "15.3.1", ErrorMessage: huge, FailoverRole: "none"}}.Verdict().Line
	assert.Less(t, len(line), 4096, "Nagios 3 keeps 4 KiB of a plugin's output: %s", line)
	assert.Equal(t, 1, strings.Count(line, "|"), line)
	assert.Contains(t, line, "more bytes not shown")
}

// A state's word is Nagios's, and its value the plugin's exit code.
func TestStateWordsAndExitCodes(t *testing.T) {
	for _, c := range []struct {
		state monitor.State
		word  string
		code  int
	}{{monitor.OK, "OK", 0}, {monitor.Warning, "WARNING", 1}, {monitor.Critical, "CRITICAL", 2}, {monitor.Unknown, "UNKNOWN", 3}} {
		assert.Equal(t, c.word, c.state.String())
		assert.Equal(t, c.code, int(c.state))
	}
	assert.Equal(t, "State(7)", monitor.State(7).String())
}

// The verdict's parts are the line's: every reason in the order found,
// escaped, and the perfdata values one by one.
func TestVerdictParts(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	v := monitor.Check{Host: "access.example.com", Probe: &appliance.Probe{Status: 200, Healthy: true, Elapsed: 120 * time.Millisecond},
		Checked: true, ExpectRole: "backup", SyncWarn: time.Hour, SyncCrit: 6 * time.Hour, Now: now,
		Health: &appliance.Health{Appliance: "access.example.com", Version: "15.3.1", FailoverRole: "primary",
			ErrorMessage: "disk | full\nBRCS API OK", LastSync: now.Add(-2 * time.Hour), LastSyncStatus: "failed"}}.Verdict()
	assert.Equal(t, monitor.Critical, v.State)
	assert.Equal(t, []string{`health check failed: disk \x7c full\nBRCS API OK`, "failover role is primary, expected backup",
		"last data sync 2h0m0s ago", "last data sync status failed"}, v.Reasons)
	assert.Equal(t, []string{"response_time=0.120s", "sync_age=7200s;3600;21600;0"}, v.Perfdata)
	assert.Equal(t, "BRCS API CRITICAL - access.example.com 15.3.1 (primary): "+strings.Join(v.Reasons, "; ")+" | "+strings.Join(v.Perfdata, " "), v.Line)
}

// A Check with answers missing is UNKNOWN, saying which, not a panic; an
// expected role from the caller is escaped like any outside value.
func TestVerdictMissingAnswers(t *testing.T) {
	v := monitor.Check{Host: "access.example.com"}.Verdict()
	assert.Equal(t, monitor.Unknown, v.State)
	assert.Equal(t, "BRCS API UNKNOWN - access.example.com: no probe was made", v.Line)

	v = monitor.Check{Host: "access.example.com", Probe: &appliance.Probe{Status: 200, Healthy: true}, Checked: true}.Verdict()
	assert.Equal(t, monitor.Unknown, v.State)
	assert.Equal(t, "BRCS API UNKNOWN - access.example.com: check_health: no answer | response_time=0.000s", v.Line)

	v = monitor.Check{Host: "h", Probe: &appliance.Probe{Status: 200}, Checked: true, ExpectRole: "a|b\n",
		Health: &appliance.Health{Appliance: "h", Version: "1", Success: true, FailoverRole: "none"}}.Verdict()
	assert.Equal(t, monitor.Warning, v.State)
	assert.Equal(t, `BRCS API WARNING - h 1 (none): failover role is none, expected a\x7cb\n | response_time=0.000s`, v.Line)
}

// The verdict of a check that could not be made is UNKNOWN, the error's
// text escaped as the line's detail.
func TestErrorVerdict(t *testing.T) {
	v := monitor.ErrorVerdict(errors.New("give the appliance\nBRCS API OK - forged | x=1"))
	assert.Equal(t, monitor.Unknown, v.State)
	assert.Equal(t, `BRCS API UNKNOWN - give the appliance\nBRCS API OK - forged \x7c x=1`, v.Line)
	assert.Equal(t, []string{`give the appliance\nBRCS API OK - forged \x7c x=1`}, v.Reasons)
	assert.Empty(t, v.Perfdata)
	assert.Equal(t, "BRCS API UNKNOWN - no error given", monitor.ErrorVerdict(nil).Line)
}

func TestHost(t *testing.T) {
	for base, host := range map[string]string{
		"https://access.example.com": "access.example.com",
		"https://127.0.0.1:9443":     "127.0.0.1:9443",
		"https://[2001:db8::1]:9443": "[2001:db8::1]:9443",
		"access.example.com":         "access.example.com",
	} {
		assert.Equal(t, host, monitor.Host(base), base)
	}
}

// Result is the shape health --json writes: these keys, seconds, RFC 3339
// times, values exact; keys without a value left out.
func TestResultJSON(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	c := monitor.Check{Host: "access.example.com", Probe: &appliance.Probe{Status: 200, Healthy: true, Message: "OK\u202e", Elapsed: 1500 * time.Millisecond},
		Checked: true, Now: now, Health: &appliance.Health{Appliance: "access.example.com", ApplianceID: "g", Version: "15.3.1", Success: true,
			FailoverRole: "primary", LastSync: now.Add(-time.Minute), LastSyncStatus: "success", Namespace: "ns"}}
	b, err := json.Marshal(c.Result())
	require.NoError(t, err)
	assert.Equal(t, `{"probe":{"status":200,"healthy":true,"message":"OK`+"\u202e"+`","elapsed_seconds":1.5},`+
		`"check_health":{"appliance":"access.example.com","appliance_id":"g","version":"15.3.1","success":true,"failover_role":"primary",`+
		`"last_data_sync_time":"2026-03-10T11:59:00Z","last_data_sync_status":"success","namespace":"ns"},`+
		`"state":"OK","summary":"BRCS API OK - access.example.com 15.3.1 (primary) | response_time=1.500s sync_age=60s;0;0;0"}`, string(b))

	down := &appliance.Error{Kind: appliance.Transport, Err: errors.New("connection refused")}
	b, err = json.Marshal(monitor.Check{Host: "h", ProbeErr: down}.Result())
	require.NoError(t, err)
	assert.Equal(t, `{"probe_error":"`+down.Error()+`","state":"CRITICAL","summary":"BRCS API CRITICAL - h: unreachable: connection refused"}`, string(b))

	b, err = json.Marshal(monitor.Check{Host: "h", Probe: &appliance.Probe{Status: 200}, Checked: true,
		HealthErr: &appliance.Error{Kind: appliance.Auth, Message: "Login failed"}}.Result())
	require.NoError(t, err)
	assert.Contains(t, string(b), `"check_health_error":"`)
	assert.NotContains(t, string(b), `"check_health":`)
}

// Ask probes, asks check_health only with an account and when the probe
// answered (a 500 too), and names the host from the client.
func TestAskAgainstStandIn(t *testing.T) {
	s, cl := standin.Start(t)
	u, err := url.Parse(s.URL)
	require.NoError(t, err)
	ctx := context.Background()
	healthAsked := func() int {
		n := 0
		for _, r := range s.Requests() {
			if r.Form.Get("action") == "check_health" {
				n++
			}
		}
		return n
	}

	c := monitor.Check{Checked: true}
	c.Ask(ctx, cl)
	require.NoError(t, c.ProbeErr)
	require.NoError(t, c.HealthErr)
	assert.Equal(t, u.Host, c.Host)
	assert.False(t, c.Now.IsZero())
	assert.Equal(t, 200, c.Probe.Status)
	assert.Equal(t, "15.3.1 (12345-749b17ca)", c.Health.Version)
	assert.Equal(t, monitor.OK, c.Verdict().State, c.Verdict().Line)
	assert.Equal(t, 1, healthAsked())

	c = monitor.Check{Host: "given", Now: time.Unix(1, 0)}
	c.Ask(ctx, cl)
	assert.Equal(t, "given", c.Host)
	assert.Equal(t, time.Unix(1, 0), c.Now)
	assert.Nil(t, c.Health)
	assert.Equal(t, 1, healthAsked(), "no account: the probe alone")

	s.Update(func(d *appliancetest.Data) { d.Health.Success = false })
	c = monitor.Check{Checked: true}
	c.Ask(ctx, cl)
	assert.Equal(t, 500, c.Probe.Status)
	require.NotNil(t, c.Health, "a probe that answered, 500 too: check_health is asked, its answer kept for Result")
	assert.False(t, c.Health.Success)
	assert.Equal(t, 2, healthAsked())
	assert.Equal(t, monitor.Critical, c.Verdict().State)
	assert.NotContains(t, c.Verdict().Line, "health check failed", "after a CRITICAL probe, check_health is not judged")

	ctx, cancel := context.WithCancel(ctx)
	cancel()
	c = monitor.Check{Checked: true}
	c.Ask(ctx, cl)
	assert.ErrorIs(t, c.ProbeErr, context.Canceled)
	assert.Equal(t, monitor.Unknown, c.Verdict().State, c.Verdict().Line)

	signalled := errors.New("interrupted by SIGINT")
	ctx, cancelCause := context.WithCancelCause(context.Background())
	cancelCause(signalled)
	c = monitor.Check{Checked: true}
	c.Ask(ctx, cl)
	assert.Same(t, signalled, c.ProbeErr, "the cause, not context canceled")
	assert.Contains(t, c.Verdict().Line, "interrupted by SIGINT")
}

func TestCheckRole(t *testing.T) {
	for _, r := range monitor.Roles() {
		assert.NoError(t, monitor.CheckRole(r))
	}
	assert.EqualError(t, monitor.CheckRole("secondary"), `"secondary": use none, primary or backup`)
	assert.Error(t, monitor.CheckRole(""), "no role is not a role")
}
