//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// Issue 17 item 1, with real processes: `brcsapi backup` is signalled
// while the stand-in streams the backup (the temporary file exists and
// grows, then the stream stalls). SIGINT and SIGTERM exit 130 and 143
// with one line saying nothing was written and leave no .part; SIGKILL
// leaves its .part, and no lock that stops anyone: the next run succeeds
// and removes the dead run's .part.
func TestBackupSignalledLeavesNothingStuck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds brcsapi")
	}
	bin := brcsapiBin(t)

	s, r := standIn(t)
	s.Update(func(d *appliancetest.Data) { d.BackupSize = 4 << 20 })
	s.SetStallAfter(1 << 20)
	env := os.Environ()
	for k, v := range r.vars {
		env = append(env, k+"="+v)
	}
	start := func(dir string) (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.Command(bin, "backup", "-o", dir, "--keep", "3")
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		return cmd, &stderr
	}
	// part waits for the run's temporary file to hold bytes: the stream
	// is under way.
	part := func(dir string) string {
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if fi, err := e.Info(); err == nil && fsutil.IsPart(e.Name()) && fi.Size() > 0 {
					return e.Name()
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatal("no temporary file appeared")
		return ""
	}
	exitCode := func(err error) int {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		require.NoError(t, err)
		return 0
	}

	for _, c := range testutil.StopSignals() {
		t.Run(c.Name, func(t *testing.T) {
			dir := t.TempDir()
			s.Misbehave(appliancetest.Stall, 0)
			cmd, stderr := start(dir)
			part(dir)
			require.NoError(t, cmd.Process.Signal(c.Signal))
			assert.Equal(t, c.Status, exitCode(cmd.Wait()), stderr.String())
			assert.Equal(t, "brcsapi: interrupted by "+c.Name+": nothing written in "+dir+", no partial file left\n", stderr.String(), "one line")
			assert.Empty(t, listDir(t, dir), "no .part, and the lock is free")
		})
	}

	t.Run("SIGKILL", func(t *testing.T) {
		dir := t.TempDir()
		s.Misbehave(appliancetest.Stall, 0)
		cmd, _ := start(dir)
		left := part(dir)
		require.NoError(t, cmd.Process.Kill())
		cmd.Wait()
		require.Contains(t, listDir(t, dir), left, "a killed run cannot clean up")

		s.Misbehave(appliancetest.Normal, 0)
		cmd, stderr := start(dir)
		require.NoError(t, cmd.Wait(), stderr.String())
		files := listDir(t, dir)
		require.Len(t, files, 1, "the dead run's .part is removed: %v", files)
		assert.Equal(t, "brcsapi: removed "+filepath.Join(dir, left)+", left by a backup that was killed\n", stderr.String())
		assert.True(t, strings.HasSuffix(files[0], ".nsb") && !fsutil.IsPart(files[0]), files[0])
	})
}
