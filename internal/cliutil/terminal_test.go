package cliutil

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// /dev/null and /dev/zero are character devices, not terminals: nobody
// can answer there.
func TestNotATerminal(t *testing.T) {
	for _, dev := range []string{os.DevNull, "/dev/zero"} {
		f, err := os.Open(dev)
		if err != nil {
			continue
		}
		assert.False(t, IsTerminal(f), dev)
		f.Close()
	}
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, IsTerminal(r), "a pipe")
	p := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(p, nil, 0o644))
	f, err := os.Open(p)
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, IsTerminal(f), "a file")
}
