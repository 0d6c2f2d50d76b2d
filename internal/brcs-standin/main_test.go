//go:build unix

package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// standin is brcs-standin built once per test binary.
var standin = &testutil.Commands{Pkgs: []string{"github.com/brcs-toolkit/brcs/internal/brcs-standin"}}

func standinBinary(t *testing.T) string {
	t.Helper()
	return standin.Path(t, "brcs-standin")
}

func TestMain(m *testing.M) {
	code := m.Run()
	standin.Remove()
	os.Exit(code)
}

// started is a running stand-in: its address, the lines it printed
// before "stops it", and its output, read until it ends.
type started struct {
	addr  string
	lines []string
	// ended is closed when its standard output is closed: it has exited.
	ended chan struct{}
}

// readStart reads the stand-in's greeting from out, then drains out in
// the background, closing ended at its end.
func readStart(t *testing.T, out io.Reader) *started {
	t.Helper()
	sc := bufio.NewScanner(out)
	s := &started{ended: make(chan struct{})}
	for sc.Scan() {
		line := sc.Text()
		s.lines = append(s.lines, line)
		if a, ok := strings.CutPrefix(line, "stand-in appliance at https://"); ok {
			s.addr, _, _ = strings.Cut(a, " ")
		}
		if strings.HasSuffix(line, "stops it") {
			break
		}
	}
	require.NotEmpty(t, s.addr, "the stand-in printed %q", s.lines)
	go func() {
		for sc.Scan() {
		}
		close(s.ended)
	}()
	return s
}

// portFree reports whether nothing listens on addr any more.
func portFree(addr string) bool {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// kill -TERM stops the stand-in itself, cleanly, and frees its port.
func TestSIGTERMStopsIt(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(standinBinary(t), "-listen", "127.0.0.1:0", "-ca", filepath.Join(t.TempDir(), "ca.pem"))
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill() })
	s := readStart(t, out)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-s.ended:
	case <-time.After(30 * time.Second):
		t.Fatal("the stand-in still runs 30 s after SIGTERM")
	}
	err = cmd.Wait()
	assert.NoError(t, err, "SIGTERM is a clean stop (exit 0), not death by the signal")
	assert.True(t, portFree(s.addr), "%s is free again", s.addr)
}

// When the process that started it ends (a killed `go run`, shell or
// test), the stand-in ends too instead of holding its port.
func TestParentDeathStopsIt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	// sh starts the stand-in in the background, as a README line does,
	// and is then killed without a chance to pass anything on.
	sh := exec.Command("sh", "-c", `"$0" "$@" & echo $! > `+pidFile+`; wait`, standinBinary(t), "-listen", "127.0.0.1:0", "-ca", filepath.Join(dir, "ca.pem"))
	// A pipe of our own, not StdoutPipe: Wait for sh must not close it,
	// since the stand-in's end of it is what shows that it has exited.
	out, w, err := os.Pipe()
	require.NoError(t, err)
	defer out.Close()
	sh.Stdout = w
	require.NoError(t, sh.Start())
	w.Close()
	s := readStart(t, out)
	raw, err := os.ReadFile(pidFile)
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	require.NoError(t, err)
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })

	require.NoError(t, sh.Process.Signal(syscall.SIGKILL))
	sh.Wait()
	select {
	case <-s.ended:
	case <-time.After(30 * time.Second):
		t.Fatal("the stand-in still runs 30 s after its parent was killed")
	}
	for i := 0; i < 50 && !portFree(s.addr); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	assert.True(t, portFree(s.addr), "%s is free again", s.addr)
}

