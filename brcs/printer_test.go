package brcs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// allGolden returns every golden input with its options (scripts only).
func allGolden(t *testing.T) []goldenCase {
	var out []goldenCase
	for _, kind := range []string{"valid", "invalid"} {
		for _, c := range goldenCases(t, kind) {
			if c.opts.Mode != "command" {
				out = append(out, c)
			}
		}
	}
	return out
}

func (c goldenCase) parse(t *testing.T, src []byte) (*brcs.Script, brcs.Options) {
	t.Helper()
	syn, err := brcs.ParseSyntax(c.opts.Template)
	require.NoError(t, err)
	opts := brcs.Options{Profile: c.opts.Profile, Template: syn, MaxSize: c.opts.MaxSize}
	s, err := brcs.Parse(c.path, src, opts)
	if err != nil {
		return nil, opts
	}
	return s, opts
}

func (c goldenCase) source(t *testing.T) []byte {
	src, err := os.ReadFile(filepath.Join("..", "testdata", c.path))
	require.NoError(t, err)
	return src
}

func TestPrintReproducesInput(t *testing.T) {
	for _, c := range allGolden(t) {
		src := c.source(t)
		s, _ := c.parse(t, src)
		if s == nil {
			continue
		}
		assert.Equal(t, string(src), s.String(), c.path)
	}
}

func TestCanonicalRoundTrip(t *testing.T) {
	for _, c := range allGolden(t) {
		for _, nl := range []string{"\n", "\r\n"} {
			src := c.source(t)
			s, opts := c.parse(t, src)
			if s == nil {
				continue
			}
			out := brcs.Printer{LineEnding: nl}.Format(s)
			again, err := brcs.Parse(c.path, out, opts)
			require.NoError(t, err, c.path)
			assert.Equal(t, testutil.DecodedValues(s), testutil.DecodedValues(again), "%s: decoded values survive canonical printing", c.path)
			assert.Equal(t, string(out), string(brcs.Printer{LineEnding: nl}.Format(again)), "%s: canonical printing is idempotent", c.path)
			cat, err := brcs.LookupProfile(opts.Profile)
			require.NoError(t, err)
			for _, d := range brcs.Validate(again, cat) {
				assert.NotContains(t, codecRules, d.Rule, "%s: canonical output still has %s", c.path, d)
				assert.NotEqual(t, brcs.RuleMixedLineEndings, d.Rule, c.path)
				assert.NotEqual(t, brcs.RuleBadLineEnding, d.Rule, c.path)
			}
			if nl == "\r\n" {
				assert.NotContains(t, strings.ReplaceAll(string(out), "\r\n", ""), "\n", c.path)
			}
		}
	}
}

var codecRules = []string{brcs.RuleBadPercent, brcs.RuleIllegalChar, brcs.RuleNonCanonical, brcs.RuleLiteralPlus, brcs.RuleLowercaseHex, brcs.RuleEncodedUnreserved}

// TestFixes applies every fix to every golden input: what a fix touches is
// fixed, decoded values do not change, and fixing again changes nothing.
func TestFixes(t *testing.T) {
	fixedSome := 0
	for _, c := range allGolden(t) {
		src := c.source(t)
		s, opts := c.parse(t, src)
		if s == nil {
			continue
		}
		_, ds, err := brcs.Check(c.path, src, opts)
		require.NoError(t, err)
		out := src
		for round := 0; round < 4; round++ {
			var n int
			out, n, err = brcs.ApplyFixes(out, ds)
			require.NoError(t, err, c.path)
			_, ds, err = brcs.Check(c.path, out, opts)
			require.NoError(t, err)
			if n == 0 {
				break
			}
			fixedSome++
		}
		for _, d := range ds {
			assert.Nil(t, d.Fix, "%s: a fixable finding is left after fixing: %s", c.path, d)
		}
		fixed, _ := c.parse(t, out)
		require.NotNil(t, fixed, c.path)
		assert.Equal(t, testutil.DecodedValues(s), testutil.DecodedValues(fixed), "%s: fixing changed a decoded value", c.path)
		again, n, err := brcs.ApplyFixes(out, ds)
		require.NoError(t, err)
		assert.Zero(t, n, c.path)
		assert.Equal(t, string(out), string(again), "%s: fixing a fixed file changes nothing", c.path)
	}
	assert.Greater(t, fixedSome, 10, "the corpus exercises fixes")
}

// fixAll applies fixes as brcslint --fix does: up to 5 rounds, checking
// again between them.
func fixAll(t *testing.T, name string, src []byte, opts brcs.Options) []byte {
	t.Helper()
	_, ds, err := brcs.Check(name, src, opts)
	require.NoError(t, err)
	out := src
	for range 5 {
		next, n, err := brcs.ApplyFixes(out, ds)
		require.NoError(t, err)
		if n == 0 {
			break
		}
		out = next
		_, ds, err = brcs.Check(name, out, opts)
		require.NoError(t, err)
	}
	return out
}

