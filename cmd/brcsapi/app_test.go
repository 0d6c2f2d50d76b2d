package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/apiconfig"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
)

type out struct {
	status         int
	stdout, stderr string
}

// run is one in-process brcsapi run with an environment of vars, the
// clock at now, and stdin.
type run struct {
	vars     map[string]string
	now      time.Time
	stdin    string
	terminal bool
	ctx      context.Context
}

func (r run) do(t testing.TB, args ...string) out {
	t.Helper()
	var o, e bytes.Buffer
	ev := cliutil.Env{Stdin: strings.NewReader(r.stdin), Stdout: &o, Stderr: &e,
		Getenv: func(k string) string { return r.vars[k] },
		Now: func() time.Time {
			if r.now.IsZero() {
				return time.Now()
			}
			return r.now
		},
		Terminal: func(any) bool { return r.terminal },
		Context:  r.ctx,
	}
	status := Main(append([]string{"brcsapi"}, args...), ev)
	return out{status, o.String(), e.String()}
}

// standIn starts a stand-in and returns it with a run whose environment
// points at it as the admin "test".
func standIn(t testing.TB) (*appliancetest.Server, run) {
	t.Helper()
	s := appliancetest.NewTLS("support")
	t.Cleanup(s.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, s.CACertPEM(), 0o600))
	cfg := filepath.Join(t.TempDir(), "brcsapi.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("appliance: "+s.URL+"\nca_cert: "+ca+"\n"), 0o600))
	return s, run{vars: map[string]string{apiconfig.EnvConfig: cfg, apiconfig.EnvUsername: "test", apiconfig.EnvPassword: "test"}}
}

func TestInfo(t *testing.T) {
	s, r := standIn(t)
	o := r.do(t, "info")
	require.Equal(t, 0, o.status, o.stderr)
	for _, want := range []string{"API version      1.14.0", "user id          1", "perm_admin               1", "can     import Jump shortcuts",
		"cannot  join sessions: the guide lists join_session but never documents it"} {
		assert.Contains(t, o.stdout, want)
	}
	r.vars[apiconfig.EnvUsername] = appliancetest.ReportUser
	r.vars[apiconfig.EnvPassword] = "reporter-pw"
	o = r.do(t, "--json", "info")
	require.Equal(t, 0, o.status, o.stderr)
	var got struct {
		Version   string `json:"api_version"`
		Workflows []struct {
			What    string   `json:"workflow"`
			Can     bool     `json:"can"`
			Missing []string `json:"missing"`
		} `json:"workflows"`
	}
	require.NoError(t, json.Unmarshal([]byte(o.stdout), &got))
	assert.Equal(t, "1.14.0", got.Version)
	assert.False(t, got.Workflows[0].Can)
	assert.Equal(t, []string{"perm_admin", "perm_use_command_api"}, got.Workflows[0].Missing)
	require.Len(t, got.Workflows, 7)
	assert.Equal(t, appliance.WorkflowReports, got.Workflows[5].What)
	assert.True(t, got.Workflows[5].Can, "reports")
	assert.Equal(t, appliance.WorkflowRecordings, got.Workflows[6].What)
	assert.False(t, got.Workflows[6].Can, "recordings")
	s.Update(func(d *appliancetest.Data) { d.APIVersion = "1.13.0" })
	r.vars[apiconfig.EnvUsername], r.vars[apiconfig.EnvPassword] = "test", "test"
	o = r.do(t, "info")
	assert.Contains(t, o.stdout, "cannot  import Jump shortcuts  (needs API 1.14.0)")
	assert.False(t, s.PasswordInAnyURL())
}

