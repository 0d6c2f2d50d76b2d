package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 16, "A comma is data": a repeatable flag's value is never split
// at its commas. Before cliutil.Prepare turned urfave/cli's separator off,
// --custom 'contact=Smith, John' became "contact=Smith" and " John", and
// the second was refused as not NAME=VALUE (exit 2); so was --set.
func TestCommaInARepeatableFlagArrivesIntact(t *testing.T) {
	o := brcsgen(t, "", "url", "--appliance", "https://access.example.com", "jump", "--hostname", "A", "--custom", "contact=Smith, John", "--custom", "ips=192.168.1.10, 10.0.0.5")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, "https://access.example.com/api/client_script?type=rep&operation=generate&action=start_jump_item_session&client.hostname=A"+
		"&session.custom.contact=Smith%2C%20John&session.custom.ips=192.168.1.10%2C%2010.0.0.5\n", o.stdout)

	tmpl := filepath.Join(t.TempDir(), "t.brcs.tmpl")
	require.NoError(t, os.WriteFile(tmpl, []byte("BRCS1.0\naction=start_jump_item_session&client.hostname=PC01&session.custom.external_key={{ticket}}\n"), 0o644))
	o = brcsgen(t, "", "render", tmpl, "--set", "ticket=INC1, follow-up")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, "BRCS1.0\naction=start_jump_item_session&client.hostname=PC01&session.custom.external_key=INC1%2C%20follow-up\n", o.stdout)
}
