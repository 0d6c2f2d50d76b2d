package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/apiconfig"
)

// apiStandIn starts a current stand-in (API 1.25.0, the beyondtrust.com/sra
// namespaces) and a run that uses its full-access API account, with the
// secret in a file and the token cache in a temporary folder.
func apiStandIn(t testing.TB) (*appliancetest.Server, run, string) {
	t.Helper()
	s := appliancetest.NewTLS("support")
	t.Cleanup(s.Close)
	s.Update(func(d *appliancetest.Data) {
		d.APIVersion, d.Namespace, d.UserAccountsOff = appliancetest.CurrentVersion, appliancetest.BeyondTrustSRAHTTP, true
	})
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(ca, s.CACertPEM(), 0o600))
	secret := filepath.Join(dir, "secret")
	require.NoError(t, os.WriteFile(secret, []byte(appliancetest.FullClientSecret+"\n"), 0o600))
	cfg := filepath.Join(dir, "brcsapi.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("appliance: "+s.URL+"\nca_cert: "+ca+"\nclient_id: "+appliancetest.FullClient+
		"\nclient_secret_file: "+secret+"\ntoken_cache: "+filepath.Join(dir, "tokens")+"\n"), 0o600))
	return s, run{vars: map[string]string{apiconfig.EnvConfig: cfg}}, dir
}

func TestInfoReadsAnAPIAccountsPermissions(t *testing.T) {
	s, r, _ := apiStandIn(t)
	o := r.do(t, "--verbose", "info")
	require.Equal(t, 0, o.status, o.stderr)
	for _, want := range []string{`API version\s+1\.25\.0\n`, `account\s+API account\n`, `perm_command\s+full_access\s+Command API access`,
		`perm_reporting_support\s+1\s+support session reports`} {
		assert.Regexp(t, want, o.stdout)
	}
	assert.NotContains(t, o.stdout, "cannot  read")
	assert.NotContains(t, o.stdout, "(not known to brcsapi")
	assert.NotRegexp(t, `(?m)^company`, o.stdout, "company_name was removed in 24.3: tolerated")
	assert.Regexp(t, `download session recordings\s+perm_reporting_support=1\n`, o.stdout)
	assert.Contains(t, o.stderr, "/oauth2/token [grant_type] -> 200 OK")
	assert.NotContains(t, o.stdout+o.stderr, appliancetest.FullClientSecret)
	assert.NotRegexp(t, "[0-9a-f]{48}", o.stdout+o.stderr, "no token printed")

	// The real answer's shape: nine <permission name="..."> in the SRA command namespace.
	var got struct {
		Namespace   string            `json:"namespace"`
		Permissions map[string]string `json:"permissions"`
		Kind        string            `json:"account_kind"`
		Workflows   []struct {
			What      string   `json:"workflow"`
			Can       bool     `json:"can"`
			DecidedBy []string `json:"decided_by"`
		} `json:"workflows"`
	}
	o = r.do(t, "--json", "info")
	require.Equal(t, 0, o.status, o.stderr)
	require.NoError(t, json.Unmarshal([]byte(o.stdout), &got))
	assert.Equal(t, "http://www.beyondtrust.com/sra/namespaces/API/command", got.Namespace)
	assert.Len(t, got.Permissions, 9)
	assert.Equal(t, "API account", got.Kind)
	for _, w := range got.Workflows {
		assert.True(t, w.Can, w.What)
	}
	assert.Equal(t, []string{"perm_command=full_access"}, got.Workflows[1].DecidedBy)

	r.vars[apiconfig.EnvClientID] = appliancetest.ReadOnlyClient
	r.vars[apiconfig.EnvSecret] = appliancetest.ReadOnlyClientSecret
	o = r.do(t, "--client-secret-file", "", "info")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Contains(t, o.stdout, "can     read session attributes")
	assert.Regexp(t, `cannot\s+set session attributes, terminate sessions\s+\(needs perm_command=full_access\)`, o.stdout)
	assert.Contains(t, o.stdout, "cannot  back up the configuration")
	assert.Equal(t, 2, s.Tokens(appliancetest.FullClient).Minted+s.Tokens(appliancetest.ReadOnlyClient).Minted, "one token per account, shared by the runs")
}

func TestAPIAccountAgainstEveryCommand(t *testing.T) {
	s, r, dir := apiStandIn(t)
	require.NoError(t, os.Mkdir(filepath.Join(dir, "backups"), 0o700))
	for _, args := range [][]string{
		{"info"},
		{"session", "set", appliancetest.SessionA, "--external-key", "INC42"},
		{"session", "attrs", appliancetest.SessionA},
		{"backup", "-o", filepath.Join(dir, "backups")},
		{"report", "sessions", "--since", "2015-03-01", "--until", "2015-03-02", "--format", "csv", "-o", filepath.Join(dir, "march.csv")},
		{"report", "listing", "--since", "2015-03-01", "--until", "2015-03-02"},
		{"recording", "c69a8e10bea9428f816cfababe9815fe", "-o", filepath.Join(dir, "evidence")},
		{"archive", "sync", "--db", filepath.Join(dir, "sessions.db"), "--since", "2015-03-01", "--window", "100000h"},
		{"ticket", "INC0012345", "--since", "2015-03-01", "--until", "2015-03-02", "-o", filepath.Join(dir, "ticket")},
	} {
		o := r.do(t, args...)
		assert.Equal(t, 0, o.status, "%v: %s", args, o.stderr)
	}
	for _, q := range s.Requests() {
		if q.Path != "/oauth2/token" && q.Path != "/check_health" {
			assert.Equal(t, "Bearer", q.Auth, q.Path)
			assert.NotContains(t, q.Form, "username")
		}
	}
	assert.Equal(t, 1, s.Tokens(appliancetest.FullClient).Minted)
}

