package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

type outcome struct {
	status         int
	stdout, stderr string
}

func brcsgen(t *testing.T, stdin string, args ...string) outcome {
	t.Helper()
	var out, errb bytes.Buffer
	st := Main(append([]string{"brcsgen"}, args...), cliutil.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return outcome{st, out.String(), errb.String()}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	testutil.Golden(t, filepath.Join("..", "..", "testdata", "gen", "golden", name), got)
}

// lintClean fails unless src has no finding at error level.
func lintClean(t *testing.T, name string, src []byte) {
	t.Helper()
	_, ds, err := brcs.Check(name, src, brcs.Options{})
	require.NoError(t, err)
	assert.False(t, brcs.HasErrors(ds), "%s: %v", name, ds)
}

func TestGoldenOutputs(t *testing.T) {
	for name, args := range map[string][]string{
		"jump.out":         {"jump", "--hostname", "ABCDEF02", "--external-key", "INC0012345"},
		"jump-crlf.out":    {"jump", "--tag", "web server", "--comments", "rack 4+5", "--crlf", "--no-delete"},
		"jump-custom.out":  {"jump", "--private-ip", "10.10.24", "--method", "pinned", "--custom", "custom_field2=123", "--custom", "custom_field1=Custom Value"},
		"login.out":        {"login"},
		"command-jump.out": {"command", "jump", "--hostname", "ABCEF02", "--external-key", "123456789"},
		"url-jump.out":     {"url", "--appliance", "https://access.example.com", "jump", "--hostname", "ABCDEF02"},
		"url-login.out":    {"url", "--appliance", "https://access.example.com", "login"},
	} {
		t.Run(name, func(t *testing.T) {
			o := brcsgen(t, "", args...)
			require.Equal(t, 0, o.status, o.stderr)
			golden(t, name, o.stdout)
			if strings.HasPrefix(o.stdout, "BRCS") {
				lintClean(t, name, []byte(o.stdout))
			}
		})
	}
}

func TestGuideLinksThroughTheCommand(t *testing.T) {
	f, err := os.Open("../../testdata/guide/links.txt")
	require.NoError(t, err)
	defer f.Close()
	flagOf := map[string]string{}
	for _, s := range jumpSpecs() {
		flagOf[s.Name] = s.Flag
	}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		link := sc.Text()
		if link == "" || strings.HasPrefix(link, "#") || strings.HasPrefix(link, "refused") {
			continue
		}
		_, query, _ := strings.Cut(link, "?")
		args := []string{"url", "--appliance", "https://access.example.com", "jump"}
		for _, kv := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			v = strings.ReplaceAll(v, "%20", " ")
			switch {
			case k == "type" || k == "operation" || k == "action":
			case strings.HasPrefix(k, "session.custom."):
				args = append(args, "--custom", strings.TrimPrefix(k, "session.custom.")+"="+v)
			default:
				args = append(args, "--"+flagOf[k], v)
			}
		}
		o := brcsgen(t, "", args...)
		require.Equal(t, 0, o.status, o.stderr)
		assert.Equal(t, link+"\n", o.stdout)
		n++
	}
	assert.Equal(t, 4, n)
}

func TestFileNaming(t *testing.T) {
	dir := t.TempDir()
	o := brcsgen(t, "", "jump", "--hostname", "PC-01", "--external-key", "INC/0012345", "--site", "support", "-o", dir+"/")
	require.Equal(t, 0, o.status, o.stderr)
	got, err := os.ReadFile(filepath.Join(dir, "INC_0012345.brcs-support"))
	require.NoError(t, err, "named after the external key, made safe for a file name")
	lintClean(t, "x", got)
	o = brcsgen(t, "", "jump", "--hostname", "PC-01", "-o", dir+"/")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "give --site")
	o = brcsgen(t, "", "jump", "--hostname", "PC-01", "--site", "bad/site", "-o", dir+"/")
	assert.Equal(t, 2, o.status)
	o = brcsgen(t, "", "jump", "--hostname", "PC-01", "-o", filepath.Join(dir, "x.txt"))
	assert.Equal(t, 0, o.status)
	assert.Contains(t, o.stderr, "warning: the file name does not end in .brcs-<site>")
}

