package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/archive"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// A real brcsapi process signalled while a window is in flight rolls that
// window back, says up to where it archived, and exits 130 (SIGINT) or 143
// (SIGTERM); the next sync continues from there and archives every
// session once.
func TestArchiveSyncInterruptedBySignal(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SKIPPED: Windows has no SIGINT to send to another process")
	}
	bin := brcsapiBin(t)
	for _, sig := range testutil.StopSignals() {
		t.Run(sig.Name, func(t *testing.T) {
			t.Parallel()
			r := newReportRig(t)
			gen := &appliancetest.Generated{N: 96, Start: time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC), Step: 30 * time.Minute, Events: 3}
			r.s.Update(func(d *appliancetest.Data) { d.Reports.Generated = gen })
			r.s.SetDelay(100 * time.Millisecond)
			r.s.Misbehave(appliancetest.Slow, 0)
			db := filepath.Join(t.TempDir(), "a.db")
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(bin, append(r.base[1:], "archive", "sync", "--db", db, "--since", "2015-03-01", "--window", "1h", "--fixed-window")...)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			require.NoError(t, cmd.Start())
			// Signal while the fourth window is being answered.
			deadline := time.Now().Add(20 * time.Second)
			for reportRequests(r.s) < 4 {
				require.True(t, time.Now().Before(deadline), "the sync never reached its fourth window: %s", stderr.String())
				time.Sleep(5 * time.Millisecond)
			}
			require.NoError(t, cmd.Process.Signal(sig.Signal))
			err := cmd.Wait()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, stderr.String())
			assert.Equal(t, sig.Status, exit.ExitCode(), stderr.String())
			m := regexp.MustCompile(`archive sync stopped: (\d+) sessions? in (\d+) windows? committed; the archive holds every session that ended before (\S+); run the sync again`).FindStringSubmatch(stderr.String())
			require.NotNil(t, m, stderr.String())
			assert.Equal(t, 1, strings.Count(stderr.String(), "\n"), "the signal and the summary, in one line: %q", stderr.String())
			assert.Contains(t, stderr.String(), "brcsapi: interrupted by ")
			assert.NotContains(t, stderr.String(), "context canceled")

			a, err := archive.Open(context.Background(), db)
			require.NoError(t, err)
			cur, ok, err := a.Cursor(context.Background(), archive.DefaultCursor)
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, m[3], cur.Format(time.RFC3339), "the line says where the cursor is")
			n, err := a.Count(context.Background())
			require.NoError(t, err)
			assert.Equal(t, m[1], strconv.Itoa(n), "the archive holds what the line says")
			// Every session that ended before the cursor, none after.
			rows, err := a.Find(context.Background(), archive.Filter{})
			require.NoError(t, err)
			for _, row := range rows {
				assert.False(t, row.End.After(cur), "%s ended after the cursor", row.LSID)
			}
			assert.Equal(t, int(cur.Sub(gen.Start)/gen.Step), n, "sessions end at 15 and 45 past each hour")
			a.Close()

			r.s.Misbehave(appliancetest.Normal, 0)
			code, out, errOut := r.run("archive", "sync", "--db", db)
			require.Equal(t, 0, code, errOut)
			assert.Contains(t, out, strconv.Itoa(96-n)+" sessions in ")
		})
	}
}

func reportRequests(s *appliancetest.Server) int {
	n := 0
	for _, q := range s.Requests() {
		if strings.HasPrefix(q.Path, "/api/reporting") {
			n++
		}
	}
	return n
}

// On a terminal, the sync shows the sessions written, the share of the
// range and (past a second) the rate, and ends the line; off a terminal
// it shows nothing. The final line says what was done.
func TestArchiveSyncProgress(t *testing.T) {
	r := newReportRig(t)
	db := filepath.Join(t.TempDir(), "a.db")
	var out, errb bytes.Buffer
	e := cliutil.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: func() time.Time { return r.now },
		Terminal: func(any) bool { return true }}
	code := Main(append(append([]string(nil), r.base...), "archive", "sync", "--db", db, "--since", "2015-03-01"), e)
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, errb.String(), "\rarchive sync 3 sessions, 100% of the range")
	assert.True(t, strings.HasSuffix(errb.String(), "\n"), "the progress line ends: %q", errb.String())
	assert.NotContains(t, errb.String(), "windows")
	assert.Regexp(t, `^3 sessions in \d+ windows; archived up to 2015-03-04T23:59:00Z\n$`, out.String())

	code, _, stderr := r.run("archive", "sync", "--db", filepath.Join(t.TempDir(), "b.db"), "--since", "2015-03-01")
	require.Equal(t, 0, code)
	assert.Empty(t, stderr, "nothing off a terminal")
}
