package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// A comma is data (issue 16): a custom attribute's value "Smith, John"
// reaches the appliance whole, and no repeatable flag of brcsapi splits a
// value at a comma.
func TestCommaIsData(t *testing.T) {
	s, r := standIn(t)
	lsid := appliancetest.SessionA
	o := r.do(t, "session", "set", lsid, "--custom", "priority=Smith, John")
	require.Equal(t, 0, o.status, o.stderr)
	o = r.do(t, "session", "attrs", lsid)
	require.Equal(t, 0, o.status, o.stderr)
	assert.Contains(t, o.stdout, "Smith, John")
	s.View(func(d *appliancetest.Data) { assert.Equal(t, "Smith, John", d.Sessions[lsid].Attrs["priority"]) })

	testutil.SliceFlagsKeepCommas(t, func() *cli.App {
		return newApp(&env{Env: cliutil.Env{}.WithDefaults()})
	})
}

func TestCompletionValuesAreFlags(t *testing.T) {
	testutil.CompletionNamesFlags(t, newApp(&env{Env: cliutil.Env{}.WithDefaults()}), completionValues())
}
