package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

const lintFiles = "testdata/lint/files"

// spaced is a script whose one finding --fix repairs: the space in a
// value, which it writes as %20.
const spaced = "BRCS1.0\naction=start_jump_item_session&client.tag=a b\n"

// spacedAndLink writes spaced to dir/name and, beside it, a symbolic link
// to it named link-name, which --fix refuses to write through.
func spacedAndLink(t *testing.T, dir, name string) (file, link string) {
	t.Helper()
	file = filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(file, []byte(spaced), 0o644))
	link = filepath.Join(dir, "link-"+name)
	require.NoError(t, os.Symlink(file, link))
	return file, link
}

type outcome struct {
	status         int
	stdout, stderr string
}

// brcslint runs the command in-process, with no config file unless args
// name one, and colour off unless args ask for it.
func brcslint(t *testing.T, stdin string, args ...string) outcome {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"brcslint"}, args...)
	if !slices.Contains(args, "--config") {
		full = append([]string{"brcslint", "--no-config"}, args...)
	}
	st := Main(full, cliutil.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return outcome{st, out.String(), errb.String()}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", "lint", "golden", name), got)
}

func TestEveryFormatGolden(t *testing.T) {
	for _, f := range []string{"text", "json", "sarif", "github", "checkstyle"} {
		t.Run(f, func(t *testing.T) {
			o := brcslint(t, "", "--format", f, lintFiles)
			assert.Equal(t, 1, o.status, o.stderr)
			assert.Empty(t, o.stderr)
			golden(t, "files."+f, o.stdout)
		})
	}
}

func TestColourShowsSourceLineAndMarker(t *testing.T) {
	o := brcslint(t, "", "--color", "always", filepath.Join(lintFiles, "broken.brcs-support"))
	golden(t, "files.color", o.stdout)
	assert.Contains(t, o.stdout, "\x1b[31merror\x1b[0m")
	assert.Contains(t, o.stdout, "    action=start_jump_item_session&client.hostname=web server")
	assert.Contains(t, o.stdout, "^")

	var out bytes.Buffer
	Main([]string{"brcslint", "--no-config", "--color", "auto", lintFiles}, cliutil.Env{Stdout: &out, Stderr: &out, Getenv: func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return ""
	}})
	assert.NotContains(t, out.String(), "\x1b[", "NO_COLOR and no terminal: no colour")
}

func TestPasswordNeverPrinted(t *testing.T) {
	file := filepath.Join(lintFiles, "broken.brcs-support")
	for _, args := range [][]string{
		{"--format", "text", "--color", "always"}, {"--format", "json"}, {"--format", "sarif"},
		{"--format", "github"}, {"--format", "checkstyle"}, {"--diff"},
	} {
		o := brcslint(t, "", append(args, file)...)
		assert.NotContains(t, o.stdout+o.stderr, "hunter2", args)
		assert.NotContains(t, o.stdout+o.stderr, "hunter2%20x", args)
	}
	o := brcslint(t, "", "--command", "action=login&mechanism=username_password&username=a&password=hunter2 x")
	assert.NotContains(t, o.stdout+o.stderr, "hunter2")
	assert.Contains(t, o.stdout, "plain-text-password")
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif/sarif-schema-2.1.0.json")
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("sarif-schema-2.1.0.json", doc))
	s, err := c.Compile("sarif-schema-2.1.0.json")
	require.NoError(t, err)
	return s
}