func TestInvalidValuesAreRefusedAndNothingIsWritten(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--hostname", strings.Repeat("a", 256)},
		{"--hostname", "x", "--method", "teleport"},
		{"--method", "pinned"},
		{"--hostname", "caf\xe9"},
		{"--hostname", "x", "--custom", "bad\x1bname=1"},
	} {
		o := brcsgen(t, "", append([]string{"jump", "-o", filepath.Join(dir, "x.brcs-s")}, args...)...)
		assert.Equal(t, 1, o.status, "%v: %s", args, o.stderr)
		assert.Contains(t, o.stderr, "would not be valid")
	}
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries)
	o := brcsgen(t, "", "jump", "--hostname", "x", "--custom", "novalue")
	assert.Equal(t, 2, o.status)
}

func TestInjectionAttemptsLandEncoded(t *testing.T) {
	for _, v := range []string{"PC&action=login", "PC%0Aaction=login", "PC\naction=delete_script_file", "a=b", "a+b", "100%", "Jörg"} {
		for _, f := range []string{"--hostname", "--comments", "--tag", "--external-key"} {
			o := brcsgen(t, "", "command", "jump", "--hostname", "PC", f, v)
			if strings.Contains(v, "\n") && f != "--external-key" {
				// A line break in a filter is refused; in free text it lands encoded.
				require.Equal(t, 1, o.status, "%s %q: %s", f, v, o.stderr)
				assert.Contains(t, o.stderr, "[control-character]")
				continue
			}
			require.Equal(t, 0, o.status, "%s %q: %s", f, v, o.stderr)
			_, ds, err := brcs.CheckCommand(strings.TrimSuffix(o.stdout, "\n"), brcs.Options{})
			require.NoError(t, err)
			assert.False(t, brcs.HasErrors(ds))
			assert.Equal(t, 1, strings.Count(o.stdout, "action="), "%s %q became structure: %s", f, v, o.stdout)
			assert.Equal(t, 1, strings.Count(o.stdout, "\n"))
		}
	}
}

func TestLoginWithPassword(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	require.NoError(t, os.WriteFile(pw, []byte("hunter2 x&y\n"), 0o600))
	out := filepath.Join(dir, "login.brcs-support")
	o := brcsgen(t, "", "login", "--username", "alice", "--password-file", pw, "-o", out)
	require.Equal(t, 0, o.status, o.stderr)
	assert.NotContains(t, o.stdout+o.stderr, "hunter2")
	assert.Contains(t, o.stderr, "holds a password in plain text")
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "BRCS1.0\naction=login&mechanism=username_password&username=alice&password=hunter2%20x%26y\naction=delete_script_file\n", string(got))
	testutil.AssertMode(t, out, 0o600)

	o = brcsgen(t, "s3cret\n", "login", "--username", "alice", "--password-stdin", "--site", "support", "-o", dir+"/")
	require.Equal(t, 0, o.status, o.stderr)
	assert.FileExists(t, filepath.Join(dir, "login.brcs-support"))

	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"login", "--username", "alice", "--password-file", pw}, "never prints a password"},
		{"", []string{"login", "--username", "alice", "--password", "hunter2"}, "unknown flag --password;"},
		{"", []string{"login", "--username", "alice"}, "needs a password"},
		{"x", []string{"login", "--password-stdin"}, "a password needs --username"},
		{"", []string{"login", "--username", "a", "--password-stdin", "-o", out}, "the password is empty"},
		{"", []string{"login", "--username", "a", "--password-file", pw, "--password-stdin", "-o", out}, "not both"},
		{"", []string{"command", "login", "--username", "a", "--password-file", pw}, "never prints a password"},
	} {
		o := brcsgen(t, c.stdin, c.args...)
		assert.Equal(t, 2, o.status, c.args)
		assert.Contains(t, o.stderr, c.want, c.args)
		assert.NotContains(t, o.stdout+o.stderr, "hunter2")
	}
	o = brcsgen(t, "", "url", "--appliance", "https://a.example", "login", "--username", "a", "--password-file", pw)
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stderr, "a link would carry the password")
	assert.NotContains(t, o.stdout+o.stderr, "hunter2")
}

