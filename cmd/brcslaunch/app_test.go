package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

var fakeConsole string // built once by TestMain

// TestMain runs the tests, or brcslaunch itself when a script test
// executes it (testscript).
func TestMain(m *testing.M) {
	os.Exit(testscript.RunMain(withConsole{m}, map[string]func() int{
		"brcslaunch": func() int {
			// Here os.Executable is the copy of the test binary named
			// brcslaunch, which runs this function again: a real helper.
			return Main(os.Args, Env{Env: cliutil.OSEnv(),
				StdinIsTerminal: cliutil.IsTerminal(os.Stdin), Helper: selfHelper()})
		},
	}))
}

// withConsole builds the stand-in console before the tests run.
type withConsole struct{ m *testing.M }

func (w withConsole) Run() int {
	dir, err := os.MkdirTemp("", "brcs-fakeconsole-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	if err := testutil.Build(dir, "github.com/brcs-toolkit/brcs/internal/brcs-fakeconsole"); err != nil {
		panic(err)
	}
	// The launcher looks for the console by its real name.
	fakeConsole = filepath.Join(dir, "bomgar-acc")
	if err := os.Rename(filepath.Join(dir, "brcs-fakeconsole"), fakeConsole); err != nil {
		panic(err)
	}
	return w.m.Run()
}

// record is one run of the fake console.
type record struct {
	Args    []string `json:"args"`
	Script  string   `json:"script"`
	Mode    string   `json:"mode"`
	DirMode string   `json:"dir_mode"`
	PID     int      `json:"pid"`
	PPID    int      `json:"ppid"`
}

// fakePrompter answers as told and remembers what it was shown.
type fakePrompter struct {
	answer  bool
	shown   []string
	alerts  []string
	onAsk   func()
	asked   int
	alerted int
}

func (f *fakePrompter) Confirm(title, text string) (bool, error) {
	f.asked++
	f.shown = append(f.shown, title+"\n"+text)
	if f.onAsk != nil {
		f.onAsk()
	}
	return f.answer, nil
}

func (f *fakePrompter) Alert(title, text string) error {
	f.alerted++
	f.alerts = append(f.alerts, title+"\n"+text)
	return nil
}

type run struct {
	status         int
	stdout, stderr string
	consoleRuns    []record
}

type setup struct {
	t        *testing.T
	log      string
	env      map[string]string
	prompter *fakePrompter
	terminal bool
	stdin    string
	// cols and rows are the terminal's size (0: unknown).
	cols, rows int
}

func newSetup(t *testing.T) *setup {
	log := filepath.Join(t.TempDir(), "console.log")
	t.Setenv("FAKE_CONSOLE_LOG", log)
	t.Setenv("FAKE_CONSOLE_EXIT", "0")
	return &setup{t: t, log: log, env: map[string]string{"BRCS_CONSOLE": fakeConsole, "DISPLAY": ":99"}, prompter: &fakePrompter{answer: true}}
}

func (s *setup) run(args ...string) run {
	s.t.Helper()
	var out, errb bytes.Buffer
	e := Env{
		Env:             cliutil.Env{Stdin: strings.NewReader(s.stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return s.env[k] }},
		StdinIsTerminal: s.terminal,
		TerminalCols:    s.cols, TerminalRows: s.rows,
	}
	if s.prompter != nil {
		e.Desktop = s.prompter
	}
	st := Main(append([]string{"brcslaunch", "--config", filepath.Join(s.t.TempDir(), "none.json"), "--wait"}, args...), e)
	r := run{status: st, stdout: out.String(), stderr: errb.String()}
	if f, err := os.Open(s.log); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var rec record
			require.NoError(s.t, json.Unmarshal(sc.Bytes(), &rec))
			r.consoleRuns = append(r.consoleRuns, rec)
		}
		f.Close()
	}
	return r
}

const valid = "BRCS1.0\naction=login\naction=start_jump_item_session&client.hostname=ABCDEF02&jump.method=pinned&session.custom.external_key=INC0012345\naction=delete_script_file\n"