func TestSARIFValidatesAgainstTheOfficialSchema(t *testing.T) {
	schema := sarifSchema(t)
	for _, args := range [][]string{{lintFiles}, {filepath.Join(lintFiles, "clean.brcs-support")}} {
		o := brcslint(t, "", append([]string{"--format", "sarif"}, args...)...)
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(o.stdout))
		require.NoError(t, err)
		assert.NoError(t, schema.Validate(inst), args)

		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Rules []struct {
							ID   string `json:"id"`
							Help struct {
								Text string `json:"text"`
							} `json:"help"`
							Short struct {
								Text string `json:"text"`
							} `json:"shortDescription"`
						} `json:"rules"`
					} `json:"driver"`
				} `json:"tool"`
				Results []struct {
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct {
								URI string `json:"uri"`
							} `json:"artifactLocation"`
							Region struct {
								StartColumn int `json:"startColumn"`
							} `json:"region"`
						} `json:"physicalLocation"`
					} `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		require.NoError(t, json.Unmarshal([]byte(o.stdout), &log))
		require.Len(t, log.Runs, 1)
		run := log.Runs[0]
		assert.NotNil(t, run.Results, "results is always present")
		assert.Len(t, run.Tool.Driver.Rules, len(brcs.Rules()), "every rule is listed")
		for _, r := range run.Tool.Driver.Rules {
			assert.NotEmpty(t, r.Help.Text, r.ID)
			assert.NotEmpty(t, r.Short.Text, r.ID)
		}
		for _, r := range run.Results {
			loc := r.Locations[0].PhysicalLocation
			assert.GreaterOrEqual(t, loc.Region.StartColumn, 1)
			assert.False(t, filepath.IsAbs(loc.ArtifactLocation.URI), "paths are relative")
		}
	}
	o := brcslint(t, "", "--format", "sarif", filepath.Join(lintFiles, "clean.brcs-support"))
	assert.Contains(t, o.stdout, `"results": []`)
}

func TestGitHubFormatEscapes(t *testing.T) {
	dir := t.TempDir()
	name := "a%b,c:d\ne.brcs-support"
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("BRCS1.0\naction=login&x=100%\n"), 0o644))
	o := brcslint(t, "", "--format", "github", dir)
	assert.Equal(t, 1, o.status, o.stderr)
	lines := strings.Split(strings.TrimSpace(o.stdout), "\n")
	require.NotEmpty(t, lines)
	for _, l := range lines {
		assert.True(t, strings.HasPrefix(l, "::error ") || strings.HasPrefix(l, "::warning "), l)
		assert.Contains(t, l, "a%25b%2Cc%3Ad%0Ae.brcs-support", "the file property escapes % , : and newline")
		assert.Contains(t, l, "title=brcslint%3A ")
	}
	assert.Contains(t, o.stdout, "write %2525 for a literal percent sign", "the message escapes %")
}

func TestExitStatus(t *testing.T) {
	clean := filepath.Join(lintFiles, "clean.brcs-support")
	broken := filepath.Join(lintFiles, "broken.brcs-support")
	warnOnly := filepath.Join(t.TempDir(), "w.brcs-support")
	require.NoError(t, os.WriteFile(warnOnly, []byte("BRCS1.0\naction=start_jump_item_session&client.tag=a+b\n"), 0o644))
	for _, c := range []struct {
		args   []string
		status int
		stderr string
	}{
		{[]string{clean}, 0, ""},
		{[]string{broken}, 1, ""},
		{[]string{warnOnly}, 0, ""},
		{[]string{"--max-warnings", "0", warnOnly}, 1, "1 warning, more than --max-warnings 0"},
		{[]string{"--max-warnings", "1", warnOnly}, 0, ""},
		{[]string{"--severity", "literal-plus=error", warnOnly}, 1, ""},
		{[]string{"--disable", "illegal-character", "--disable", "invalid-value", "--disable", "bad-percent-encoding", "--disable", "bad-line-ending", broken}, 0, ""},
		{[]string{"no-such-file.brcs-x"}, 2, "cannot read no-such-file.brcs-x: it does not exist"},
		{[]string{"--disable", "no-such-rule", clean}, 2, `unknown rule "no-such-rule"`},
		{[]string{"--enable", "nope", clean}, 2, `unknown rule "nope"`},
		{[]string{"--severity", "literal-plus=fatal", clean}, 2, `unknown severity "fatal"`},
		{[]string{"--severity", "literal-plus", clean}, 2, "--severity takes RULE=error|warning|info"},
		{[]string{"--format", "xml", clean}, 2, `unknown format "xml"`},
		{[]string{"--profile", "pam-99", clean}, 2, `unknown profile "pam-99"`},
		{[]string{"--ignore", "(", clean}, 2, "ignore \"(\""},
		{[]string{"--no-such-flag", clean}, 2, "unknown flag --no-such-flag; did you mean --no-config?"},
		{[]string{}, 2, "nothing to check"},
		{[]string{"--fix", "--diff", clean}, 2, "do not go together"},
		{[]string{"--explain", "nope"}, 2, `unknown rule "nope"`},
	} {
		o := brcslint(t, "", c.args...)
		assert.Equal(t, c.status, o.status, "%v: %s", c.args, o.stderr)
		if c.stderr != "" {
			assert.Contains(t, o.stderr, c.stderr, c.args)
		}
		assert.NotContains(t, o.stderr, "goroutine", "never a stack trace")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestInternalFailureIsExit3(t *testing.T) {
	var errb bytes.Buffer
	st := Main([]string{"brcslint", "--no-config", lintFiles}, cliutil.Env{Stdout: failingWriter{}, Stderr: &errb, Getenv: func(string) string { return "" }})
	assert.Equal(t, 3, st)
	assert.Contains(t, errb.String(), "disk full")
}

func TestIgnoreDropsMatchingMessages(t *testing.T) {
	o := brcslint(t, "", "--ignore", "not canonical|literal plus", "--format", "json", filepath.Join(lintFiles, "ticket.brcs.tmpl"))
	assert.Equal(t, "[]\n", o.stdout)
	assert.Equal(t, 0, o.status)
}

func TestCommandFlag(t *testing.T) {
	o := brcslint(t, "", "--command", "action=start_jump_item_session&client.hostname=ABCEF02&session.custom.external_key=123456789")
	assert.Equal(t, 0, o.status, o.stdout+o.stderr)
	o = brcslint(t, "", "-c", "action=start_jump_item_session&client.hostname=A B", "-c", "action=login\naction=x")
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stdout, "<command 1>:1:49: error: a space is not allowed")
	assert.Contains(t, o.stdout, "<command 2>:1:13: error: a line break inside the command")
}

func TestStdin(t *testing.T) {
	o := brcslint(t, "BRCS1.0\naction=login&x=1\n", "--stdin-filename", "in.brcs-support", "-")
	assert.Equal(t, 1, o.status)
	assert.Equal(t, "in.brcs-support:2:14: error: login takes no parameter \"x\"; it takes mechanism, username, password [unknown-key]\n", o.stdout)
	o = brcslint(t, "BRCS1.0\naction=login\n", "-")
	assert.Equal(t, 0, o.status, o.stdout)
}

func TestTemplateFlagAndSyntax(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "t.brcs-support")
	require.NoError(t, os.WriteFile(f, []byte("BRCS1.0\naction=start_jump_item_session&client.hostname=${host}\n"), 0o644))
	assert.Equal(t, 1, brcslint(t, "", f).status, "not a template: braces are illegal")
	assert.Equal(t, 1, brcslint(t, "", "--template", f).status, "mustache does not know ${}")
	o := brcslint(t, "", "--template", "--template-syntax", "dollar", f)
	assert.Equal(t, 0, o.status, o.stdout)
	assert.Equal(t, 2, brcslint(t, "", "--template-syntax", "jinja", f).status)
}

func TestProfileFlag(t *testing.T) {
	cmd := "action=start_rdp_session&target=h"
	assert.Equal(t, 1, brcslint(t, "", "-c", cmd).status)
	assert.Equal(t, 0, brcslint(t, "", "--profile", "pra", "-c", cmd).status)
}

func TestConfigFiles(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "rs"), 0o755))
	script := []byte("BRCS1.0\naction=start_jump_item_session&search_string=PC&session.custom.x=a+b\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.brcs-s"), script, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "rs", "b.brcs-s"), script, 0o644))
	yaml := filepath.Join(dir, ".brcslint.yaml")
	require.NoError(t, os.WriteFile(yaml, []byte("disable: [unknown-key]\nseverity:\n  literal-plus: error\npaths:\n  - glob: rs/**\n    profile: rs\n    severity: {literal-plus: info}\n"), 0o644))
	o := brcslint(t, "", "--config", yaml, "--format", "json", dir)
	var got []struct {
		Path, Rule, Severity string
	}
	require.NoError(t, json.Unmarshal([]byte(o.stdout), &got), o.stdout+o.stderr)
	bySev := map[string]string{}
	for _, g := range got {
		bySev[filepath.Base(g.Path)+" "+g.Rule] = g.Severity
	}
	assert.Equal(t, map[string]string{
		"a.brcs-s at-least-one": "error", // pam-15.3 knows no search_string
		"a.brcs-s literal-plus": "error", // top-level severity
		"b.brcs-s literal-plus": "info",  // the rs/** entry: search_string is fine in rs
	}, bySev)
	assert.Equal(t, 1, o.status)

	js := filepath.Join(dir, "c.json")
	require.NoError(t, os.WriteFile(js, []byte(`{"disable": ["literal-plus", "unknown-key", "at-least-one"], "max_warnings": 0}`), 0o644))
	assert.Equal(t, 0, brcslint(t, "", "--config", js, dir).status)

	for body, want := range map[string]string{
		`{"disable": ["nope"]}`: `unknown rule "nope"`,
		`{"paths": [{"glob": "x", "severity": {"nope": "error"}}]}`: `unknown rule "nope"`,
		`{"colour": true}`:     `unknown field "colour"`,
		`{"profile": "pam-1"}`: `unknown profile`,
	} {
		require.NoError(t, os.WriteFile(js, []byte(body), 0o644))
		o := brcslint(t, "", "--config", js, dir)
		assert.Equal(t, 2, o.status, body)
		assert.Contains(t, o.stderr, want, body)
	}
}

func TestFix(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "x.brcs-support")
	src := "BRCS1.0\r\naction=start_jump_item_session&client.comments=web server+1&client.tag=%2f%41\n\naction=delete_script_file&&\n"
	require.NoError(t, os.WriteFile(f, []byte(src), 0o640))
	o := brcslint(t, "", "--fix", f)
	assert.Equal(t, 0, o.status, o.stdout+o.stderr)
	got, err := os.ReadFile(f)
	require.NoError(t, err)
	assert.Equal(t, "BRCS1.0\r\naction=start_jump_item_session&client.comments=web%20server%2B1&client.tag=%2FA\r\naction=delete_script_file\r\n", string(got))
	testutil.AssertMode(t, f, 0o640, "permissions kept")

	before, _ := os.ReadFile(f)
	o = brcslint(t, "", "--fix", f)
	assert.Equal(t, 0, o.status)
	after, _ := os.ReadFile(f)
	assert.Equal(t, string(before), string(after), "fixing a fixed file changes nothing")
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no temporary file left behind")

	// Decoded values never change.
	s1, err := brcs.Parse("a", []byte(src), brcs.Options{})
	require.NoError(t, err)
	s2, err := brcs.Parse("b", after, brcs.Options{})
	require.NoError(t, err)
	assert.Equal(t, s1.Commands()[0].Params[1].Value.Decoded, s2.Commands()[0].Params[1].Value.Decoded)
}

func TestFixRefusesNonRegularFiles(t *testing.T) {
	target, link := spacedAndLink(t, t.TempDir(), "real.brcs-support")
	o := brcslint(t, "", "--fix", link)
	assert.Equal(t, 1, o.status, "a file --fix cannot write is a failure, not a usage error")
	assert.Contains(t, o.stderr, "not a regular file")
	got, _ := os.ReadFile(target)
	assert.Contains(t, string(got), "a b", "the link's target is untouched")
}

func TestFixStdinPrintsTheFixedText(t *testing.T) {
	o := brcslint(t, spaced, "--fix", "-")
	assert.Equal(t, "BRCS1.0\naction=start_jump_item_session&client.tag=a%20b\n", o.stdout)
	assert.Equal(t, 0, o.status, o.stderr)
}

func TestDiff(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "x.brcs-support")
	require.NoError(t, os.WriteFile(f, []byte(spaced), 0o644))
	o := brcslint(t, "", "--diff", f)
	assert.Equal(t, 1, o.status)
	assert.Contains(t, o.stdout, "-action=start_jump_item_session&client.tag=a b\n+action=start_jump_item_session&client.tag=a%20b\n")
	got, _ := os.ReadFile(f)
	assert.Equal(t, spaced, string(got), "--diff writes nothing")
	o = brcslint(t, "", "--diff", filepath.Join(lintFiles, "clean.brcs-support"))
	assert.Equal(t, 0, o.status)
	assert.Empty(t, o.stdout)
}

func TestListRulesAndExplain(t *testing.T) {
	o := brcslint(t, "", "--list-rules")
	assert.Equal(t, 0, o.status)
	for _, r := range brcs.Rules() {
		assert.Contains(t, o.stdout, r.Name)
	}
	assert.Len(t, strings.Split(strings.TrimSpace(o.stdout), "\n"), len(brcs.Rules()))
	o = brcslint(t, "", "--explain", "literal-plus")
	assert.Equal(t, 0, o.status)
	assert.Contains(t, o.stdout, "Wrong:\n    client.comments=web+server")
	assert.Contains(t, o.stdout, "Right:\n    client.comments=web%20server")
}

func TestVersionCompletionMan(t *testing.T) {
	o := brcslint(t, "", "--version")
	assert.Equal(t, 0, o.status)
	assert.Contains(t, o.stdout, "brcslint version ")
	for _, sh := range []string{"bash", "zsh", "fish"} {
		o := brcslint(t, "", "--completion", sh)
		assert.Equal(t, 0, o.status, sh)
		assert.Contains(t, o.stdout, "--generate-bash-completion", sh)
	}
	// The scripts ask the command what to offer (testdata/script/completion-*
	// runs them in the real shells).
	assert.Equal(t, "plain-text-password\n", brcslint(t, "", "--disable", "plain-t", "--generate-bash-completion").stdout)
	assert.Equal(t, "pam-15.3\npra\nrs\n", brcslint(t, "", "-p", "", "--generate-bash-completion").stdout)
	assert.Equal(t, 2, brcslint(t, "", "--completion", "tcsh").status)
	o = brcslint(t, "", "--man")
	assert.Equal(t, 0, o.status)
	assert.Contains(t, o.stdout, ".TH")
	assert.Contains(t, o.stdout, "max-warnings")
}

func TestParallelOutputIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 60; i++ {
		body := spaced
		if i%3 == 0 {
			body = "BRCS1.0\naction=login\n"
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, strings.Repeat("x", i%7)+string(rune('a'+i%26))+"-"+string(rune('0'+i%10))+".brcs-s"), []byte(body), 0o644))
	}
	one := brcslint(t, "", "-j", "1", dir)
	many := brcslint(t, "", "-j", "8", dir)
	assert.Equal(t, one.stdout, many.stdout)
	assert.NotEmpty(t, one.stdout)
}

func TestRepositoryExamplesLintClean(t *testing.T) {
	o := brcslint(t, "", "--config", "../../.brcslint.yaml", "../../testdata/valid")
	assert.Equal(t, 0, o.status, o.stdout+o.stderr)
}

// A file's name is not ours, in --diff's headers and in "cannot fix" as in
// the report: a name with a new line must not print a line of its own (a
// "::error" workflow command in a CI log), nor ESC reach the terminal.
func TestDiffAndFixMessagesEscapeFileNames(t *testing.T) {
	for _, name := range testutil.Corpus(t, "../../testdata/attacks/filenames.txt") {
		f, link := spacedAndLink(t, t.TempDir(), name)

		o := brcslint(t, "", "--diff", f)
		assert.Equal(t, 1, o.status, "%q", name)
		o2 := brcslint(t, "", "--fix", link)
		assert.Contains(t, o2.stderr, "cannot fix", "%q", name)
		for _, out := range []string{o.stdout, o.stderr, o2.stdout, o2.stderr} {
			testutil.AssertShownSafely(t, out)
			for _, l := range strings.Split(out, "\n") {
				assert.False(t, strings.HasPrefix(l, "::"), "%q: a line starts a workflow command: %q", name, l)
			}
		}
	}
}

// TestCommaIsData: a comma inside a --command value is data, so the
// command is checked whole (issue 16: it was split into a "command 2"
// with a missing-action and a missing-equals).
func TestCommaIsData(t *testing.T) {
	o := brcslint(t, "", "-c", "action=start_jump_item_session&client.hostname=PC01&client.comments=Smith,%20John")
	assert.Equal(t, 0, o.status, o.stdout+o.stderr)
	assert.Equal(t, "<command>:1:74: warning: ',' is legal here but not canonical; write %2C [non-canonical-character]\n", o.stdout)
	assert.NotContains(t, o.stdout+o.stderr, "command 2")

	o = brcslint(t, "", "--format", "json", "-c", "action=start_jump_item_session&client.hostname=PC 01,PC02")
	var ds []struct{ Path string }
	require.NoError(t, json.Unmarshal([]byte(o.stdout), &ds), o.stdout)
	require.NotEmpty(t, ds)
	for _, d := range ds {
		assert.Equal(t, "<command>", d.Path, "one command, named as the only one")
	}

	testutil.SliceFlagsKeepCommas(t, func() *cli.App {
		var status int
		return newApp(nil, io.Discard, io.Discard, func(string) string { return "" }, &status)
	})
}

// TestTemplateCommand: --template and --template-syntax apply to -c as to
// files (issue 16: a placeholder was 8 illegal characters).
func TestTemplateCommand(t *testing.T) {
	o := brcslint(t, "", "-t", "-c", "action=start_jump_item_session&client.hostname={{agent.hostname}}")
	assert.Equal(t, 0, o.status, o.stdout+o.stderr)
	assert.Empty(t, o.stdout)
	o = brcslint(t, "", "-t", "--template-syntax", "dollar", "-c", "action=start_jump_item_session&client.hostname=${agent.hostname}")
	assert.Equal(t, 0, o.status, o.stdout+o.stderr)
	o = brcslint(t, "", "-t", "--template-syntax", "dollar", "-c", "action=start_jump_item_session&client.hostname={{agent.hostname}}")
	assert.Equal(t, 1, o.status, "dollar does not know {{}}")
	o = brcslint(t, "", "-c", "action=start_jump_item_session&client.hostname={{agent.hostname}}")
	assert.Equal(t, 1, o.status, "without -t braces are illegal")
}

// TestFixUnwritableFileIsExit1: a fix that cannot be written is an output
// that cannot be written: exit 1, said once, naming the file (never the
// hidden temporary file beside it).
func TestFixUnwritableFileIsExit1(t *testing.T) {
	dir := t.TempDir()
	// A name so long that no temporary file can be made beside it: the
	// write fails even for root, whom a read-only folder does not stop.
	long := filepath.Join(dir, strings.Repeat("x", 240)+".brcs-support")
	require.NoError(t, os.WriteFile(long, []byte(spaced), 0o644))
	files := []string{long}
	if os.Getuid() != 0 {
		ro := filepath.Join(t.TempDir(), "ro")
		require.NoError(t, os.Mkdir(ro, 0o755))
		f := filepath.Join(ro, "x.brcs-support")
		require.NoError(t, os.WriteFile(f, []byte(spaced), 0o644))
		require.NoError(t, os.Chmod(ro, 0o555))
		t.Cleanup(func() { os.Chmod(ro, 0o755) })
		files = append(files, f)
	}
	for _, f := range files {
		o := brcslint(t, "", "--fix", f)
		assert.Equal(t, 1, o.status, o.stderr)
		assert.Equal(t, 1, strings.Count(o.stderr, "\n"), "said once: %s", o.stderr)
		assert.Contains(t, o.stderr, "brcslint: cannot fix "+f+": ")
		assert.NotContains(t, o.stderr, ".part-")
		got, _ := os.ReadFile(f)
		assert.Equal(t, spaced, string(got))
	}
}

func TestCompletionValuesAreFlags(t *testing.T) {
	var status int
	testutil.CompletionNamesFlags(t, newApp(nil, io.Discard, io.Discard, func(string) string { return "" }, &status), completionValues())
}
