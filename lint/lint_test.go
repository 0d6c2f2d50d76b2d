package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		glob, path string
		want       bool
	}{
		{"*.brcs-x", "a.brcs-x", true},
		{"*.brcs-x", "d/a.brcs-x", false},
		{"d/*", "d/a", true},
		{"d/*", "d/e/a", false},
		{"d/**", "d/e/a", true},
		{"**/a", "a", true},
		{"**/a", "x/y/a", true},
		{"x/**/a", "x/a", true},
		{"x/**/a", "x/y/z/a", true},
		{"a?c", "abc", true},
		{"a?c", "a/c", false},
		{"[ab].x", "b.x", true},
		{"[!ab].x", "b.x", false},
		{"a.b", "aXb", false},
	} {
		re, err := globRegexp(c.glob)
		require.NoError(t, err)
		assert.Equal(t, c.want, re.MatchString(c.path), "%s ~ %s", c.glob, c.path)
	}
	_, err := globRegexp("[ab")
	assert.Error(t, err)
}

func TestFindConfigLooksUpward(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	require.NoError(t, os.MkdirAll(deep, 0o755))
	got, err := FindConfig(deep)
	require.NoError(t, err)
	if got != "" {
		// A config above the temporary folder would be found; none may be.
		assert.False(t, strings.HasPrefix(got, root), got)
	}
	want := filepath.Join(root, "a", ".brcslint.yaml")
	require.NoError(t, os.WriteFile(want, []byte("disable: [literal-plus]\n"), 0o644))
	got, err = FindConfig(deep)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	c, err := LoadConfig(got)
	require.NoError(t, err)
	assert.Equal(t, []string{"literal-plus"}, c.Disable)
}

func TestCollectWalksFoldersForScripts(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.brcs-s", "b.brcs", "c.brcs.tmpl", "d.txt", ".hidden/e.brcs-s", "sub/f.brcs-x"} {
		p := filepath.Join(dir, n)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte("BRCS1.0\naction=login\n"), 0o644))
	}
	in, errs := Collect([]string{dir, filepath.Join(dir, "missing")}, false, Options{Dir: dir})
	require.Len(t, errs, 1)
	var names []string
	for _, i := range in {
		names = append(names, i.Name)
		assert.Equal(t, strings.HasSuffix(i.Name, ".tmpl"), i.Template, i.Name)
	}
	assert.Equal(t, []string{"a.brcs-s", "b.brcs", "c.brcs.tmpl", "sub/f.brcs-x"}, names)
	res := Run(context.Background(), in, nil, Options{Dir: dir})
	require.Len(t, res, 4)
	assert.Empty(t, res[0].Diagnostics)
	assert.Equal(t, "bad-file-name", res[1].Diagnostics[0].Rule, "b.brcs lacks the site")
}

func TestRunStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Run(ctx, []Input{{Name: "<command>", Command: "action=login"}}, nil, Options{})
	assert.ErrorIs(t, res[0].Err, context.Canceled)
}

func TestScriptNames(t *testing.T) {
	for name, want := range map[string]bool{
		"jump.brcs-support": true, "a.brcs": true, "t.brcs.tmpl": true, "x.brcs-my_site-2": true,
		"jump.brcs-t.out": false, "jump.brcs-support.out": false, "x.brcs-": false, "notes.txt": false, "x.brcs.bak": false,
	} {
		assert.Equal(t, want, isScriptName(name), name)
	}
}