func writeScript(t *testing.T, name, body string) string {
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

func TestValidFileRunsAfterConfirmation(t *testing.T) {
	s := newSetup(t)
	path := writeScript(t, "jump.brcs-support", valid)
	r := s.run(path)
	require.Equal(t, 0, r.status, r.stderr)
	require.Len(t, s.prompter.shown, 1)
	shown := s.prompter.shown[0]
	assert.Contains(t, shown, "Run this access console script?")
	assert.Contains(t, shown, "jump.brcs-support, for site support, will:")
	assert.Contains(t, shown, "1. open the access console and log in with the credentials it has saved")
	assert.Contains(t, shown, "2. start a Jump session to a pinned Jump Client whose host name contains ABCDEF02, ticket INC0012345")
	assert.Contains(t, shown, "3. delete the script file once it has run")
	require.Len(t, r.consoleRuns, 1)
	c := r.consoleRuns[0]
	require.Len(t, c.Args, 2)
	assert.Equal(t, "--run-script-file", c.Args[0])
	assert.True(t, filepath.IsAbs(c.Args[1]))
	assert.NotEqual(t, path, c.Args[1], "the console gets a private copy")
	assert.Equal(t, "jump.brcs-support", filepath.Base(c.Args[1]))
	assert.Equal(t, valid, c.Script)
	assert.Equal(t, "600", c.Mode)
	assert.Equal(t, "700", c.DirMode)
	_, err := os.Stat(filepath.Dir(c.Args[1]))
	assert.True(t, os.IsNotExist(err), "the private copy is removed after --wait")
}

func TestValidCommand(t *testing.T) {
	s := newSetup(t)
	cmd := "action=start_jump_item_session&client.hostname=ABCEF02&session.custom.external_key=123456789"
	r := s.run("--command", cmd)
	require.Equal(t, 0, r.status, r.stderr)
	require.Len(t, r.consoleRuns, 1)
	assert.Equal(t, []string{"--run-script", cmd}, r.consoleRuns[0].Args)
	assert.Contains(t, s.prompter.shown[0], "start a Jump session to a Jump Item whose host name contains ABCEF02, ticket 123456789")
}

func TestInvalidScriptsNeverReachTheConsole(t *testing.T) {
	files, err := filepath.Glob("../../testdata/invalid/pam-15.3/*.brcs-t")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	checked := 0
	for _, f := range files {
		body, err := os.ReadFile(f)
		require.NoError(t, err)
		if !hasError(t, f) {
			continue // warnings only: such a script may run
		}
		s := newSetup(t)
		r := s.run(writeScript(t, "x.brcs-support", string(body)))
		assert.Equal(t, 1, r.status, f)
		assert.Empty(t, r.consoleRuns, "%s reached the console", f)
		assert.Zero(t, s.prompter.asked, "%s: nobody is asked about an invalid script", f)
		assert.NotEmpty(t, r.stderr, f)
		assert.Len(t, s.prompter.alerts, 1, "%s: a dialog says why", f)
		checked++
	}
	assert.Greater(t, checked, 20)
	for _, cmd := range []string{"action=login\naction=delete_script_file", "client.hostname=A", "action=start_jump_item_session&client.hostname=A B", ""} {
		s := newSetup(t)
		r := s.run("--command", cmd)
		if cmd == "" {
			assert.Equal(t, 2, r.status)
		} else {
			assert.Equal(t, 1, r.status, cmd)
		}
		assert.Empty(t, r.consoleRuns, cmd)
	}
}

// hasError reports whether the golden findings of f include an error.
func hasError(t *testing.T, f string) bool {
	out, err := os.ReadFile(f + ".out")
	require.NoError(t, err)
	return strings.Contains(string(out), ": error: ")
}

func TestRefusals(t *testing.T) {
	s := newSetup(t)
	dir := t.TempDir()
	dash := filepath.Join(dir, "-rf.brcs-support")
	require.NoError(t, os.WriteFile(dash, []byte(valid), 0o644))
	wd, _ := os.Getwd()
	require.NoError(t, os.Chdir(dir))
	r := s.run("-rf.brcs-support")
	require.NoError(t, os.Chdir(wd))
	assert.NotEqual(t, 0, r.status)
	assert.Empty(t, r.consoleRuns)

	r = s.run("--command", "-x")
	assert.Equal(t, 1, r.status)
	assert.Contains(t, r.stderr, "starts with '-'")
	assert.Empty(t, r.consoleRuns)

	target := writeScript(t, "real.brcs-support", valid)
	link := filepath.Join(t.TempDir(), "link.brcs-support")
	require.NoError(t, os.Symlink(target, link))
	r = s.run(link)
	assert.Equal(t, 1, r.status)
	assert.Contains(t, r.stderr, "is a symbolic link")
	assert.Empty(t, r.consoleRuns)

	r = s.run(writeScript(t, "jump.txt", valid))
	assert.Equal(t, 1, r.status)
	assert.Contains(t, r.stderr, "not a BRCS script's name")

	r = s.run(t.TempDir())
	assert.Equal(t, 1, r.status)
	assert.Contains(t, r.stderr, "not a regular file")

	r = s.run("--allow-site", "other", writeScript(t, "j.brcs-support", valid))
	assert.Equal(t, 1, r.status)
	assert.Contains(t, r.stderr, `site "support", which is not allowed here`)
	r = s.run("--allow-site", "support", writeScript(t, "j.brcs-support", valid))
	assert.Equal(t, 0, r.status, r.stderr)

	s = newSetup(t)
	r = s.run(writeScript(t, "x.brcs-support", "BRCS1.0\naction=login\x00\n"))
	assert.Equal(t, 1, r.status)
	assert.Contains(t, r.stderr, "binary-input")
	assert.Empty(t, r.consoleRuns, "binary")
}

func TestFileReplacedAfterValidationIsNotWhatRuns(t *testing.T) {
	s := newSetup(t)
	path := writeScript(t, "jump.brcs-support", valid)
	evil := "BRCS1.0\naction=start_jump_item_session&client.hostname=EVIL\n"
	s.prompter.onAsk = func() {
		// While the technician reads the summary, the file changes.
		require.NoError(t, os.Remove(path))
		require.NoError(t, os.WriteFile(path, []byte(evil), 0o644))
	}
	r := s.run(path)
	require.Equal(t, 0, r.status, r.stderr)
	require.Len(t, r.consoleRuns, 1)
	assert.Equal(t, valid, r.consoleRuns[0].Script, "the console runs the bytes that were checked and shown")
}

func TestWaitPassesTheConsolesStatus(t *testing.T) {
	s := newSetup(t)
	t.Setenv("FAKE_CONSOLE_EXIT", "3")
	r := s.run(writeScript(t, "jump.brcs-support", valid))
	assert.Equal(t, 3, r.status)
	require.Len(t, r.consoleRuns, 1)
}

func TestWithoutWaitTheConsoleIsDetached(t *testing.T) {
	s := newSetup(t)
	var out, errb bytes.Buffer
	t.Setenv("FAKE_CONSOLE_EXIT", "5")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	helper, err := exec.LookPath("brcslaunch") // testscript's copy of this binary
	require.NoError(t, err)
	st := Main([]string{"brcslaunch", "--config", filepath.Join(t.TempDir(), "none.json"), "--yes", writeScript(t, "jump.brcs-support", valid)},
		Env{Env: cliutil.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return s.env[k] }},
			Helper: []string{helper, serveCopy}})
	assert.Equal(t, 0, st, "the launcher does not wait, so the console's 5 is not its status")
	assert.Contains(t, errb.String(), "start a Jump session", "with --yes the summary is printed")
	eventually(t, func() bool {
		left, _ := filepath.Glob(filepath.Join(tmp, "brcslaunch-*"))
		return len(s.run("--version").consoleRuns) == 1 && len(left) == 0
	}, "the console ran and its copy's folder is gone")
}

