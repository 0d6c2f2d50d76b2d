package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// The CSV names files: never a name starting with '-', never a dot-file,
// never through a symbolic link out of --out-dir.
func TestBatchOutputsStayHarmless(t *testing.T) {
	out, outside := t.TempDir(), t.TempDir()
	require.NoError(t, os.Symlink(outside, filepath.Join(out, "escape")))
	require.NoError(t, os.Mkdir(filepath.Join(out, "sub"), 0o755))
	o := brcsgen(t, "", "batch", "--csv", "../../testdata/attacks/batch-outputs.csv", "--out-dir", out, "--site", "support")
	assert.Equal(t, 1, o.status, o.stderr)
	assert.Contains(t, o.stderr, "7 rows, 3 done, 4 refused")
	assert.Contains(t, o.stderr, "row 4 (line 5): output escape/x.brcs-support: its folder is a symbolic link leading out of --out-dir")
	var names []string
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() && d.Type()&os.ModeSymlink == 0 {
			rel, _ := filepath.Rel(out, p)
			names = append(names, rel)
		}
		return nil
	})
	sort.Strings(names)
	assert.Equal(t, []string{"good.brcs-support", "rf.brcs-support", "x.brcs-support"}, names)
	left, _ := os.ReadDir(outside)
	assert.Empty(t, left, "nothing is written through the link")
}

// A row's report quotes the CSV (a path, a value): escaped, so a CSV cell
// cannot rewrite the terminal.
func TestBatchReportIsEscaped(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(csv, []byte("hostname,output\nA,\"x\x1b[2K\u202e.brcs-support\"\nB,\"x\x1b[2K\u202e.brcs-support\"\n"), 0o644))
	o := brcsgen(t, "", "batch", "--csv", csv, "--out-dir", filepath.Join(dir, "out"))
	assert.Equal(t, 1, o.status, o.stderr)
	// Both rows are refused for the name itself, which the report shows escaped.
	assert.Contains(t, o.stderr, "2 rows, 0 done, 2 refused")
	assert.Contains(t, o.stderr, `output "x\x1b[2K\u202e.brcs-support": a name holding control`)
	assert.NotContains(t, o.stderr, "\x1b")
	assert.NotContains(t, o.stderr, "\u202e")
}

// A CSV's output cell with a new line (or ESC, bidi, invisible characters)
// made a file of that name, and its report line printed the rest of the
// name as a line of its own: "::error::x..." in a CI log. Such names are
// refused, as an appliance's suggested name with them is.
func TestBatchRefusesOutputNamesThatNeedEscaping(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(csv, []byte("hostname,output\n"+
		"A,\"sub\n::error::x/y.brcs-s\"\n"+
		"B,\"d\n::warning::w.brcs-s\"\n"+
		"C,\"nb\u00a0sp.brcs-s\"\n"+
		"D,\"hangul\u3164.brcs-s\"\n"+
		"E,\"x##[error]y.brcs-s\"\n"+
		"F,fine.brcs-s\n"), 0o644))
	out := filepath.Join(dir, "out")
	o := brcsgen(t, "", "batch", "--csv", csv, "--out-dir", out)
	assert.Equal(t, 1, o.status, o.stderr)
	assert.Contains(t, o.stderr, "6 rows, 1 done, 5 refused")
	for _, l := range strings.Split(o.stderr, "\n") {
		assert.False(t, strings.HasPrefix(strings.TrimLeft(l, " "), "::"), "a line starts a workflow command: %q", l)
	}
	testutil.AssertShownSafely(t, o.stderr)
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "fine.brcs-s", entries[0].Name())
}
