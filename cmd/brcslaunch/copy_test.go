//go:build unix

package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/fsutil"
)

// A login script without delete_script_file: the console leaves the copy,
// password included.
const nodel = "BRCS1.0\naction=login&mechanism=username_password&username=tech&password=s3cret\naction=start_jump_item_session&client.hostname=PC01\n"

// detached runs brcslaunch as its own process (the copy of the test binary
// testscript puts on PATH), without --wait, as a browser's file handler
// does. The console holds until the file hold exists.
type detached struct {
	t               *testing.T
	tmp, log, hold  string
	console, config string
}

func newDetached(t *testing.T) *detached {
	d := &detached{t: t, tmp: t.TempDir(), console: fakeConsole, config: filepath.Join(t.TempDir(), "none.json")}
	d.log = filepath.Join(t.TempDir(), "console.log")
	d.hold = filepath.Join(t.TempDir(), "hold")
	// Whatever happens, no console is left waiting.
	t.Cleanup(func() { os.WriteFile(d.hold, nil, 0o644) })
	return d
}

func (d *detached) launch(args ...string) (int, string) {
	d.t.Helper()
	prog, err := exec.LookPath("brcslaunch")
	require.NoError(d.t, err)
	cmd := exec.Command(prog, append([]string{"--config", d.config, "--yes"}, args...)...)
	cmd.Env = append(os.Environ(), "TMPDIR="+d.tmp, "BRCS_CONSOLE="+d.console, "FAKE_CONSOLE_LOG="+d.log, "FAKE_CONSOLE_HOLD="+d.hold, "FAKE_CONSOLE_EXIT=0")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), string(out)
	}
	require.NoError(d.t, err, string(out))
	return 0, string(out)
}

// runs reads the console's log: one record a console started.
func (d *detached) runs() []record {
	var out []record
	f, err := os.Open(d.log)
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r record
		require.NoError(d.t, json.Unmarshal(sc.Bytes(), &r))
		out = append(out, r)
	}
	return out
}

// staleCopy makes in d's temporary folder the copy folder name that a run
// now gone leaves behind: a lock file in it that nobody holds.
func (d *detached) staleCopy(name string) string {
	stale := filepath.Join(d.tmp, name)
	require.NoError(d.t, os.Mkdir(stale, 0o700))
	require.NoError(d.t, os.WriteFile(filepath.Join(stale, ".lock"), nil, 0o600))
	return stale
}

func (d *detached) folders() []string {
	got, err := filepath.Glob(filepath.Join(d.tmp, "brcslaunch-*"))
	require.NoError(d.t, err)
	return got
}

// TestNoPrivateCopyOutlivesTheConsole: a launch without --wait returns at
// once, the copy (password included) exists while the console runs, and
// it is gone, folder and all, when the console exits (issue 17: it stayed
// in $TMPDIR/brcslaunch-NNN/, and every launch left an empty folder).
func TestNoPrivateCopyOutlivesTheConsole(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, body string }{
		{"nodel.brcs-support", nodel},
		{"jump.brcs-support", valid}, // ends in delete_script_file: the console removes the file
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := newDetached(t)
			status, out := d.launch(writeScript(t, c.name, c.body))
			require.Equal(t, 0, status, out)
			eventually(t, func() bool { return len(d.runs()) == 1 }, "the console started")
			r := d.runs()[0]
			assert.Equal(t, c.body, r.Script, "the console ran the checked bytes")
			assert.Equal(t, "600", r.Mode)
			assert.Equal(t, "700", r.DirMode)
			dirs := d.folders()
			require.Len(t, dirs, 1, "the console is running: its copy's folder is there")
			_, err := fsutil.TryLock(filepath.Join(dirs[0], ".lock"))
			assert.ErrorIs(t, err, fsutil.ErrLocked, "the helper holds the folder's lock while the console runs")

			require.NoError(t, os.WriteFile(d.hold, nil, 0o644)) // the technician closes the console
			eventually(t, func() bool { return len(d.folders()) == 0 }, "the copy's folder removed once the console exited")
		})
	}
}

