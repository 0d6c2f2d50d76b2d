package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Output names that Windows takes for a device or changes (CON, NUL.flv,
// a trailing dot or space) and C1 controls are refused, by the rule
// brcsapi applies to an appliance's suggested names (fsutil.CheckName).
func TestBatchRefusesWindowsAndC1Names(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(csv, []byte("hostname,output\n"+
		"A,CON\nB,NUL.flv\nC,\"trail.\"\nD,\"trail \"\nE,\"nel\u0085x.brcs-s\"\nF,\"a:b.brcs-s\"\nG,fine.brcs-s\n"), 0o644))
	out := filepath.Join(dir, "out")
	o := brcsgen(t, "", "batch", "--csv", csv, "--out-dir", out)
	assert.Equal(t, 1, o.status, o.stderr)
	assert.Contains(t, o.stderr, "7 rows, 1 done, 6 refused")
	assert.Contains(t, o.stderr, "output NUL.flv: a reserved Windows device name")
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "fine.brcs-s", entries[0].Name())
}