func TestCredentialsNeverFromArguments(t *testing.T) {
	_, r := standIn(t)
	o := r.do(t, "--password", "test", "info")
	assert.Equal(t, 2, o.status)
	delete(r.vars, apiconfig.EnvPassword)
	o = r.do(t, "info")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "--password-file FILE, --password-stdin or $BRCSAPI_PASSWORD (never an argument)")
	r.stdin = "test\n"
	o = r.do(t, "--password-stdin", "info")
	assert.Equal(t, 0, o.status, o.stderr)
	pw := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pw, []byte("wrong\n"), 0o600))
	o = r.do(t, "--password-file", pw, "info")
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stderr, "Login failed")
	assert.NotContains(t, o.stderr+o.stdout, "wrong")
	o = r.do(t, "--password-file", pw, "--password-stdin", "info")
	assert.Equal(t, 2, o.status)
}

func TestGetMethodWarns(t *testing.T) {
	s, r := standIn(t)
	o := r.do(t, "--method", "get", "info")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Contains(t, o.stderr, "warning: --method get puts the password in the URL")
	assert.True(t, s.PasswordInAnyURL())
}

func TestVerboseTraceHoldsNoSecret(t *testing.T) {
	_, r := standIn(t)
	r.vars[apiconfig.EnvPassword] = "test-secret-pw"
	o := r.do(t, "--verbose", "info")
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stderr, "POST https://127.0.0.1")
	assert.Contains(t, o.stderr, "[username password action]")
	assert.NotContains(t, o.stderr+o.stdout, "test-secret-pw")
}

func TestHealthNagiosAgainstStandIn(t *testing.T) {
	s, r := standIn(t)
	o := r.do(t, "health", "--nagios")
	assert.Equal(t, 0, o.status, o.stderr)
	assert.Regexp(t, `^BRCS API OK - access.example.com 15.3.1 \(12345-749b17ca\) \(none\) \| response_time=[0-9.]+s\n$`, o.stdout)
	delete(r.vars, apiconfig.EnvUsername)
	o = r.do(t, "health", "--nagios")
	assert.Equal(t, 0, o.status, "the probe alone needs no credentials")
	assert.Regexp(t, `^BRCS API OK - 127\.0\.0\.1:\d+ \| response_time=[0-9.]+s\n$`, o.stdout, "the probe alone names the host and port, not the URL")
	assert.Empty(t, s.Requests()[len(s.Requests())-1].Form)
	s.Update(func(d *appliancetest.Data) { d.Health.Success = false })
	o = r.do(t, "health", "--nagios")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stdout, "BRCS API CRITICAL - ")
	assert.Contains(t, o.stdout, "probe failed (HTTP 500)")
	o = r.do(t, "health")
	assert.Equal(t, 1, o.status)
	delete(r.vars, apiconfig.EnvConfig)
	o = r.do(t, "health", "--nagios")
	assert.Equal(t, 3, o.status, "no appliance given: UNKNOWN")
	assert.Contains(t, o.stdout, "BRCS API UNKNOWN - give the appliance")
}

