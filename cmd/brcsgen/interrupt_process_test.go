//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// Issue 17 item 4, with a real process: `brcsgen batch` of 940 rows gets
// SIGINT while the stand-in holds its first fetches. It exits 130 and
// says what it did in one line (how many rows were done, that the rest
// were not attempted) before the signal's line, instead of a line of
// "context canceled" per row; no temporary file is left.
func TestBatchSIGINTSaysOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds brcsgen")
	}
	dir := t.TempDir()
	require.NoError(t, testutil.Build(dir, "github.com/brcs-toolkit/brcs/cmd/brcsgen"))
	bin := filepath.Join(dir, "brcsgen")

	s := appliancetest.NewTLS("support")
	t.Cleanup(s.Close)
	s.Misbehave(appliancetest.Slow, 0)
	s.SetDelay(3 * time.Second)
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(ca, s.CACertPEM(), 0o644))
	var rows strings.Builder
	rows.WriteString("external-key,hostname\n")
	for i := 1; i <= 940; i++ {
		fmt.Fprintf(&rows, "INC%d,PC%d\n", i, i)
	}
	csv := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(csv, []byte(rows.String()), 0o644))
	out := filepath.Join(dir, "out")

	cmd := exec.Command(bin, "batch", "--mode", "fetch", "--appliance", s.URL, "--ca-cert", ca, "--csv", csv, "--out-dir", out, "--site", "support", "-j", "2")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(20 * time.Second)
	for len(s.Requests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	require.NotEmpty(t, s.Requests(), "the batch never asked the stand-in")
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	err := cmd.Wait()
	var ee *exec.ExitError
	require.True(t, errors.As(err, &ee), "%v: %s", err, stderr.String())
	assert.Equal(t, 130, ee.ExitCode(), stderr.String())
	assert.Regexp(t, `^brcsgen: batch: 940 rows, 0 done, 0 refused, 940 not attempted\nbrcsgen: interrupted by SIGINT\n$`, stderr.String())
	assert.NotContains(t, stderr.String(), "context canceled")
	assert.Empty(t, stdout.String())
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		assert.False(t, fsutil.IsPart(e.Name()) || strings.HasPrefix(e.Name(), "."), "left behind: %s", e.Name())
	}
}