// -failover-role primary reports a fresh, successful data sync, so that
// health --nagios is OK against it; the accounts are printed with their
// passwords.
func TestFailoverRoleAndAccounts(t *testing.T) {
	t.Parallel()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	cmd := exec.Command(standinBinary(t), "-listen", "127.0.0.1:0", "-ca", ca, "-failover-role", "primary")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	s := readStart(t, out)
	for _, want := range []string{
		"  test, password test: administrator, Command API, reporting API, reports of all sessions, recordings",
		"  commander, password commander-pw: Command API",
		"  reporter, password reporter-pw: reporting API, reports of team sessions",
		"  nobody, password nobody-pw: no permission",
		"active sessions: c69a8e10bea9428f816cfababe9815fe, da4b510978a541d49398e88c66e28475",
	} {
		assert.Contains(t, s.lines, want)
	}

	pem, err := os.ReadFile(ca)
	require.NoError(t, err)
	c, err := appliance.New("https://"+s.addr, appliance.UserPassword{Username: "test", Password: "test"}, appliance.Options{CACertsPEM: pem})
	require.NoError(t, err)
	h, err := c.CheckHealth(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "primary", h.FailoverRole)
	assert.Equal(t, "success", h.LastSyncStatus)
	assert.WithinDuration(t, time.Now(), h.LastSync, time.Minute)
}

func TestWatchParent(t *testing.T) {
	t.Parallel()
	ppid := 42
	var mu sync.Mutex
	get := func() int { mu.Lock(); defer mu.Unlock(); return ppid }
	stopped := make(chan struct{})
	go watchParent(context.Background(), get(), get, time.Millisecond, func() { close(stopped) })
	select {
	case <-stopped:
		t.Fatal("stopped while the parent lives")
	case <-time.After(20 * time.Millisecond):
	}
	mu.Lock()
	ppid = 1 // adopted by init: the parent ended
	mu.Unlock()
	select {
	case <-stopped:
	case <-time.After(30 * time.Second):
		t.Fatal("not stopped after the parent ended")
	}
}

// The README names each account of the stand-in with its password.
func TestREADMENamesTheAccounts(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	for name, u := range appliancetest.DefaultData().Users {
		want := "`" + name + "` (`" + u.Password + "`"
		if name == u.Password {
			want = "`" + name + "` (password `" + u.Password + "`"
		}
		assert.Contains(t, string(raw), want)
	}
}

// The certificate file is written atomically and never through a link:
// a ca.pem planted as a link to another file (README's /tmp/standin-ca.pem
// is in a shared folder) leaves that file as it was, and the stand-in
// says it cannot write the certificate instead of serving.
func TestCAFileNeverThroughALink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	require.NoError(t, os.WriteFile(victim, []byte("mine"), 0o600))
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.Symlink(victim, ca))
	cmd := exec.Command(standinBinary(t), "-listen", "127.0.0.1:0", "-ca", ca)
	done := make(chan error, 1)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill() })
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.Error(t, err, "it does not serve with a certificate it could not write")
		assert.Contains(t, stderr.String(), ca)
	case <-time.After(30 * time.Second):
		t.Fatal("the stand-in serves although its certificate went through a link")
	}
	b, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "mine", string(b), "the link's target is untouched")
}

// A parent that ends before the watch's first look (the goroutine
// scheduled late on a loaded machine: TestParentDeathStopsIt failed so)
// still stops the stand-in: the parent's ID is the one read at the start.
func TestWatchParentGoneBeforeTheFirstLook(t *testing.T) {
	t.Parallel()
	stopped := make(chan struct{})
	adopted := func() int { return 1 }
	go watchParent(context.Background(), 42, adopted, time.Millisecond, func() { close(stopped) })
	select {
	case <-stopped:
	case <-time.After(30 * time.Second):
		t.Fatal("not stopped: the parent was gone before the first look")
	}
}

// The stand-in serves on loopback only, as its -listen flag says: its
// accounts and passwords are printed for anyone to read, so 0.0.0.0 or
// ":PORT" (every interface) is refused.
func TestListenOnLoopbackOnly(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0"} {
		// A refusal takes milliseconds; the minute only stops a stand-in
		// that serves (and so never exits), and is no race on a busy machine.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, standinBinary(t), "-listen", addr, "-ca", filepath.Join(t.TempDir(), "ca.pem"))
		out, err := cmd.CombinedOutput()
		require.NoError(t, ctx.Err(), "%s: it served instead of refusing", addr)
		require.Error(t, err, "%s: %s", addr, out)
		assert.NotContains(t, string(out), "stand-in appliance at", addr)
		assert.Contains(t, string(out), "loopback", addr)
	}
}