func TestConsoleNotFound(t *testing.T) {
	s := newSetup(t)
	s.env = map[string]string{"PATH": t.TempDir(), "HOME": t.TempDir()}
	r := s.run(writeScript(t, "jump.brcs-support", valid))
	assert.Equal(t, 1, r.status)
	for _, place := range []string{"--console: not set", "BRCS_CONSOLE: not set", "the config file: not set", "PATH: bomgar-acc, bomgar-acc-x64.exe"} {
		assert.Contains(t, r.stderr, place)
	}
	assert.Zero(t, s.prompter.asked, "nobody is asked to run what cannot start")

	s = newSetup(t)
	s.env = map[string]string{"PATH": filepath.Dir(fakeConsole), "DISPLAY": ":99"}
	r = s.run(writeScript(t, "jump.brcs-support", valid))
	assert.Equal(t, 0, r.status, "found in PATH as bomgar-acc: %s", r.stderr)

	s = newSetup(t)
	r = s.run("--console", filepath.Join(t.TempDir(), "nope"), writeScript(t, "jump.brcs-support", valid))
	assert.Equal(t, 1, r.status)
	assert.Contains(t, r.stderr, "--console")
}

func TestConfirmation(t *testing.T) {
	s := newSetup(t)
	s.prompter.answer = false
	r := s.run(writeScript(t, "jump.brcs-support", valid))
	assert.Equal(t, 1, r.status)
	assert.Contains(t, r.stderr, "declined")
	assert.Empty(t, r.consoleRuns)

	// No desktop, no terminal, no --yes: refuse rather than run unasked.
	s = newSetup(t)
	s.prompter = nil
	r = s.run(writeScript(t, "jump.brcs-support", valid))
	assert.Equal(t, 1, r.status)
	assert.Contains(t, r.stderr, "never run unasked")
	assert.Empty(t, r.consoleRuns)

	// --no-gui asks on the terminal.
	s = newSetup(t)
	s.terminal, s.stdin = true, "y\n"
	r = s.run("--no-gui", writeScript(t, "jump.brcs-support", valid))
	assert.Equal(t, 0, r.status, r.stderr)
	assert.Zero(t, s.prompter.asked)
	assert.Contains(t, r.stderr, "Run it? [y/N]")
	assert.Len(t, r.consoleRuns, 1)
	s = newSetup(t)
	s.terminal, s.stdin = true, "\n"
	r = s.run("--no-gui", writeScript(t, "jump.brcs-support", valid))
	assert.Equal(t, 1, r.status, "the default answer is no")
	assert.Empty(t, r.consoleRuns)

	// No DISPLAY: no dialog even in a GUI build.
	s = newSetup(t)
	delete(s.env, "DISPLAY")
	r = s.run(writeScript(t, "jump.brcs-support", valid))
	assert.Equal(t, 1, r.status)
	assert.Zero(t, s.prompter.asked)
}