// TestStaleCopiesAreRemovedAtTheNextStart: folders whose lock nobody holds
// (their helper is gone: killed, or the machine went down) are removed by
// the next launch, and a folder whose helper lives is kept.
func TestStaleCopiesAreRemovedAtTheNextStart(t *testing.T) {
	t.Parallel()
	d := newDetached(t)
	// Debris of an earlier run: a folder with a lock file nobody holds.
	stale := d.staleCopy("brcslaunch-1234")
	require.NoError(t, os.WriteFile(filepath.Join(stale, "nodel.brcs-support"), []byte(nodel), 0o600))
	// Not ours to judge: a file, and a folder of another name.
	require.NoError(t, os.WriteFile(filepath.Join(d.tmp, "brcslaunch-file"), nil, 0o600))
	require.NoError(t, os.Mkdir(filepath.Join(d.tmp, "other-1"), 0o700))

	status, out := d.launch(writeScript(t, "nodel.brcs-support", nodel))
	require.Equal(t, 0, status, out)
	eventually(t, func() bool { return len(d.runs()) == 1 }, "the console started")
	assert.NoDirExists(t, stale, "the stale copy is removed at the next start")
	assert.FileExists(t, filepath.Join(d.tmp, "brcslaunch-file"))
	assert.DirExists(t, filepath.Join(d.tmp, "other-1"))
	live := d.folders()
	require.Len(t, live, 2, "the running console's folder, and the file") // brcslaunch-file matches the glob too

	// A second launch while the first console runs keeps the first copy.
	status, out = d.launch(writeScript(t, "jump.brcs-support", valid))
	require.Equal(t, 0, status, out)
	eventually(t, func() bool { return len(d.runs()) == 2 }, "the second console started")
	first := d.runs()[0]
	assert.DirExists(t, filepath.Dir(first.Args[1]), "a live helper's copy is kept")

	// SIGKILL the first console's helper: the kernel releases its lock, so
	// the next start removes the copy although the console still runs.
	require.NoError(t, syscall.Kill(first.PPID, syscall.SIGKILL))
	eventually(t, func() bool {
		l, err := fsutil.TryLock(filepath.Join(filepath.Dir(first.Args[1]), ".lock"))
		if err == nil {
			l.Unlock()
		}
		return err == nil
	}, "the killed helper's lock released")
	status, out = d.launch(writeScript(t, "jump.brcs-support", valid))
	require.Equal(t, 0, status, out)
	assert.NoDirExists(t, filepath.Dir(first.Args[1]), "the killed helper's copy is removed at the next start")
	assert.True(t, strings.HasSuffix(first.Args[1], "nodel.brcs-support"))

	require.NoError(t, os.WriteFile(d.hold, nil, 0o644))
	eventually(t, func() bool { return len(d.folders()) == 1 }, "only the file brcslaunch-file is left")
}

// TestServeCopyChecksAgain: the hidden helper command can be run by hand;
// it never starts a script that does not validate.
func TestServeCopyChecksAgain(t *testing.T) {
	t.Parallel()
	d := newDetached(t)
	prog, err := exec.LookPath("brcslaunch")
	require.NoError(t, err)
	req, err := json.Marshal(map[string]any{"console": d.console, "temp_dir": d.tmp, "name": "x.brcs-support",
		"script": []byte("BRCS1.0\naction=start_jump_item_session&client.hostname=a b\n")})
	require.NoError(t, err)
	cmd := exec.Command(prog, serveCopy)
	cmd.Stdin = strings.NewReader(string(req))
	cmd.Env = append(os.Environ(), "FAKE_CONSOLE_LOG="+d.log)
	out, err := cmd.Output()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 1, ee.ExitCode())
	assert.Contains(t, string(out), `"error":"the script is not valid"`)
	assert.Empty(t, d.runs(), "the console never ran")
	assert.Empty(t, d.folders())
}

// TestCommandLaunchRemovesStaleCopies: a --command launch is a start too.
func TestCommandLaunchRemovesStaleCopies(t *testing.T) {
	t.Parallel()
	d := newDetached(t)
	stale := d.staleCopy("brcslaunch-99")
	require.NoError(t, os.WriteFile(d.hold, nil, 0o644))
	status, out := d.launch("--wait", "--command", "action=start_jump_item_session&client.hostname=PC01")
	require.Equal(t, 0, status, out)
	assert.NoDirExists(t, stale)
}