func TestSessionSetAttrsTerminate(t *testing.T) {
	s, r := standIn(t)
	lsid := appliancetest.SessionA
	o := r.do(t, "session", "set", lsid, "--external-key", "INC 7 & +1", "--custom", "priority=high")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, "Session attributes were set\n", o.stdout)
	o = r.do(t, "session", "attrs", lsid)
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, "CODE NAME     DISPLAY NAME  VALUE\nexternal_key  External Key  INC 7 & +1\npriority      Priority      high\n", o.stdout)
	o = r.do(t, "session", "set", "--clear", "priority", lsid)
	require.Equal(t, 0, o.status, o.stderr)
	o = r.do(t, "--json", "session", "attrs", lsid)
	assert.JSONEq(t, `[{"code_name":"external_key","display_name":"External Key","value":"INC 7 & +1"}]`, o.stdout)

	// The appliance's values are shown escaped.
	s.Update(func(d *appliancetest.Data) { d.Sessions[lsid].Attrs["priority"] = "evil\u202etxt.exe\u0085" })
	o = r.do(t, "session", "attrs", lsid)
	require.Equal(t, 0, o.status, o.stderr)
	assert.Contains(t, o.stdout, `priority      Priority      evil\u202etxt.exe\x85`)
	assert.NotContains(t, o.stdout, "\u202e")
	o = r.do(t, "session", "set", "--clear", "priority", lsid)
	require.Equal(t, 0, o.status, o.stderr)

	n := len(s.Requests())
	for _, args := range [][]string{
		{"session", "set", lsid, "--external-key", "A\x1b[31m"},
		{"session", "set", lsid, "--custom", "priority=x\u202ey"},
		{"session", "set", lsid, "--custom", "priority"},
		{"session", "set", lsid, "--custom", "bad\x1bname=x"},
		{"session", "set", lsid, "--external-key", ""},
		{"session", "set", lsid},
		{"session", "set", "NOTANLSID", "--external-key", "x"},
		{"session", "terminate", lsid},
	} {
		o = r.do(t, args...)
		assert.Equal(t, 2, o.status, "%v: %s", args, o.stderr)
	}
	assert.Len(t, s.Requests(), n, "refused before sending")

	r.terminal, r.stdin = true, "n\n"
	o = r.do(t, "session", "terminate", lsid)
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stderr, "terminate session "+lsid+"? [y/N]")
	r.stdin = "y\n"
	o = r.do(t, "session", "terminate", lsid)
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, "Successfully terminated\n", o.stdout)
	r.terminal = false
	o = r.do(t, "session", "terminate", "--yes", lsid)
	assert.Equal(t, 1, o.status, "gone now")
	assert.Contains(t, o.stderr, "Session not found or not active")
}

// With standard input not a terminal (here /dev/null, a character device
// but no terminal), terminate asks nothing and refuses at once.
func TestTerminateOffATerminalRefusesAtOnce(t *testing.T) {
	null, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer null.Close()
	var o, e bytes.Buffer
	status := Main([]string{"brcsapi", "session", "terminate", appliancetest.SessionA}, cliutil.Env{Stdin: null, Stdout: &o, Stderr: &e})
	assert.Equal(t, 2, status, e.String())
	assert.Contains(t, e.String(), "standard input is not a terminal")
	assert.Contains(t, e.String(), "pass --yes")
	assert.NotContains(t, e.String(), "[y/N]", "no question nobody can answer")
	assert.NotContains(t, e.String(), "not terminated")
}

func TestShortcutImportFlags(t *testing.T) {
	s, r := standIn(t)
	o := r.do(t, "shortcut", "import", "shell", "--hostname", "ABCDEF02", "--jumpoint", "London", "--protocol", "ssh",
		"--group", "remote_access", "--endpoint-username", "admin", "--port", "25", "--terminal", "vt100", "--keep-alive", "120")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, "Successfully imported Jump Item shortcut\n", o.stdout)
	s.View(func(d *appliancetest.Data) {
		require.Len(t, d.Shortcuts, 1)
		assert.Equal(t, map[string]string{"shelljump_hostname": "ABCDEF02", "jumpoint": "London", "protocol": "ssh", "group": "remote_access",
			"shelljump_username": "admin", "port": "25", "terminal": "vt100", "keep_alive": "120"}, d.Shortcuts[0])
	})
	n := len(s.Requests())
	o = r.do(t, "shortcut", "import", "rdp", "--hostname", "h", "--group", "g", "--jumpoint", "j", "--quality", "best")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, `--quality "best": use low, best_perf, perf_and_qual or best_qual`)
	o = r.do(t, "shortcut", "import", "local", "--hostname", "h", "--group", "g", "--port", "22")
	assert.Equal(t, 2, o.status, "local has no --port flag")
	assert.Len(t, s.Requests(), n)
	s.Update(func(d *appliancetest.Data) { d.APIVersion = "1.13.0" })
	o = r.do(t, "shortcut", "import", "local", "--hostname", "h", "--group", "remote_access")
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stderr, "the appliance's API is 1.13.0; import_jump_shortcut needs 1.14.0 or later")
}

