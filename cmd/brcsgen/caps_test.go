package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A CSV over the cap was cut: the last row's DC01-PRODUCTION-SERVER became
// DC0, a filter matching far more, with "0 refused". Over the cap is an
// error naming it, and nothing is made.
func TestCSVOverTheCapIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(path)
	require.NoError(t, err)
	w := bufio.NewWriter(f)
	w.WriteString("hostname\n")
	row := "HOST-" + strings.Repeat("x", 250) + "\n"
	n := 9
	for n+len(row) <= MaxCSV-300 {
		w.WriteString(row)
		n += len(row)
	}
	// Three short rows bring the DC01 row to 12 bytes before the cap.
	rem := MaxCSV - 12 - n
	for i, l := range []int{rem / 3, rem / 3, rem - 2*(rem/3)} {
		w.WriteString(string(rune('F'+i)) + strings.Repeat("x", l-2) + "\n")
	}
	w.WriteString("DC01-PRODUCTION-SERVER\n") // straddles the cap
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
	o := brcsgen(t, "", "batch", "--csv", path, "--mode", "command")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr[:min(len(o.stderr), 2000)], "larger than the 64 MiB")
	assert.Zero(t, len(o.stdout), "no row is made from a cut file")
}

func TestCappedFilesAreErrors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	require.NoError(t, os.WriteFile(big, []byte(strings.Repeat("#", 1<<20+1)), 0o644))
	o := brcsgen(t, "", "fetch", "--appliance", "https://a.example", "--ca-cert", big, "jump", "--hostname", "A")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "larger than the 1 MiB")
	tmpl := filepath.Join(dir, "t.brcs-x.tmpl")
	require.NoError(t, os.WriteFile(tmpl, []byte("BRCS1.0\naction=login\n"), 0o644))
	o = brcsgen(t, "", "render", tmpl, "--vars", big)
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "larger than the 1 MiB")
}
