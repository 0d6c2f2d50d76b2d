// Package testutil holds what the toolkit's tests share.
package testutil

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
