package main

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// answeringTLS is an appliance that answers every request with body; it
// returns its address and a CA file trusting it.
func answeringTLS(t *testing.T, body string) (addr, caFile string) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(body)) }))
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644))
	return srv.URL, caFile
}

// A tampered answer is refused, the difference shown, nothing written.
func TestFetchRefusesAnAnswerThatIsNotTheRequest(t *testing.T) {
	_, answer := testutil.FetchCase(t, "../../testdata/attacks/fetch/refuse-other-target.txt")
	addr, ca := answeringTLS(t, answer)
	dir := t.TempDir()
	o := brcsgen(t, "", "fetch", "--appliance", addr, "--ca-cert", ca, "jump", "--hostname", "ABCDEF02", "-o", dir+"/", "--site", "support")
	assert.Equal(t, 1, o.status, o.stderr)
	assert.Contains(t, o.stderr, "the answer adds client.hostname=EVIL01")
	assert.Contains(t, o.stderr, "nothing is written")
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries, "nothing is written")
	o = brcsgen(t, "", "fetch", "--appliance", addr, "--ca-cert", ca, "jump", "--hostname", "ABCDEF02")
	assert.Equal(t, 1, o.status)
	assert.Empty(t, o.stdout)
}

// A password sent over --allow-http is warned about; the file holding it
// is 0600 because of what it holds.
func TestAllowHTTPWithPasswordWarns(t *testing.T) {
	body := "BRCS1.0\naction=login&mechanism=username_password&username=tech&password=s3cret\naction=delete_script_file\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(body)) }))
	t.Cleanup(srv.Close)
	out := filepath.Join(t.TempDir(), "login.brcs-support")
	o := brcsgen(t, "s3cret\n", "fetch", "--appliance", srv.URL, "--allow-http", "login", "--username", "tech", "--password-stdin", "-o", out)
	require.Equal(t, 0, o.status, o.stderr)
	assert.Contains(t, o.stderr, "the password crosses the network in clear text")
	assert.NotContains(t, o.stderr+o.stdout, "s3cret")
	testutil.AssertMode(t, out, 0o600)
	// Without a password there is nothing to warn about.
	o = brcsgen(t, "", "fetch", "--appliance", srv.URL, "--allow-http", "jump", "--hostname", "A")
	assert.NotContains(t, o.stderr, "in clear text")
}

// A password given with render --set sits in the process arguments: it is
// refused with the way to give it (--vars, a file), and nothing is written.
func TestRenderRefusesAPasswordFromSet(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "login.brcs-support.tmpl")
	require.NoError(t, os.WriteFile(tmpl, []byte("BRCS1.0\naction=login&mechanism=username_password&username={{user}}&password={{pw}}\naction=delete_script_file\n"), 0o644))
	out := filepath.Join(dir, "login.brcs-support")
	o := brcsgen(t, "", "render", tmpl, "--set", "user=tech", "--set", "pw=s3cret", "-o", out)
	assert.Equal(t, 2, o.status, o.stderr)
	assert.Contains(t, o.stderr, "--set pw fills a password")
	assert.Contains(t, o.stderr, "--vars")
	assert.NotContains(t, o.stderr, "s3cret")
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "nothing is written")

	vars := filepath.Join(dir, "vars.json")
	require.NoError(t, os.WriteFile(vars, []byte(`{"pw": "s3cret"}`), 0o600))
	o = brcsgen(t, "", "render", tmpl, "--set", "user=tech", "--vars", vars, "-o", out)
	require.Equal(t, 0, o.status, o.stderr)
	testutil.AssertMode(t, out, 0o600)
}

// The validator's warnings about an appliance's answer are shown, by
// fetch and by batch --mode fetch.
func TestFetchShowsTheAnswersWarnings(t *testing.T) {
	_, answer := testutil.FetchCase(t, "../../testdata/attacks/fetch/accept-reordered-encoded.txt")
	addr, ca := answeringTLS(t, answer)
	o := brcsgen(t, "", "fetch", "--appliance", addr, "--ca-cert", ca, "jump", "--hostname", "ABCDEF02", "--external-key", "INC1")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Contains(t, o.stderr, "warning: the appliance's answer, line 3:")
	dir := t.TempDir()
	csv := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(csv, []byte("hostname,external-key\nABCDEF02,INC1\n"), 0o644))
	o = brcsgen(t, "", "batch", "--mode", "fetch", "--appliance", addr, "--ca-cert", ca, "--csv", csv, "--out-dir", dir, "--site", "support")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Contains(t, o.stderr, "row 1 (line 2): warning: the appliance's answer, line 3:")
}

// A --vars file is a ticket's fields, outside input: a name in it that no
// placeholder uses was quoted as it is in the warning, so a new line in it
// printed a line of its own ("::error::" in a CI log) and ESC reached the
// terminal.
func TestUnusedVarNamesAreEscaped(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "t.brcs.tmpl")
	require.NoError(t, os.WriteFile(tmpl, []byte("BRCS1.0\naction=start_jump_item_session&client.hostname={{a}}\n"), 0o644))
	vars := filepath.Join(dir, "v.json")
	require.NoError(t, os.WriteFile(vars, []byte(`{"a": "x", "b\n::error::pwned\u001b[2J": "1"}`), 0o644))
	o := brcsgen(t, "", "render", tmpl, "--vars", vars)
	assert.Equal(t, 0, o.status, o.stderr)
	assert.Contains(t, o.stderr, "uses")
	testutil.AssertShownSafely(t, o.stderr)
	for _, l := range strings.Split(o.stderr, "\n") {
		assert.False(t, strings.HasPrefix(strings.TrimLeft(l, " "), "::"), "a line starts a workflow command: %q", l)
	}
}