func TestAPIAccountUsageErrors(t *testing.T) {
	_, r, _ := apiStandIn(t)
	r.vars[apiconfig.EnvUsername] = "test"
	o := r.do(t, "info")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "both an API account")

	delete(r.vars, apiconfig.EnvUsername)
	o = r.do(t, "--allow-http", "info")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "--allow-http cannot be used with an API account")

	o = r.do(t, "--client-secret-file", "/nonexistent/secret", "info")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "--client-secret-file")

	// A wrong secret: one clear refusal, exit 1.
	r.vars[apiconfig.EnvSecret] = "not-the-secret"
	o = r.do(t, "--client-secret-file", "", "info")
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stderr, "the client id or the client secret is wrong")
	assert.NotContains(t, o.stderr, "not-the-secret")
}

func TestUserAccountOffSuggestsClientID(t *testing.T) {
	s, r := standIn(t)
	s.Update(func(d *appliancetest.Data) { d.UserAccountsOff = true })
	o := r.do(t, "info")
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stderr, "--client-id")
}

func TestConfigErrorsSayWhatIsMeant(t *testing.T) {
	_, r := standIn(t)
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("appliance: https://x\npassword: hunter2\n"), 0o600))
	r.vars[apiconfig.EnvConfig] = cfg
	o := r.do(t, "info")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "password is not a setting")
	assert.Contains(t, o.stderr, "password_file")
	assert.NotContains(t, o.stderr, "main.config")
	assert.Contains(t, o.stderr, "$"+apiconfig.EnvConfig)
	assert.NotContains(t, o.stderr, "hunter2")

	r.vars[apiconfig.EnvConfig] = filepath.Join(t.TempDir(), "missing.yaml")
	o = r.do(t, "info")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "$"+apiconfig.EnvConfig)
}

// processes starts n brcsapi processes at once with args and waits for
// them, returning their exit statuses and their output together.
func processes(t *testing.T, r run, n int, args ...string) ([]int, string) {
	bin := brcsapiBin(t)
	env := os.Environ()
	for k, v := range r.vars {
		env = append(env, k+"="+v)
	}
	cmds := make([]*exec.Cmd, n)
	outs := make([]bytes.Buffer, n)
	for i := range cmds {
		cmds[i] = exec.Command(bin, args...)
		cmds[i].Env = env
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
	}
	for _, c := range cmds {
		require.NoError(t, c.Start())
	}
	statuses := make([]int, n)
	var all strings.Builder
	for i, c := range cmds {
		_ = c.Wait()
		statuses[i] = c.ProcessState.ExitCode()
		all.WriteString(outs[i].String())
	}
	return statuses, all.String()
}

func TestProcessesShareOneToken(t *testing.T) {
	s, r, _ := apiStandIn(t)
	statuses, out := processes(t, r, 6, "--verbose", "info")
	assert.Equal(t, []int{0, 0, 0, 0, 0, 0}, statuses, out)
	assert.Equal(t, 1, s.Tokens(appliancetest.FullClient).Minted, "six processes started at once mint one token")
	assert.NotContains(t, out, appliancetest.FullClientSecret)
	assert.NotRegexp(t, "[0-9a-f]{48}", out)

	// Revoked between runs (the secret regenerated elsewhere, or the
	// account's tokens dropped): replaced once, and every call succeeds.
	s.RevokeTokens(appliancetest.FullClient)
	statuses, out = processes(t, r, 4, "session", "set", appliancetest.SessionA, "--external-key", "INC7")
	assert.Equal(t, []int{0, 0, 0, 0}, statuses, out)
	assert.Equal(t, 2, s.Tokens(appliancetest.FullClient).Minted)

	// Evicted by 30 mints from elsewhere: recovered.
	for range 30 {
		c, err := appliance.New(s.URL, appliance.ClientCredentials{ClientID: appliancetest.FullClient, Secret: appliancetest.FullClientSecret}, appliance.Options{CACertsPEM: s.CACertPEM()})
		require.NoError(t, err)
		_, err = c.APIInfo(t.Context())
		require.NoError(t, err)
	}
	denied := s.DeniedCalls()
	statuses, out = processes(t, r, 1, "info")
	assert.Equal(t, []int{0}, statuses, out)
	assert.Equal(t, denied+1, s.DeniedCalls())
	assert.Equal(t, 33, s.Tokens(appliancetest.FullClient).Minted)
}

