package cliutil_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The four commands, built once for the shell tests.
var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var commands = []string{"brcslint", "brcslaunch", "brcsapi", "brcsgen"}

func buildCommands(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "cliutil-commands-"); buildErr != nil {
			return
		}
		args := []string{"build", "-o", binDir}
		for _, c := range commands {
			args = append(args, "github.com/brcs-toolkit/brcs/cmd/"+c)
		}
		out, err := exec.Command("go", args...).CombinedOutput()
		if err != nil {
			buildErr = &buildError{string(out)}
		}
	})
	require.NoError(t, buildErr)
	return binDir
}

type buildError struct{ out string }

func (e *buildError) Error() string { return "go build: " + e.out }

// complete types line into shell, with the command's completion script
// loaded, and returns what the shell offers at its end (a line ending in
// a space completes a new, empty word).
func complete(t *testing.T, shell, line string) []string {
	t.Helper()
	bin := buildCommands(t)
	prog := strings.Fields(line)[0]
	dir := t.TempDir()
	script := filepath.Join(dir, "completion."+shell)
	out, err := exec.Command(filepath.Join(bin, prog), "--completion", shell).Output()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(script, out, 0o644))
	words := strings.Fields(line)
	if strings.HasSuffix(line, " ") {
		words = append(words, "")
	}
	fn := "_" + prog + "_complete"
	var cmd *exec.Cmd
	switch shell {
	case "bash":
		// What bash's programmable completion sets before calling the
		// function registered for the command.
		driver := `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; ` +
			fn + `; printf '%s\n' "${COMPREPLY[@]}"`
		cmd = exec.Command("bash", append([]string{"--norc", "--noprofile", "-c", driver, "bash", script}, words...)...)
	case "zsh":
		// compadd only works inside the line editor: it prints what it is
		// given instead.
		driver := `autoload -U compinit && compinit -u -d "$PWD/.zcompdump"; source "$1"; shift
compadd() { while [[ $# -gt 0 && $1 != -- ]]; do shift; done; shift; print -l -- "$@"; }
_files() { print FILES; }
words=("$@"); CURRENT=$#; ` + fn
		cmd = exec.Command("zsh", append([]string{"-f", "-c", driver, "zsh", script}, words...)...)
	case "fish":
		cmd = exec.Command("fish", "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, line)
	}
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "HOME="+dir)
	got, err := cmd.CombinedOutput()
	require.NoError(t, err, string(got))
	var offered []string
	for _, l := range strings.Split(string(got), "\n") {
		if l != "" {
			offered = append(offered, l)
		}
	}
	return offered
}

func assertOnce(t *testing.T, offered []string, line string) {
	t.Helper()
	seen := map[string]bool{}
	for _, o := range offered {
		assert.False(t, seen[o], "%q offers %s twice: %q", line, o, offered)
		seen[o] = true
	}
}

// TestFlagsCompleteInEveryShell types "--<TAB>" and friends into bash,
// zsh and fish for each of the four commands (issue 17: bash offered
// nothing after "brcsgen jump --" and fell back to file names, and
// "brcslint --h" offered --help twice).
func TestFlagsCompleteInEveryShell(t *testing.T) {
	// One flag each command has besides --help and --completion.
	own := map[string]string{"brcslint": "--command", "brcslaunch": "--allow-site", "brcsapi": "--appliance", "brcsgen": "--man"}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			if _, err := exec.LookPath(shell); err != nil {
				t.Skipf("%s is not installed", shell)
			}
			t.Parallel()
			for _, prog := range commands {
				line := prog + " --"
				got := complete(t, shell, line)
				assertOnce(t, got, line)
				for _, f := range []string{"--help", "--completion", own[prog]} {
					assert.Contains(t, got, f, line)
				}
				for _, o := range got {
					assert.True(t, strings.HasPrefix(o, "--"), "%q offers %q", line, o)
				}
			}
			line := "brcsgen jump --"
			got := complete(t, shell, line)
			assertOnce(t, got, line)
			for _, f := range []string{"--hostname", "--method", "--custom", "--help"} {
				assert.Contains(t, got, f, line)
			}
			assert.False(t, slices.ContainsFunc(got, func(s string) bool { return !strings.HasPrefix(s, "--") }), "%q: %q", line, got)

			assert.Equal(t, []string{"--help"}, complete(t, shell, "brcslint --h"))
			assert.Equal(t, []string{"--nagios"}, complete(t, shell, "brcsapi health --nag"))
		})
	}
}

// TestMistypedCommandSuggestsTheCommand: a mistyped command followed by
// flags is named, with the command it was likely meant to be, not a flag
// (issue 17: "unknown flag --nagios; did you mean --config?").
func TestMistypedCommandSuggestsTheCommand(t *testing.T) {
	bin := buildCommands(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"brcsapi", "hlth", "--nagios"}, `brcsapi: unknown command "hlth"; did you mean "health"? (brcsapi --help lists the commands)` + "\n"},
		{[]string{"brcsgen", "jmp", "-o", "x"}, `brcsgen: unknown command "jmp"; did you mean "jump"? (brcsgen --help lists the commands)` + "\n"},
		{[]string{"brcsgen", "url", "--appliance", "https://a.example", "jmp", "--hostname", "x"}, `brcsgen: unknown command "jmp"; did you mean "jump"? (brcsgen url --help lists the commands)` + "\n"},
	} {
		cmd := exec.Command(filepath.Join(bin, c.args[0]), c.args[1:]...)
		cmd.Dir = t.TempDir()
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, c.args)
		assert.Equal(t, 2, ee.ExitCode(), c.args)
		assert.Equal(t, c.want, stderr.String(), c.args)
	}
}
