package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 16, "Links that go into tickets": an --appliance that is not a
// host name or an IP address with an optional port 1-65535 is a usage
// error naming what is wrong, in url, fetch and batch alike, and no link
// is written.
func TestApplianceAddressIsChecked(t *testing.T) {
	dir := t.TempDir()
	rows := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(rows, []byte("hostname\nA1\n"), 0o644))
	for addr, want := range map[string]string{
		"https://<your_Bomgar_FQDN>": `the host "<your_Bomgar_FQDN>" holds "<"`,
		"https://a'onmouseover='x":   `holds "'"`,
		"https://$(id)":              `holds "$"`,
		"https://a.example:99999":    `the port "99999" is not a port: give a number from 1 to 65535`,
		"https://a.example/x?y":      "give only the host and port",
	} {
		for _, args := range [][]string{
			{"url", "--appliance", addr, "jump", "--hostname", "A"},
			{"fetch", "--appliance", addr, "jump", "--hostname", "A"},
			{"batch", "--mode", "url", "--appliance", addr, "--csv", rows},
			{"batch", "--mode", "fetch", "--appliance", addr, "--csv", rows, "--out-dir", dir, "--site", "s"},
		} {
			o := brcsgen(t, "", args...)
			assert.Equal(t, 2, o.status, "%v: %s", args, o.stderr)
			assert.Contains(t, o.stderr, "--appliance: ", args)
			assert.Contains(t, o.stderr, want, args)
			assert.Empty(t, o.stdout, args)
		}
	}
	o := brcsgen(t, "", "url", "--appliance", "https://[2001:db8::1]:8443", "jump", "--hostname", "A")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, "https://[2001:db8::1]:8443/api/client_script?type=rep&operation=generate&action=start_jump_item_session&client.hostname=A\n", o.stdout)
}