func TestProcessesExpiredTokenRenewed(t *testing.T) {
	s, r, dir := apiStandIn(t)
	t.Parallel()
	s.Update(func(d *appliancetest.Data) { d.TokenLifetime = time.Second })
	statuses, out := processes(t, r, 1, "info")
	require.Equal(t, []int{0}, statuses, out)
	// A one-second token is renewed half a second ahead: by then the
	// next run mints anew, before the appliance refuses the old one.
	files, err := filepath.Glob(filepath.Join(dir, "tokens", "token-*.json"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	fi, err := os.Stat(files[0])
	require.NoError(t, err)
	time.Sleep(time.Until(fi.ModTime().Add(550 * time.Millisecond)))
	statuses, out = processes(t, r, 1, "info")
	require.Equal(t, []int{0}, statuses, out)
	assert.Equal(t, 2, s.Tokens(appliancetest.FullClient).Minted)
	assert.Zero(t, s.DeniedCalls())
}

func TestProcessesWrongSecretNoStorm(t *testing.T) {
	s, r, dir := apiStandIn(t)
	bad := filepath.Join(dir, "bad-secret")
	require.NoError(t, os.WriteFile(bad, []byte("wrong-one"), 0o600))
	statuses, out := processes(t, r, 4, "--client-secret-file", bad, "info")
	assert.Equal(t, []int{1, 1, 1, 1}, statuses, out)
	assert.Equal(t, 4, strings.Count(out, "the client id or the client secret is wrong"), out)
	assert.NotContains(t, out, "wrong-one")
	assert.Equal(t, 1, s.RefusedMints(), "one token request for all four: the others read the refusal under the cache's lock")
	assert.Len(t, s.Requests(), 1, "no call sent")
}

func TestInfoEscapesWhatTheApplianceSent(t *testing.T) {
	s, r, _ := apiStandIn(t)
	s.Update(func(d *appliancetest.Data) {
		// XML carries no C0 control but carries C1 ones and bidi controls.
		d.APIVersion = "1.25.0\u009b2J"
		d.APIAccounts[appliancetest.FullClient].Perms = append(appliancetest.FullPerms(), appliancetest.Perm{Name: "perm_new\u202e", Value: "yes\u009b"})
	})
	o := r.do(t, "info")
	require.Equal(t, 0, o.status, o.stderr)
	assert.NotContains(t, o.stdout, "\u009b")
	assert.NotContains(t, o.stdout, "\u202e")
	assert.Regexp(t, `API version\s+1\.25\.0\\x9b2J\n`, o.stdout)
	assert.Regexp(t, `perm_new\\u202e\s+yes\\x9b\s+\(not known to brcsapi; kept\)`, o.stdout)
}

func TestTokenCacheOffAndSecretFromStdin(t *testing.T) {
	s, r, dir := apiStandIn(t)
	r.stdin = appliancetest.FullClientSecret + "\n"
	for range 2 {
		o := r.do(t, "--token-cache", "off", "--client-secret-file", "", "--client-secret-stdin", "info")
		require.Equal(t, 0, o.status, o.stderr)
	}
	assert.Equal(t, 2, s.Tokens(appliancetest.FullClient).Minted, "memory only: each run mints")
	_, err := os.Stat(filepath.Join(dir, "tokens"))
	assert.True(t, os.IsNotExist(err), "nothing written with --token-cache off")

	r.vars[apiconfig.EnvCache] = filepath.Join(dir, "env-tokens")
	for range 2 {
		o := r.do(t, "--client-secret-file", "", "--client-secret-stdin", "info")
		require.Equal(t, 0, o.status, o.stderr)
	}
	assert.Equal(t, 3, s.Tokens(appliancetest.FullClient).Minted, "$BRCSAPI_TOKEN_CACHE shares one token")
	files, _ := filepath.Glob(filepath.Join(dir, "env-tokens", "token-*.json"))
	assert.Len(t, files, 1)
}

// health with an API account asks the authenticated check_health too, as
// it does with a user account, not only the probe.
func TestHealthWithAnAPIAccountAsksCheckHealth(t *testing.T) {
	s, r, _ := apiStandIn(t)
	o := r.do(t, "health", "--nagios")
	require.Equal(t, 0, o.status, o.stdout+o.stderr)
	asked := false
	for _, q := range s.Requests() {
		if q.Path == "/api/command" && q.Form.Get("action") == "check_health" {
			asked = true
			assert.Equal(t, "Bearer", q.Auth)
		}
	}
	assert.True(t, asked, "check_health was asked with the API account")
	assert.Contains(t, o.stdout, "BRCS API OK - ")
}

// health with a wrong secret says plainly that the client id or secret is
// wrong, in its Nagios line too (it said the appliance's "Client
// authentication failed.").
func TestHealthWithAWrongSecretSaysSo(t *testing.T) {
	_, r, dir := apiStandIn(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "secret"), []byte("not-the-secret\n"), 0o600))
	o := r.do(t, "health", "--nagios")
	assert.Equal(t, 3, o.status, o.stdout)
	assert.Contains(t, o.stdout, "the client id or the client secret is wrong")
	assert.NotContains(t, o.stdout, "not-the-secret")
}
