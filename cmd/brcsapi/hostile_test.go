package main

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/apiconfig"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// Hostile values as an appliance (or a man in the middle) could send
// them: a new line that starts a forged line, '|' that starts forged
// perfdata, a C1 control (CSI, NEL) and a bidi override (RLO).
const (
	evilHost    = "evil|host\nBRCS API OK - forged"
	evilVersion = "15.3.1\u009b31m\u202e"
	evilMessage = "disk | full\nBRCS API OK - forged | fake=1"
	evilRole    = "primary\u0085x"
	evilStatus  = "fail|ed\u009b2J"
)

// xmlText writes s as XML character data, with references for what a
// parser would otherwise normalise (new lines in attributes).
func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\n", "&#10;").Replace(s)
}

// hostileTextAppliance is an httptest appliance whose every value is hostile;
// apiVersion is what get_api_info says.
func hostileTextAppliance(t *testing.T, apiVersion string) run {
	t.Helper()
	doc := func(w http.ResponseWriter, root, inner string) {
		w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<%s xmlns=\"http://www.bomgar.com/namespaces/API/command\">%s</%s>\n", root, inner, root)
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.URL.Path == "/check_health" {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<!DOCTYPE html><html><body>OK</body></html>")
			return
		}
		switch r.Form.Get("action") {
		case "check_health":
			doc(w, "health_check", fmt.Sprintf(`<appliance id="x">%s</appliance><version>%s</version><success>0</success>`+
				`<error_message>%s</error_message><failover_role>%s</failover_role>`+
				`<last_data_sync_time ts="1773144000">2026-03-10T12:00:00+00:00</last_data_sync_time><last_data_sync_status>%s</last_data_sync_status>`,
				xmlText(evilHost), xmlText(evilVersion), xmlText(evilMessage), xmlText(evilRole), xmlText(evilStatus)))
		case "get_session_attributes":
			doc(w, "custom_attributes", fmt.Sprintf(`<custom_attribute code_name="%s" display_name="%s">%s</custom_attribute>`,
				xmlText("code\u202eeman"), xmlText("Display|Name\nforged  row"), xmlText("val\u009bue\nsecond | line")))
		case "set_session_attributes", "terminate_session":
			doc(w, "success", xmlText("Done\u202e\u009b | forged"))
		case "get_api_info":
			doc(w, "api_information", fmt.Sprintf(`<api_version>%s</api_version><user_id>1</user_id><permissions><perm_admin>1</perm_admin></permissions>`, xmlText(apiVersion)))
		case "import_jump_shortcut":
			if strings.HasPrefix(r.Form.Get("local_jump_hostname"), "bad") {
				doc(w, "error", xmlText("refused\u202e|\nLINE  KIND  forged  row"))
				return
			}
			doc(w, "success", xmlText("Imported\u009b | \u202eforged"))
		default:
			doc(w, "error", "unknown action")
		}
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))
	cfg := filepath.Join(dir, "brcsapi.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("appliance: "+srv.URL+"\nca_cert: "+ca+"\n"), 0o600))
	return run{vars: map[string]string{apiconfig.EnvConfig: cfg, apiconfig.EnvUsername: "test", apiconfig.EnvPassword: "test"}}
}

// assertShownSafely checks text output for people: every line holds only
// what textsafe leaves as it is, and none is a forged line.
func assertShownSafely(t *testing.T, what, text string) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		assert.True(t, textsafe.Clean(line), "%s, line %d holds what needs escaping: %q", what, i+1, line)
		for _, forged := range []string{"BRCS API OK - forged", "second | line", "forged  row", "LINE  KIND  forged"} {
			assert.False(t, strings.HasPrefix(strings.TrimSpace(line), forged), "%s, line %d is forged: %q", what, i+1, line)
		}
	}
}