func TestRender(t *testing.T) {
	dir := t.TempDir()
	vars := filepath.Join(dir, "vars.json")
	require.NoError(t, os.WriteFile(vars, []byte(`{"asset.name": "PC 01&action=login", "spare": "x"}`), 0o644))
	tmpl := "../../testdata/gen/ticket.brcs.tmpl"
	o := brcsgen(t, "", "render", tmpl, "--vars", vars, "--set", "ticket.number=INC+1\n2")
	require.Equal(t, 0, o.status, o.stderr)
	golden(t, "render.out", o.stdout)
	lintClean(t, "r", []byte(o.stdout))
	assert.Contains(t, o.stderr, "warning: no placeholder of "+tmpl+" uses spare")

	o = brcsgen(t, "", "render", tmpl, "--set", "asset.name=PC")
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stderr, tmpl+":3:110: {{ticket.number}}: no value given for ticket.number")
	o = brcsgen(t, "", "render", tmpl, "--set", "asset.name="+strings.Repeat("a", 300), "--set", "ticket.number=1")
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stderr, "{{asset.name}}: the value makes the script invalid")
	o = brcsgen(t, "", "render", tmpl, "--set", "novalue")
	assert.Equal(t, 2, o.status)
	o = brcsgen(t, "", "render", tmpl, "--vars", tmpl)
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "want a JSON object of strings")
}

func standIn(t *testing.T) (*appliancetest.Server, string) {
	s := appliancetest.NewTLS("support")
	t.Cleanup(s.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, s.CACertPEM(), 0o644))
	return s, ca
}

func TestFetch(t *testing.T) {
	s, ca := standIn(t)
	dir := t.TempDir()
	o := brcsgen(t, "", "fetch", "--appliance", s.URL, "--ca-cert", ca, "jump", "--hostname", "ABCDEF02", "-o", dir+"/")
	require.Equal(t, 0, o.status, o.stderr)
	got, err := os.ReadFile(filepath.Join(dir, "session.brcs-support"))
	require.NoError(t, err, "named as the appliance suggested")
	lintClean(t, "f", got)

	o = brcsgen(t, "", "fetch", "--appliance", s.URL, "--ca-cert", ca, "jump", "--hostname", "ABCDEF02")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, string(got), o.stdout)
}

func TestFetchFailuresWriteNothing(t *testing.T) {
	for _, b := range []appliancetest.Behavior{appliancetest.LoginPage, appliancetest.XMLError, appliancetest.Empty,
		appliancetest.ServerError, appliancetest.NotFound, appliancetest.RedirectOtherHost, appliancetest.Huge, appliancetest.NotAScript} {
		s, ca := standIn(t)
		s.Misbehave(b, 0)
		dir := t.TempDir()
		out := filepath.Join(dir, "x.brcs-support")
		o := brcsgen(t, "", "fetch", "--appliance", s.URL, "--ca-cert", ca, "--attempts", "2", "jump", "--hostname", "A", "-o", out)
		assert.Equal(t, 1, o.status, "behaviour %d: %s", b, o.stderr)
		entries, _ := os.ReadDir(dir)
		assert.Empty(t, entries, "behaviour %d left a file", b)
	}
	s, _ := standIn(t)
	o := brcsgen(t, "", "fetch", "--appliance", s.URL, "jump", "--hostname", "A")
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stderr, "--ca-cert")
	o = brcsgen(t, "", "fetch", "--appliance", strings.Replace(s.URL, "https", "http", 1), "jump", "--hostname", "A")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "plain http is refused")
}

func TestBatchOfAThousandRows(t *testing.T) {
	t.Parallel() // waits on the disk: 1,000 files written and synced
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "rows.csv")
	var b strings.Builder
	b.WriteString("hostname,external-key,method,custom.requester,output\n")
	for i := 1; i <= 1000; i++ {
		switch i {
		case 17:
			b.WriteString("PC-17,INC17,teleport,,\n")
		case 400:
			b.WriteString(",INC400,pinned,,\n")
		case 500:
			b.WriteString("PC-500,INC500,pinned,,../../escape.brcs-support\n")
		default:
			fmt.Fprintf(&b, "PC-%04d,\"INC%d, urgent\",pinned,\"Jörg & Co\",\n", i, i)
		}
	}
	require.NoError(t, os.WriteFile(csvPath, []byte(b.String()), 0o644))
	out := filepath.Join(dir, "out")
	o := brcsgen(t, "", "batch", "--csv", csvPath, "--site", "support", "--out-dir", out, "--progress", "always")
	assert.Equal(t, 1, o.status, "refused rows make the exit status 1")
	assert.Contains(t, o.stderr, "[##############################] 1000/1000 rows")
	assert.Contains(t, o.stderr, "batch: 1000 rows, 997 done, 3 refused")
	assert.Contains(t, o.stderr, "row 17 (line 18): ")
	assert.Contains(t, o.stderr, "row 400 (line 401): ")
	assert.Contains(t, o.stderr, "row 500 (line 501): output \"../../escape.brcs-support\" leaves --out-dir")
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	assert.Len(t, entries, 997)
	got, err := os.ReadFile(filepath.Join(out, "INC1__urgent.brcs-support"))
	require.NoError(t, err)
	assert.Contains(t, string(got), "session.custom.external_key=INC1%2C%20urgent&session.custom.requester=J%C3%B6rg%20%26%20Co")
	lintClean(t, "b", got)
	_, err = os.Stat(filepath.Join(dir, "escape.brcs-support"))
	assert.True(t, os.IsNotExist(err))
}

