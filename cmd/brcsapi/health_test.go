package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/monitor"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

// nagiosCritical is the exit status of health --nagios for CRITICAL.
const nagiosCritical = int(monitor.Critical)

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
	line := monitor.Check{Host: sh.Appliance, Probe: probe,
		Checked: true, Health: &appliance.Health{Appliance: sh.Appliance, Version: sh.Version, Success: sh.Success, FailoverRole: sh.FailoverRole}}.Verdict().Line
	assert.Contains(t, readme, "`"+line+"`")
	assert.Contains(t, line, "(none)")
	// The probe alone names the host and port.
	probe.Elapsed = 6 * time.Millisecond
	line = monitor.Check{Host: monitor.Host("https://127.0.0.1:9443"), Probe: probe}.Verdict().Line
	assert.Contains(t, readme, "the probe alone shows the host and port only: `"+line+"`")
}

// A role no appliance reports is refused before anything is asked: a
// usage error, or with --nagios an UNKNOWN line.
func TestHealthRefusesAnUnknownRole(t *testing.T) {
	o := run{}.do(t, "--appliance", "https://127.0.0.1:1", "health", "--expect-role", "secondary")
	assert.Equal(t, 2, o.status, o.stderr)
	assert.Contains(t, o.stderr, `--expect-role "secondary": use none, primary or backup`)
	o = run{}.do(t, "--appliance", "https://127.0.0.1:1", "health", "--nagios", "--expect-role", "secondary")
	assert.Equal(t, 3, o.status, o.stderr)
	assert.Equal(t, "BRCS API UNKNOWN - --expect-role \"secondary\": use none, primary or backup\n", o.stdout)
}
