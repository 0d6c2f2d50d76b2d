package fsutil

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	require.NoError(t, WriteFileAtomic(p, []byte("one"), 0o600))
	require.NoError(t, WriteFileAtomic(p, []byte("two"), 0o640))
	got, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, "two", string(got))
	testutil.AssertMode(t, p, 0o640)
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no temporary file left")
}

func TestWriteFileAtomicRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	require.NoError(t, os.WriteFile(target, []byte("keep"), 0o644))
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink(target, link))
	err := WriteFileAtomic(link, []byte("x"), 0o644)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a symbolic link")
	err = WriteFileAtomic(dir, []byte("x"), 0o644)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a folder")
	got, _ := os.ReadFile(target)
	assert.Equal(t, "keep", string(got))
}

func TestWriteFileAtomicLeavesNothingOnFailure(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing-folder")
	err := WriteFileAtomic(filepath.Join(dir, "f"), []byte("x"), 0o644)
	require.Error(t, err)
	_, statErr := os.Stat(dir)
	assert.True(t, os.IsNotExist(statErr))
}

func TestReadLimit(t *testing.T) {
	b, err := ReadLimit(strings.NewReader("abcdef"), 3)
	require.NoError(t, err)
	assert.Equal(t, "abcd", string(b), "one byte past the limit tells the caller it is too large")
}

func TestCapped(t *testing.T) {
	b, err := ReadAllCapped(strings.NewReader("abc"), 3, "x")
	require.NoError(t, err)
	assert.Equal(t, "abc", string(b), "exactly the cap is accepted")
	_, err = ReadAllCapped(strings.NewReader("abcd"), 3, "in.csv")
	var tl *TooLargeError
	require.ErrorAs(t, err, &tl)
	assert.EqualError(t, err, "in.csv is larger than the 3-byte cap; nothing of it was used")
	_, err = ReadAllCapped(strings.NewReader(strings.Repeat("x", 2<<20+1)), 2<<20, "big")
	assert.EqualError(t, err, "big is larger than the 2 MiB (2097152-byte) cap; nothing of it was used")
}

func TestReadErrorSaysWhyInWords(t *testing.T) {
	dir := t.TempDir()
	_, err := ReadFileLimit(filepath.Join(dir, "nope.tmpl"), 10)
	assert.Equal(t, "cannot read the template nope.tmpl: it does not exist", ReadError("the template", "nope.tmpl", err).Error())
	_, err = ReadFileLimit(dir, 10)
	assert.Equal(t, "cannot read the template t: it is a folder, not a file", ReadError("the template", "t", err).Error())
}