func TestBatchURLAndCommandKeepRowOrder(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("hostname,tag\nA,x\nB,y y\n,\nD,\n"), 0o644))
	o := brcsgen(t, "", "batch", "--csv", csvPath, "--mode", "url", "--appliance", "https://a.example", "-j", "4")
	assert.Equal(t, 1, o.status)
	// Issue 17 item 16: line N is row N's link; the invalid row 3 leaves
	// an empty line in its place, so D's link is never taken for row 3's.
	assert.Equal(t, "https://a.example/api/client_script?type=rep&operation=generate&action=start_jump_item_session&client.hostname=A&client.tag=x\n"+
		"https://a.example/api/client_script?type=rep&operation=generate&action=start_jump_item_session&client.hostname=B&client.tag=y%20y\n"+
		"\n"+
		"https://a.example/api/client_script?type=rep&operation=generate&action=start_jump_item_session&client.hostname=D\n", o.stdout)
	assert.Contains(t, o.stderr, "row 3 (line 4)")
	o = brcsgen(t, "", "batch", "--csv", csvPath, "--mode", "command")
	assert.Equal(t, "action=start_jump_item_session&client.hostname=A&client.tag=x\naction=start_jump_item_session&client.hostname=B&client.tag=y%20y\n\n"+
		"action=start_jump_item_session&client.hostname=D\n", o.stdout, "one line a row")

	require.NoError(t, os.WriteFile(csvPath, []byte("hostname,colour\nA,red\n"), 0o644))
	o = brcsgen(t, "", "batch", "--csv", csvPath, "--mode", "command")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, `unknown column "colour"`)
	o = brcsgen(t, "", "batch", "--csv", csvPath, "--rate", "50")
	assert.Equal(t, 2, o.status)
}

func TestBatchFetch(t *testing.T) {
	s, ca := standIn(t)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("hostname,output\nA,a.brcs-support\nB,b.brcs-support\nC,c.brcs-support\n"), 0o644))
	o := brcsgen(t, "", "batch", "--csv", csvPath, "--mode", "fetch", "--appliance", s.URL, "--ca-cert", ca, "--out-dir", dir, "--rate", "10")
	require.Equal(t, 0, o.status, o.stderr)
	for _, n := range []string{"a", "b", "c"} {
		assert.FileExists(t, filepath.Join(dir, n+".brcs-support"))
	}
	assert.Len(t, s.Requests(), 3)
}

func TestCompletionAndMan(t *testing.T) {
	o := brcsgen(t, "", "--completion", "bash")
	assert.Equal(t, 0, o.status)
	assert.Contains(t, o.stdout, "complete -o default -o bashdefault -F _brcsgen_complete brcsgen")
	o = brcsgen(t, "", "--man")
	assert.Equal(t, 0, o.status)
	assert.Contains(t, o.stdout, "batch")
	o = brcsgen(t, "", "--version")
	assert.Contains(t, o.stdout, "brcsgen version")
}

// No repeatable flag of brcsgen splits a value at a comma (issue 16).
func TestEverySliceFlagKeepsCommas(t *testing.T) {
	testutil.SliceFlagsKeepCommas(t, func() *cli.App {
		return newApp(&env{Env: cliutil.Env{}.WithDefaults()})
	})
}

func TestCompletionValuesAreFlags(t *testing.T) {
	testutil.CompletionNamesFlags(t, newApp(&env{Env: cliutil.Env{}.WithDefaults()}), completionValues())
}