// TestFixNeverAddsCommand: over the whole corpus, and on lone carriage
// returns inside a command, a fixed script has no more commands than the
// original.
func TestFixNeverAddsCommand(t *testing.T) {
	type input struct {
		name string
		src  []byte
		opts brcs.Options
	}
	var ins []input
	for _, c := range allGolden(t) {
		_, opts := c.parse(t, nil)
		ins = append(ins, input{c.path, c.source(t), opts})
	}
	for _, s := range []string{
		"BRCS1.0\naction=start_jump_item_session&client.hostname=A\r&foo\n",
		"BRCS1.0\naction=login\raction=delete_script_file\n",
		"BRCS1.0\r\naction=start_jump_item_session&client.hostname=A\raction=login\r\n",
		"action=login\rx\ry",
	} {
		ins = append(ins, input{"t.brcs-x", []byte(s), brcs.Options{}})
	}
	for _, in := range ins {
		out := fixAll(t, in.name, in.src, in.opts)
		assert.LessOrEqual(t, testutil.EBNFCommands(out), testutil.EBNFCommands(in.src), "%s: fixing %q gave %q", in.name, in.src, out)
	}
}

func TestFixExamples(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"action=login\n", "BRCS1.0\naction=login\n"},
		{"action=login\r\naction=delete_script_file", "BRCS1.0\r\naction=login\r\naction=delete_script_file"},
		{"brcs 1.0\naction=login\n", "BRCS1.0\naction=login\n"},
		{"BRCS1.0\raction=login\n", "BRCS1.0\naction=login\n"},
		{"BRCS1.0\naction=login\r", "BRCS1.0\naction=login\n"},
		// A lone \r inside a command is not made a line break: that would
		// add a command.
		{"BRCS1.0\naction=start_jump_item_session&client.hostname=A\r&foo\n", "BRCS1.0\naction=start_jump_item_session&client.hostname=A\rfoo\n"},
		{"BRCS1.0\naction=login\raction=delete_script_file\n", "BRCS1.0\naction=login\raction=delete_script_file\n"},
		// An encoded key is written as it decodes.
		{"BRCS1.0\nactio%6E=login\naction=start_jump_item_session&client.hostnam%65=A\n", "BRCS1.0\naction=login\naction=start_jump_item_session&client.hostname=A\n"},
		{"BRCS1.0\r\naction=login\n", "BRCS1.0\r\naction=login\r\n"},
		{"BRCS1.0\n\naction=login\n\n", "BRCS1.0\naction=login\n"},
		{"BRCS1.0\naction=login&&\n", "BRCS1.0\naction=login\n"},
		{"BRCS1.0\n&action=login\n", "BRCS1.0\naction=login\n"},
		{"BRCS1.0\naction=start_jump_item_session&client.comments=a b+c%2f%41:100%\n",
			"BRCS1.0\naction=start_jump_item_session&client.comments=a%20b%2Bc%2FA%3A100%25\n"},
		{"BRCS1.0\naction=start_jump_item_session&client.comments=café\n",
			"BRCS1.0\naction=start_jump_item_session&client.comments=caf%C3%A9\n"},
	} {
		_, ds, err := brcs.Check("t.brcs-x", []byte(c.in), brcs.Options{})
		require.NoError(t, err)
		out := []byte(c.in)
		for i := 0; i < 3; i++ {
			out, _, err = brcs.ApplyFixes(out, ds)
			require.NoError(t, err)
			_, ds, _ = brcs.Check("t.brcs-x", out, brcs.Options{})
		}
		assert.Equal(t, c.want, string(out), "fixing %q", c.in)
	}
}

func TestApplyFixesRejectsEditsOutsideInput(t *testing.T) {
	d := brcs.Diagnostic{Rule: "x", Fix: &brcs.Fix{Edits: []brcs.Edit{{Start: 3, End: 10}}}}
	_, _, err := brcs.ApplyFixes([]byte("abc"), []brcs.Diagnostic{d})
	assert.Error(t, err)
}

func TestApplyFixesSkipsOverlaps(t *testing.T) {
	a := brcs.Diagnostic{Rule: "a", Fix: &brcs.Fix{Edits: []brcs.Edit{{Start: 0, End: 2, NewText: "X"}}}}
	b := brcs.Diagnostic{Rule: "b", Fix: &brcs.Fix{Edits: []brcs.Edit{{Start: 1, End: 3, NewText: "Y"}}}}
	out, n, err := brcs.ApplyFixes([]byte("abcd"), []brcs.Diagnostic{a, b})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, "Xcd", string(out))
}