func TestPasswords(t *testing.T) {
	login := "BRCS1.0\naction=login&mechanism=username_password&username=alice&password=hunter2\naction=delete_script_file\n"
	s := newSetup(t)
	r := s.run(writeScript(t, "login.brcs-support", login))
	require.Equal(t, 0, r.status, r.stderr)
	shown := s.prompter.shown[0]
	assert.Contains(t, shown, "log in to the access console as alice, with a password stored in plain text in this file (not shown)")
	assert.Contains(t, shown, "WARNING: this script holds a password in plain text")
	assert.NotContains(t, shown+r.stderr+r.stdout, "hunter2")

	s = newSetup(t)
	r = s.run("--refuse-passwords", writeScript(t, "login.brcs-support", login))
	assert.Equal(t, 1, r.status)
	assert.Contains(t, r.stderr, "policy here refuses")
	assert.Empty(t, r.consoleRuns)
	assert.NotContains(t, r.stderr, "hunter2")

	cfg := filepath.Join(t.TempDir(), "c.json")
	require.NoError(t, os.WriteFile(cfg, []byte(`{"passwords": "refuse"}`), 0o644))
	s = newSetup(t)
	r = s.run("--config", cfg, writeScript(t, "login.brcs-support", login))
	assert.Equal(t, 1, r.status)
}

