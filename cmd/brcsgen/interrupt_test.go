//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliancetest"
)

// SIGINT during a batch stops it cleanly: no .tmp- file is left, the rows
// not made say so, and the process is not killed half-way.
func TestBatchInterruptLeavesNoTemporaryFiles(t *testing.T) {
	s := appliancetest.NewTLS("support")
	t.Cleanup(s.Close)
	s.Misbehave(appliancetest.Slow, 0)
	s.SetDelay(3 * time.Second)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(ca, s.CACertPEM(), 0o644))
	csv := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(csv, []byte("hostname\nA1\nA2\nA3\nA4\nA5\nA6\n"), 0o644))
	out := filepath.Join(dir, "out")
	go func() {
		for len(s.Requests()) == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		syscall.Kill(os.Getpid(), syscall.SIGINT)
	}()
	o := brcsgen(t, "", "batch", "--mode", "fetch", "--appliance", s.URL, "--ca-cert", ca, "--csv", csv, "--out-dir", out, "--site", "support", "--jobs", "2")
	assert.Equal(t, 130, o.status, "SIGINT exits 130: "+o.stderr)
	assert.Contains(t, o.stderr, "interrupted")
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		assert.False(t, strings.Contains(e.Name(), ".tmp-") || strings.Contains(e.Name(), ".part-"), e.Name())
	}
}
