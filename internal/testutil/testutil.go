// Package testutil holds what the toolkit's tests share.
package testutil

import (
	"flag"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