const shortcutCSV = `kind,hostname,jumpoint,group,protocol,port,quality,tag
local,web01,,remote_access,,,,Frequent Access
shell,db01,London,remote_access,ssh,2222,,
rdp,win01,London,remote_access,,,best,
remote,app01,Tokyo,remote_access,,,,
shell,db02,London,remote_access,telnet,,,
`

func TestShortcutCSV(t *testing.T) {
	s, r := standIn(t)
	path := filepath.Join(t.TempDir(), "shortcuts.csv")
	require.NoError(t, os.WriteFile(path, []byte(shortcutCSV), 0o600))
	o := r.do(t, "shortcut", "import", "--csv", path, "--dry-run")
	assert.Equal(t, 1, o.status, "a row would be refused")
	assert.Empty(t, s.Requests(), "a dry run sends nothing")
	assert.Equal(t, `LINE  KIND    HOSTNAME  OUTCOME
2     local   web01     would be sent
3     shell   db01      would be sent
4     rdp     win01     refused: --quality "best": use low, best_perf, perf_and_qual or best_qual
5     remote  app01     would be sent
6     shell   db02      would be sent
`, o.stdout)
	assert.Contains(t, o.stderr, "1 of 5 rows would be refused")

	o = r.do(t, "shortcut", "import", "--csv", path)
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stdout, "2     local   web01     Successfully imported Jump Item shortcut\n")
	assert.Contains(t, o.stdout, "5     remote  app01     failed: Invalid jumpoint: Tokyo\n")
	assert.Contains(t, o.stdout, "6     shell   db02      Successfully imported Jump Item shortcut\n", "one bad row never stops the others")
	assert.Contains(t, o.stderr, "2 of 5 rows failed")
	s.View(func(d *appliancetest.Data) { assert.Len(t, d.Shortcuts, 3) })
	assert.Len(t, s.Requests(), 1+4, "get_api_info, then the four valid rows")

	bad := filepath.Join(t.TempDir(), "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("kind,hostname,colour\nlocal,a,red\n"), 0o600))
	o = r.do(t, "shortcut", "import", "--csv", bad)
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, `bad.csv:1:3: unknown column "colour"`)
}

// A control or bidi character in a CSV cell is refused before sending,
// naming the parameter, and every cell the table prints is escaped.
func TestShortcutCSVControlCharacters(t *testing.T) {
	s, r := standIn(t)
	path := filepath.Join(t.TempDir(), "s.csv")
	require.NoError(t, os.WriteFile(path, []byte("kind,hostname,group,tag\nlocal,h\x1b[31m1,remote_access,\nlocal,ok1,remote_access,\u202etag\nlo\x1bcal,h2,remote_access,\n"), 0o600))
	for _, dry := range []bool{true, false} {
		args := []string{"shortcut", "import", "--csv", path}
		if dry {
			args = append(args, "--dry-run")
		}
		o := r.do(t, args...)
		assert.Equal(t, 1, o.status, o.stderr)
		assert.NotContains(t, o.stdout+o.stderr, "\x1b", "no raw ESC")
		assert.NotContains(t, o.stdout+o.stderr, "\u202e", "no raw bidi control")
		assert.Contains(t, o.stdout, `2     local      h\x1b[31m1  refused: --hostname (local_jump_hostname) holds a control character U+001B at character 2: remove it`)
		assert.Contains(t, o.stdout, "3     local      ok1         refused: --tag (tag) holds a bidi control U+202E")
		assert.Contains(t, o.stdout, `4     lo\x1bcal  h2          refused: shortcut kind "lo\x1bcal"`)
		assert.NotContains(t, o.stdout, "would be sent")
	}
	assert.Empty(t, s.Requests(), "nothing sent: every row was refused")
}

