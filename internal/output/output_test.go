package output_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/fsutil"
	"github.com/brcs-toolkit/brcs/internal/output"
)

var errCut = errors.New("cut short")

func TestStdoutKeepsWholeRecordsOnFailure(t *testing.T) {
	var b strings.Builder
	o, err := output.Open("-", &b)
	require.NoError(t, err)
	assert.False(t, o.IsFile())
	var counted []int
	o.Counted = func(n int) { counted = append(counted, n) }
	fmt.Fprint(o, "one\n")
	require.NoError(t, o.EndRecord())
	fmt.Fprint(o, "tw")
	assert.Empty(t, b.String(), "held until the end")
	assert.Equal(t, errCut, o.Finish(errCut))
	assert.Equal(t, "one\n", b.String(), "the half record is left out")
	assert.Equal(t, []int{1}, counted)
	assert.Equal(t, "1 session written to standard output", o.Written("session"))
}

func TestStdoutWritesEverythingOnSuccess(t *testing.T) {
	var b strings.Builder
	o, err := output.Open("", &b)
	require.NoError(t, err)
	fmt.Fprint(o, "[")
	fmt.Fprint(o, "1")
	require.NoError(t, o.EndRecord())
	fmt.Fprint(o, "]\n") // the closing bracket is no record
	require.NoError(t, o.Finish(nil))
	assert.Equal(t, "[1]\n", b.String())
}

func TestStdoutFlushesBigRecordsAsTheyCome(t *testing.T) {
	var b strings.Builder
	o, err := output.Open("-", &b)
	require.NoError(t, err)
	fmt.Fprint(o, strings.Repeat("x", 64<<10))
	require.NoError(t, o.EndRecord())
	assert.Equal(t, 64<<10, b.Len(), "64 KiB held is written")
}

func TestRecordWriterEndsARecordAtEachWrite(t *testing.T) {
	var b strings.Builder
	o, err := output.Open("-", &b)
	require.NoError(t, err)
	w := o.RecordWriter()
	fmt.Fprint(w, "<a/>")
	fmt.Fprint(w, "<b/>")
	assert.Equal(t, errCut, o.Finish(errCut))
	assert.Equal(t, "<a/><b/>", b.String(), "both writes were whole records")
	assert.Equal(t, "2 records written to standard output", o.Written("record"))
}

func TestFileOnlyWhenComplete(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl")
	o, err := output.Open(path, nil)
	require.NoError(t, err)
	assert.True(t, o.IsFile())
	fmt.Fprint(o, "one\n")
	require.NoError(t, o.EndRecord())
	assert.Equal(t, errCut, o.Finish(errCut))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "neither the file nor its temporary file")
	assert.Equal(t, "nothing written to "+path, o.Written("session"))

	o, err = output.Open(path, nil)
	require.NoError(t, err)
	fmt.Fprint(o, "one\ntwo\n")
	o.SetRecords(2)
	require.NoError(t, o.Finish(nil))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "one\ntwo\n", string(got))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	if filepath.Separator == '/' {
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	}
	assert.Equal(t, "2 sessions written to "+path, o.Written("session"))
}

func TestOpenNamesTheFileAskedFor(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "out.csv")
	_, err := output.Open(path, nil)
	var we *fsutil.WriteError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, path, we.Path)
}

func ExampleOpen() {
	o, err := output.Open("-", os.Stdout)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range []string{"a", "b"} {
		fmt.Fprintln(o, s)
		if err := o.EndRecord(); err != nil {
			break
		}
	}
	fmt.Fprint(o, "half a rec") // cut short: never written
	err = o.Finish(errors.New("the appliance went away"))
	fmt.Println(err, "-", o.Written("record"))
	// Output:
	// a
	// b
	// the appliance went away - 2 records written to standard output
}
