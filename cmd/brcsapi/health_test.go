package main

import (
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

// TestNagiosTable checks the state table of the specification's section
// 10.3, row by row.
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
		h     healthCheck
		state int
		line  string
	}{
		{"probe 200, no credentials", healthCheck{Probe: ok}, nagiosOK,
			"BRCS API OK - access.example.com | response_time=0.120s"},
		{"probe 500", healthCheck{Probe: &appliance.Probe{Status: 500}}, nagiosCritical,
			"BRCS API CRITICAL - access.example.com: probe failed (HTTP 500) | response_time=0.000s"},
		{"unreachable", healthCheck{ProbeErr: down}, nagiosCritical,
			"BRCS API CRITICAL - access.example.com: unreachable: connection refused"},
		{"untrusted certificate", healthCheck{ProbeErr: certErr}, nagiosCritical,
			"BRCS API CRITICAL - access.example.com: certificate not trusted (give its CA with --ca-cert)"},
		{"other status", healthCheck{Probe: &appliance.Probe{Status: 404}}, nagiosUnknown,
			"BRCS API UNKNOWN - access.example.com: probe answered HTTP 404 | response_time=0.000s"},
		{"HTML", healthCheck{ProbeErr: &appliance.Error{Kind: appliance.APIDisabled, Err: errors.New("an HTML page")}}, nagiosUnknown,
			"BRCS API UNKNOWN - access.example.com: probe: an HTML page"},
		{"all well", healthCheck{Probe: ok, Checked: true, Health: healthy(nil), ExpectRole: "primary"}, nagiosOK,
			"BRCS API OK - access.example.com 15.3.1 (primary) | response_time=0.120s sync_age=95s;3600;21600;0"},
		{"success=0", healthCheck{Probe: ok, Checked: true, Health: healthy(func(h *appliance.Health) { h.Success, h.ErrorMessage = false, "Disk full" })}, nagiosCritical,
			"BRCS API CRITICAL - access.example.com 15.3.1 (primary): health check failed: Disk full | response_time=0.120s sync_age=95s;3600;21600;0"},
		{"unexpected role", healthCheck{Probe: ok, Checked: true, Health: healthy(nil), ExpectRole: "backup"}, nagiosWarning,
			"BRCS API WARNING - access.example.com 15.3.1 (primary): failover role is primary, expected backup | response_time=0.120s sync_age=95s;3600;21600;0"},
		{"sync age warning", healthCheck{Probe: ok, Checked: true, Health: healthy(func(h *appliance.Health) { h.LastSync = now.Add(-2 * time.Hour) })}, nagiosWarning,
			"BRCS API WARNING - access.example.com 15.3.1 (primary): last data sync 2h0m0s ago | response_time=0.120s sync_age=7200s;3600;21600;0"},
		{"sync age critical", healthCheck{Probe: ok, Checked: true, Health: healthy(func(h *appliance.Health) { h.LastSync = now.Add(-7 * time.Hour) })}, nagiosCritical,
			"BRCS API CRITICAL - access.example.com 15.3.1 (primary): last data sync 7h0m0s ago | response_time=0.120s sync_age=25200s;3600;21600;0"},
		{"sync status", healthCheck{Probe: ok, Checked: true, Health: healthy(func(h *appliance.Health) { h.LastSyncStatus = "failed" })}, nagiosWarning,
			"BRCS API WARNING - access.example.com 15.3.1 (primary): last data sync status failed | response_time=0.120s sync_age=95s;3600;21600;0"},
		{"no failover: no sync checks", healthCheck{Probe: ok, Checked: true, Health: healthy(func(h *appliance.Health) {
			h.FailoverRole, h.LastSync, h.LastSyncStatus = "none", time.Time{}, ""
		})}, nagiosOK, "BRCS API OK - access.example.com 15.3.1 (none) | response_time=0.120s"},
		{"auth failure", healthCheck{Probe: ok, Checked: true, HealthErr: &appliance.Error{Kind: appliance.Auth, Message: "Login failed"}}, nagiosUnknown,
			"BRCS API UNKNOWN - access.example.com: check_health refused: Login failed | response_time=0.120s"},
		{"permission missing", healthCheck{Probe: ok, Checked: true, HealthErr: &appliance.Error{Kind: appliance.Refused, Message: "Document Not Found"}}, nagiosUnknown,
			"BRCS API UNKNOWN - access.example.com: check_health refused: Document Not Found | response_time=0.120s"},
		{"worst wins", healthCheck{Probe: ok, Checked: true, ExpectRole: "backup", Health: healthy(func(h *appliance.Health) { h.Success = false })}, nagiosCritical,
			"BRCS API CRITICAL - access.example.com 15.3.1 (primary): health check failed: no message; failover role is primary, expected backup | response_time=0.120s sync_age=95s;3600;21600;0"},
	} {
		t.Run(c.row, func(t *testing.T) {
			c.h.Host, c.h.Now, c.h.SyncWarn, c.h.SyncCrit = "access.example.com", now, time.Hour, 6*time.Hour
			state, line := nagios(c.h)
			assert.Equal(t, c.state, state)
			assert.Equal(t, c.line, line)
		})
	}
}

// The README shows what the code does: the backup file name (host and
// port) and the OK line of health --nagios with its failover role.
func TestREADMEShowsBackupNameAndNagiosOK(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	readme := string(b)
	at := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC).Format(appliance.BackupStamp)
	for _, url := range []string{"https://access.example.com", "https://127.0.0.1:9443"} {
		assert.Contains(t, readme, "`"+appliance.BackupHost(url)+"-"+at+".nsb`", url)
	}
	// The OK line is the stand-in's: its version carries the build.
	sh := appliancetest.DefaultData().Health
	probe := &appliance.Probe{Status: 200, Healthy: true, Elapsed: 120 * time.Millisecond}
	_, line := nagios(healthCheck{Host: sh.Appliance, Probe: probe,
		Checked: true, Health: &appliance.Health{Appliance: sh.Appliance, Version: sh.Version, Success: sh.Success, FailoverRole: sh.FailoverRole}})
	assert.Contains(t, readme, "`"+line+"`")
	assert.Contains(t, line, "(none)")
	// The probe alone names the host and port.
	probe.Elapsed = 6 * time.Millisecond
	_, line = nagios(healthCheck{Host: applianceHost("https://127.0.0.1:9443"), Probe: probe})
	assert.Contains(t, readme, "the probe alone shows the host and port only: `"+line+"`")
}

// A huge value from the appliance is cut in the Nagios line, saying how
// much was left out: the line stays readable and within what Nagios keeps.
func TestNagiosLineBounded(t *testing.T) {
	huge := strings.Repeat("a|", 1<<19)
	_, line := nagios(healthCheck{Host: "access.example.com", Probe: &appliance.Probe{Status: 200, Healthy: true}, Checked: true, Now: time.Now(),
		Health: &appliance.Health{Appliance: huge, Version: "15.3.1", ErrorMessage: huge, FailoverRole: "none"}})
	assert.Less(t, len(line), 4096, "Nagios 3 keeps 4 KiB of a plugin's output: %s", line)
	assert.Equal(t, 1, strings.Count(line, "|"), line)
	assert.Contains(t, line, "more bytes not shown")
}