func TestShortcutCSVProgressOnTerminal(t *testing.T) {
	_, r := standIn(t)
	path := filepath.Join(t.TempDir(), "s.csv")
	require.NoError(t, os.WriteFile(path, []byte("kind,hostname,group\nlocal,a,remote_access\nlocal,b,remote_access\n"), 0o600))
	o := r.do(t, "shortcut", "import", "--csv", path)
	require.Equal(t, 0, o.status, o.stderr)
	assert.NotContains(t, o.stderr, "importing", "no bar off a terminal")
	r.terminal = true
	o = r.do(t, "shortcut", "import", "--csv", path)
	require.Equal(t, 0, o.status, o.stderr)
	assert.Contains(t, o.stderr, "importing [##############################] 2/2")
}

func TestDocs(t *testing.T) {
	o := run{}.do(t, "--man")
	assert.Equal(t, 0, o.status)
	assert.Contains(t, o.stdout, "brcsapi")
	o = run{}.do(t, "--completion", "bash")
	assert.Equal(t, 0, o.status)
	assert.Contains(t, o.stdout, "complete -o default -o bashdefault -F _brcsapi_complete brcsapi")
	// What the shell asks: flags and enumerated values come from the program.
	o = run{}.do(t, "--appl", "--generate-bash-completion")
	assert.Equal(t, "--appliance\n", o.stdout)
	o = run{}.do(t, "shortcut", "import", "rdp", "--quality", "", "--generate-bash-completion")
	assert.Equal(t, strings.Join(appliance.Qualities, "\n")+"\n", o.stdout)
	o = run{}.do(t, "--help")
	assert.Contains(t, o.stdout, "join_session")
}

// A flag beats the environment, which beats the config file.
func TestSettingsPrecedence(t *testing.T) {
	s, r := standIn(t)
	cfg := filepath.Join(t.TempDir(), "c.json")
	require.NoError(t, os.WriteFile(cfg, []byte(`{"appliance": "https://config.invalid", "username": "nobody"}`), 0o600))
	r.vars[apiconfig.EnvConfig] = cfg
	r.vars[apiconfig.EnvAppliance] = s.URL
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, s.CACertPEM(), 0o600))
	o := r.do(t, "--ca-cert", ca, "info")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Contains(t, o.stdout, "user id          1", "env username test beats the config's nobody")
	o = r.do(t, "--ca-cert", ca, "--attempts", "1", "--appliance", "https://flag.invalid", "info")
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stderr, "flag.invalid")
	require.NoError(t, os.WriteFile(cfg, []byte("appliance: x\ncolour: red\n"), 0o600))
	o = r.do(t, "info")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "colour")
}

func TestHealthJSON(t *testing.T) {
	_, r := standIn(t)
	o := r.do(t, "--json", "health")
	require.Equal(t, 0, o.status, o.stderr)
	var got struct {
		State  string `json:"state"`
		Health struct {
			Version string `json:"version"`
		} `json:"check_health"`
	}
	require.NoError(t, json.Unmarshal([]byte(o.stdout), &got))
	assert.Equal(t, "OK", got.State)
	assert.Equal(t, "15.3.1 (12345-749b17ca)", got.Health.Version)

	// One JSON style for every --json: snake_case keys, seconds.
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(o.stdout), &raw))
	probe, ok := raw["probe"].(map[string]any)
	require.True(t, ok, o.stdout)
	assert.ElementsMatch(t, []string{"status", "healthy", "elapsed_seconds"}, keys(probe), "the stand-in's probe page is HTML: no message")
	assert.Equal(t, 200.0, probe["status"])
	assert.Less(t, probe["elapsed_seconds"], 60.0, "seconds, not nanoseconds")
	assert.ElementsMatch(t, []string{"probe", "check_health", "state", "summary"}, keys(raw))
	assert.ElementsMatch(t, []string{"appliance", "appliance_id", "version", "success", "failover_role", "namespace"}, keys(raw["check_health"].(map[string]any)))
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