func TestValuesCannotDisguiseThemselves(t *testing.T) {
	s := newSetup(t)
	// In a filter such characters are refused; free text only warns.
	r := s.run("--command", "action=start_jump_item_session&client.hostname=PC&session.custom.external_key=PC%E2%80%AE10%0Aok")
	require.Equal(t, 0, r.status, r.stderr)
	assert.Contains(t, s.prompter.shown[0], `"PC\u202e10\nok"`, "a right-to-left override or a line break is shown escaped")
}

func TestConfigFile(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "c.json")
	require.NoError(t, os.WriteFile(cfg, []byte(`{"console": "`+fakeConsole+`", "allow_sites": ["support"]}`), 0o644))
	s := newSetup(t)
	delete(s.env, "BRCS_CONSOLE")
	r := s.run("--config", cfg, writeScript(t, "jump.brcs-support", valid))
	assert.Equal(t, 0, r.status, r.stderr)
	r = s.run("--config", cfg, writeScript(t, "jump.brcs-other", valid))
	assert.Equal(t, 1, r.status)
	require.NoError(t, os.WriteFile(cfg, []byte(`{"colour": 1}`), 0o644))
	r = s.run("--config", cfg, writeScript(t, "jump.brcs-support", valid))
	assert.Equal(t, 2, r.status)
}

// A script whose summary fits a dialog can still be taller than the
// terminal: 12 custom fields of 120 characters pushed the first command, a
// jump to EVIL01 over RDP, off an 80x20 terminal above the question (55
// pushed it off 80x24, under the 8 KiB cap, before the cap in lines). It
// is refused there; the terminal's size comes from the terminal.
func TestQuestionTallerThanTheTerminalIsRefused(t *testing.T) {
	var fields []string
	for i := range 12 {
		fields = append(fields, fmt.Sprintf("session.custom.f%02d=%s", i, strings.Repeat("B", 120)))
	}
	script := "BRCS1.0\naction=start_jump_item_session&client.hostname=EVIL01&jump.method=rdp\n" +
		"action=start_jump_item_session&client.hostname=ABCDEF02&" + strings.Join(fields, "&") + "\naction=delete_script_file\n"
	s := newSetup(t)
	s.terminal, s.stdin, s.cols, s.rows = true, "y\n", 80, 20
	r := s.run("--no-gui", writeScript(t, "jump.brcs-support", script))
	assert.Equal(t, 1, r.status)
	assert.Contains(t, r.stderr, "more than the 20 of this terminal")
	assert.NotContains(t, r.stderr, "Run it?", "nothing is asked")
	assert.Empty(t, r.consoleRuns)

	s = newSetup(t)
	s.terminal, s.stdin, s.cols, s.rows = true, "y\n", 80, 20
	r = s.run("--no-gui", writeScript(t, "jump.brcs-support", valid))
	assert.Equal(t, 0, r.status, "a question that fits is asked: %s", r.stderr)
	assert.Len(t, r.consoleRuns, 1)
}

// TestCommaIsData: a comma in a repeatable flag's value is data. Split at
// the comma, "--allow-site 'support,other'" allowed the site support; the
// value arrives whole, so it allows no site of that name.
func TestCommaIsData(t *testing.T) {
	s := newSetup(t)
	r := s.run("--allow-site", "support,other", writeScript(t, "j.brcs-support", valid))
	assert.Equal(t, 1, r.status)
	assert.Contains(t, r.stderr, `(allowed: support,other)`)
	assert.Empty(t, r.consoleRuns)

	testutil.SliceFlagsKeepCommas(t, func() *cli.App {
		var status int
		return newApp(Env{Env: cliutil.Env{}.WithDefaults()}, &status)
	})
}

// eventually polls cond until it holds, failing after a generous bound
// (the processes run on a loaded machine); it returns as soon as it holds.
func eventually(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
	}
}
