// Package testutil holds what the toolkit's tests share.
package testutil

import (
	"flag"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/grammar"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// Update is the -update flag: rewrite golden files with what the test got.
var Update = flag.Bool("update", false, "rewrite golden files")

// Golden compares got with the golden file at path (rewriting it first
// under -update).
func Golden(t testing.TB, path, got string) {
	t.Helper()
	if *Update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "go test -update writes %s", path)
	assert.Equal(t, string(want), got, path)
}

// AssertMode fails unless path exists with the permission bits perm.
func AssertMode(t testing.TB, path string, perm fs.FileMode, msgAndArgs ...any) {
	t.Helper()
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, perm, fi.Mode().Perm(), msgAndArgs...)
}

// Corpus reads a file of testdata/attacks: one Go string literal a line
// (blank lines and lines starting with # are skipped).
func Corpus(t testing.TB, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []string
	for i, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := strconv.Unquote(line)
		require.NoError(t, err, "%s:%d", path, i+1)
		out = append(out, s)
	}
	require.NotEmpty(t, out, path)
	return out
}

// FetchCase reads a file of testdata/attacks/fetch: the command asked for
// on its first line, then the appliance's answer.
func FetchCase(t testing.TB, path string) (request, answer string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	request, answer, _ = strings.Cut(string(raw), "\n")
	return request, answer
}

// AssertShownSafely fails when s holds a character that could disguise
// what a person reads: a control character other than newline (which the
// caller's format may use), a format character, or a space other than
// ASCII's.
func AssertShownSafely(t testing.TB, s string) {
	t.Helper()
	for _, r := range s {
		if r == '\n' {
			continue
		}
		if textsafe.NeedsEscape(r) {
			assert.Failf(t, "unsafe character shown", "%U in %q", r, s)
			return
		}
	}
}

// Collect drains seq: every value up to the first error, and that error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// EBNFCommands counts the commands of src as the grammar sees them: the
// non-empty lines between "\n" or "\r\n" line breaks, the header aside. A
// lone "\r" is no line break there.
func EBNFCommands(src []byte) int {
	n := 0
	for i, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line != "" && !(i == 0 && grammar.IsHeader(line)) {
			n++
		}
	}
	return n
}

// Decoded lists the decoded key and value of each parameter of each of
// s's commands, in order: what the console acts on, for the tests that
// hold two parses of a script to act the same.
func Decoded(s *brcs.Script) [][]string { return decoded(s, true) }

// DecodedValues is Decoded without the empty parameters (no key, "=" or
// value) and the commands left with none, which fixing a script removes.
func DecodedValues(s *brcs.Script) [][]string { return decoded(s, false) }

func decoded(s *brcs.Script, withEmpty bool) [][]string {
	var out [][]string
	for _, c := range s.Commands() {
		var kv []string
		for _, p := range c.Params {
			if withEmpty || !p.Empty() {
				kv = append(kv, p.Key.Decoded, p.Value.Decoded)
			}
		}
		if withEmpty || kv != nil {
			out = append(out, kv)
		}
	}
	return out
}

// StopSignal is a signal every command stops cleanly on, the exit status
// it then ends with, and the name it says.
type StopSignal struct {
	Signal syscall.Signal
	Status int
	Name   string
}

// StopSignals are SIGINT and SIGTERM with their statuses (128 plus the
// signal's number): what the tests of an interrupted command send.
func StopSignals() []StopSignal {
	return []StopSignal{{syscall.SIGINT, 130, "SIGINT"}, {syscall.SIGTERM, 143, "SIGTERM"}}
}