// Every text output of health, session and shortcut import escapes
// what the appliance sent, and the Nagios line stays one line with one
// '|' before the perfdata.
func TestHostileApplianceTextOutput(t *testing.T) {
	r := hostileTextAppliance(t, "1.14.0")
	for _, c := range []struct {
		args   []string
		status int
	}{{[]string{"health", "--nagios"}, nagiosCritical}, {[]string{"health"}, 1}, {[]string{"health", "--nagios", "--expect-role", "backup"}, nagiosCritical}} {
		o := r.do(t, c.args...)
		name := strings.Join(c.args, " ")
		assert.Equal(t, c.status, o.status, "%s: %s", name, o.stderr)
		require.Equal(t, 1, strings.Count(o.stdout, "\n"), "%s: one line: %q", name, o.stdout)
		assert.Equal(t, 1, strings.Count(o.stdout, "|"), "%s: one '|', then the perfdata: %q", name, o.stdout)
		assert.Regexp(t, `^BRCS API CRITICAL - [^|]*health check failed: disk \\x7c full BRCS API OK - forged \\x7c fake=1[^|]* \| response_time=[0-9.]+s sync_age=\d+s;3600;21600;0\n$`, o.stdout, name)
		assert.Contains(t, o.stdout, `evil\x7chost\nBRCS API OK - forged 15.3.1\x9b31m\u202e (primary\x85x)`, name)
		assert.Contains(t, o.stdout, `last data sync status fail\x7ced\x9b2J`, name)
		assertShownSafely(t, name, o.stdout+o.stderr)
	}

	o := r.do(t, "session", "attrs", appliancetest.SessionA)
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, 2, strings.Count(o.stdout, "\n"), "a header and one row: %q", o.stdout)
	assert.Contains(t, o.stdout, `code\u202eeman  Display|Name\nforged  row  val\x9bue\nsecond | line`)
	assertShownSafely(t, "session attrs", o.stdout+o.stderr)

	for _, args := range [][]string{{"session", "set", appliancetest.SessionA, "--external-key", "K"}, {"session", "terminate", "--yes", appliancetest.SessionA}} {
		o = r.do(t, args...)
		require.Equal(t, 0, o.status, o.stderr)
		assert.Equal(t, "Done\\u202e\\x9b | forged\n", o.stdout)
		assertShownSafely(t, strings.Join(args[:2], " "), o.stdout+o.stderr)
	}

	o = r.do(t, "shortcut", "import", "local", "--hostname", "h1", "--group", "remote_access")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, "Imported\\x9b | \\u202eforged\n", o.stdout)
	assertShownSafely(t, "shortcut import local", o.stdout+o.stderr)

	csvFile := filepath.Join(t.TempDir(), "shortcuts.csv")
	require.NoError(t, os.WriteFile(csvFile, []byte("kind,hostname,group\nlocal,h1,remote_access\nlocal,bad1,remote_access\n"), 0o600))
	o = r.do(t, "shortcut", "import", "--csv", csvFile)
	assert.Equal(t, 1, o.status, "a failed row exits 1")
	assert.Equal(t, 3, strings.Count(o.stdout, "\n"), "a header and two rows: %q", o.stdout)
	assert.Contains(t, o.stdout, `failed: refused\u202e| LINE KIND forged row`)
	assertShownSafely(t, "shortcut import --csv", o.stdout+o.stderr)

	// An API version that is not 1.14.0, with a line of its own in it.
	r = hostileTextAppliance(t, "1.13.0\nBRCS API OK - forged\u202e")
	o = r.do(t, "shortcut", "import", "local", "--hostname", "h1", "--group", "remote_access")
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stderr, `the appliance's API is "1.13.0\nBRCS API OK - forged\u202e"; import_jump_shortcut needs 1.14.0`)
	assertShownSafely(t, "shortcut import, old version", o.stdout+o.stderr)
}

// health --json is data for programs: the appliance's values exact, as
// encoding/json escapes them, never stripped or rewritten.
func TestHostileApplianceHealthJSON(t *testing.T) {
	r := hostileTextAppliance(t, "1.14.0")
	o := r.do(t, "--json", "health")
	assert.Equal(t, 1, o.status, o.stderr)
	var got struct {
		Probe struct {
			Status         int     `json:"status"`
			Healthy        bool    `json:"healthy"`
			ElapsedSeconds float64 `json:"elapsed_seconds"`
		} `json:"probe"`
		Health struct {
			Appliance      string `json:"appliance"`
			Version        string `json:"version"`
			FailoverRole   string `json:"failover_role"`
			LastSyncStatus string `json:"last_data_sync_status"`
			LastSync       string `json:"last_data_sync_time"`
		} `json:"check_health"`
		State string `json:"state"`
	}
	require.NoError(t, json.Unmarshal([]byte(o.stdout), &got), o.stdout)
	assert.Equal(t, evilHost, got.Health.Appliance)
	assert.Equal(t, evilVersion, got.Health.Version)
	assert.Equal(t, evilRole, got.Health.FailoverRole)
	assert.Equal(t, evilStatus, got.Health.LastSyncStatus)
	assert.Equal(t, "2026-03-10T12:00:00Z", got.Health.LastSync)
	assert.Equal(t, "CRITICAL", got.State)
	assert.Equal(t, 200, got.Probe.Status)
	assert.True(t, got.Probe.Healthy)
	assert.Greater(t, got.Probe.ElapsedSeconds, 0.0)
	assert.Less(t, got.Probe.ElapsedSeconds, 60.0, "seconds, not nanoseconds")
}
