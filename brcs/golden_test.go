package brcs_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// goldenOptions is testdata/{valid,invalid}/<dir>/options.json: how the
// files of a folder are checked.
type goldenOptions struct {
	Profile  string `json:"profile"`
	Template string `json:"template"`
	MaxSize  int    `json:"max_size"`
	Mode     string `json:"mode"` // "script" (default) or "command"
}

type goldenCase struct {
	path string // relative to testdata
	opts goldenOptions
}

func goldenCases(t *testing.T, kind string) []goldenCase {
	t.Helper()
	var out []goldenCase
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", kind, "*", "options.json"))
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, optFile := range dirs {
		raw, err := os.ReadFile(optFile)
		require.NoError(t, err)
		var o goldenOptions
		require.NoError(t, json.Unmarshal(raw, &o), optFile)
		dir := filepath.Dir(optFile)
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			n := e.Name()
			if n == "options.json" || strings.HasSuffix(n, ".out") {
				continue
			}
			rel, _ := filepath.Rel(filepath.Join("..", "testdata"), filepath.Join(dir, n))
			out = append(out, goldenCase{path: filepath.ToSlash(rel), opts: o})
		}
	}
	return out
}

// check runs what brcslint runs on a golden input and returns its findings.
func (c goldenCase) check(t *testing.T) []brcs.Diagnostic {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "testdata", c.path))
	require.NoError(t, err)
	syn, err := brcs.ParseSyntax(c.opts.Template)
	require.NoError(t, err)
	opts := brcs.Options{Profile: c.opts.Profile, Template: syn, MaxSize: c.opts.MaxSize}
	var ds []brcs.Diagnostic
	if c.opts.Mode == "command" {
		_, ds, err = brcs.CheckCommand(string(src), opts)
		require.NoError(t, err)
		for i := range ds {
			ds[i].File = c.path
		}
		return ds
	}
	_, ds, err = brcs.Check(c.path, src, opts)
	require.NoError(t, err)
	if syn == brcs.NoTemplate {
		ds = append(brcs.CheckFileName(c.path), ds...)
	}
	return ds
}

func render(ds []brcs.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func TestGoldenValid(t *testing.T) {
	for _, c := range goldenCases(t, "valid") {
		t.Run(c.path, func(t *testing.T) {
			assert.Empty(t, render(c.check(t)), "a valid file must lint clean")
		})
	}
}

func TestGoldenInvalid(t *testing.T) {
	for _, c := range goldenCases(t, "invalid") {
		t.Run(c.path, func(t *testing.T) {
			got := render(c.check(t))
			testutil.Golden(t, filepath.Join("..", "testdata", c.path+".out"), got)
			assert.NotEmpty(t, got, "an invalid file must produce a finding")
		})
	}
}

// TestEveryRuleHasAGoldenCase holds every rule to at least one golden file
// that expects it: deleting a rule's check then fails that file's test.
func TestEveryRuleHasAGoldenCase(t *testing.T) {
	seen := map[string]bool{}
	outs, err := filepath.Glob(filepath.Join("..", "testdata", "invalid", "*", "*.out"))
	require.NoError(t, err)
	for _, f := range outs {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, line := range strings.Split(string(raw), "\n") {
			if i := strings.LastIndex(line, " ["); i >= 0 && strings.HasSuffix(line, "]") {
				seen[line[i+2:len(line)-1]] = true
			}
		}
	}
	var missing []string
	for _, r := range brcs.Rules() {
		if !seen[r.Name] {
			missing = append(missing, r.Name)
		}
	}
	sort.Strings(missing)
	assert.Empty(t, missing, "rules no golden file expects")
}
