package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/testutil"
	"github.com/brcs-toolkit/brcs/report"
)

// src has an error (an unknown key), a warning and a plain-text password.
const src = "BRCS1.0\naction=login&mechanism=username_password&username=tech&password=hunter%32\naction=start_jump_item_session&client.hostname=A&bogus=1\n"

// check returns what linting src as path finds.
func check(t *testing.T, path, source string) *report.Result {
	t.Helper()
	s, ds, err := brcs.Check(path, []byte(source), brcs.Options{})
	require.NoError(t, err)
	require.NotEmpty(t, ds)
	cat, _ := brcs.LookupProfile("")
	return &report.Result{Files: []report.File{{Path: path, Source: []byte(source), Secrets: brcs.SecretSpans(s, cat)}}, Diagnostics: ds}
}

func write(t *testing.T, f report.Format, r *report.Result, opts report.Options) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, report.Write(&b, f, r, opts))
	return b.String()
}

var tool = report.Options{Tool: report.Tool{Name: "brcslint", Version: "v1.2.3", URI: "https://example.com/brcs"}}

func TestFormats(t *testing.T) {
	var names []string
	for _, f := range report.Formats() {
		names = append(names, string(f))
		got, err := report.ParseFormat(string(f))
		require.NoError(t, err)
		assert.Equal(t, f, got)
	}
	assert.Equal(t, []string{"text", "json", "sarif", "github", "checkstyle"}, names)
	_, err := report.ParseFormat("xml")
	assert.EqualError(t, err, `unknown format "xml" (want text, json, sarif, github, checkstyle)`)
	assert.Error(t, report.Write(&bytes.Buffer{}, report.Format("xml"), &report.Result{}, tool))
}

func TestText(t *testing.T) {
	r := check(t, "dir/a.brcs-support", src)
	out := write(t, report.Text, r, tool)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, len(r.Diagnostics))
	line := regexp.MustCompile(`^dir/a\.brcs-support:\d+:\d+: (error|warning|info): .+ \[[a-z0-9-]+\]$`)
	for _, l := range lines {
		assert.Regexp(t, line, l)
	}
	assert.Contains(t, out, ":3:")
	assert.NotContains(t, out, "hunter")
	assert.NotContains(t, out, "\x1b[", "no colour unless asked")
}

func TestTextColourMasksSecretsAndMarks(t *testing.T) {
	r := check(t, "a.brcs-support", src)
	out := write(t, report.Text, r, report.Options{Color: true})
	assert.Contains(t, out, "\x1b[")
	assert.NotContains(t, out, "hunter", "the source line shows the secret masked")
	assert.Contains(t, out, report.Redacted)
	assert.Contains(t, out, "^")
}

// The marker goes under the span whatever is before it: a CJK character
// or an emoji takes two terminal cells, a combining mark none.
func TestMarkerCountsTerminalCells(t *testing.T) {
	for _, c := range []struct {
		before string
		cells  int
	}{
		{"abc", 3},
		{"a日b", 4},
		{"日本語", 6},
		{"👍", 2},
		{"👍🏽", 2},               // with a skin-tone modifier: one cluster
		{"👨\u200d👩", 2 + 1 + 2}, // a ZWJ (format character) is shown as "?": the marker follows what is shown
		{"e\u0301", 1},          // e and a combining acute
		{"\x1b\u202e", 2},       // each escaped to one '?'
	} {
		line := "action=start_jump_item_session&client.hostname=" + c.before + "&x=1"
		source := "BRCS1.0\n" + line + "\n"
		at := strings.Index(source, "&x=1") + 1
		col := strings.Index(line, "&x=1") + 1
		d := brcs.Diagnostic{File: "a.brcs-x", Rule: "unknown-key", Severity: brcs.Error, Message: "m",
			Span: brcs.Span{Start: brcs.Position{Offset: at, Line: 2, Column: col}, End: brcs.Position{Offset: at + 3, Line: 2, Column: col + 3}}}
		out := write(t, report.Text, &report.Result{Files: []report.File{{Path: "a.brcs-x", Source: []byte(source)}}, Diagnostics: []brcs.Diagnostic{d}}, report.Options{Color: true})
		lines := strings.Split(out, "\n")
		require.GreaterOrEqual(t, len(lines), 3, out)
		marker := lines[2]
		want := "    " + strings.Repeat(" ", len("action=start_jump_item_session&client.hostname=")+c.cells+1) + "\x1b[32m^~~\x1b[0m"
		assert.Equal(t, want, marker, "%q", c.before)
		testutil.AssertShownSafely(t, strings.ReplaceAll(strings.ReplaceAll(lines[1], "\x1b[32m", ""), "\x1b[0m", ""))
	}
}

func TestJSON(t *testing.T) {
	r := check(t, "a.brcs-support", src)
	var got []map[string]any
	require.NoError(t, json.Unmarshal([]byte(write(t, report.JSON, r, tool)), &got))
	require.Len(t, got, len(r.Diagnostics))
	for _, f := range got {
		assert.Equal(t, "a.brcs-support", f["path"])
		for _, k := range []string{"line", "column", "end_line", "end_column", "severity", "rule", "message", "fix"} {
			assert.Contains(t, f, k)
		}
	}
	out := write(t, report.JSON, r, tool)
	assert.NotContains(t, out, "hunter", "a secret's fix is redacted")
	var empty []any
	require.NoError(t, json.Unmarshal([]byte(write(t, report.JSON, &report.Result{}, tool)), &empty))
	assert.NotNil(t, empty, "no findings is [], not null")
}

func TestSARIF(t *testing.T) {
	r := check(t, `dir\a b%.brcs-support`, src)
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name, Version string
					Rules         []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(write(t, report.SARIF, r, tool)), &log))
	assert.Equal(t, "2.1.0", log.Version)
	require.Len(t, log.Runs, 1)
	run := log.Runs[0]
	assert.Equal(t, "brcslint", run.Tool.Driver.Name)
	assert.Len(t, run.Tool.Driver.Rules, len(brcs.Rules()))
	require.Len(t, run.Results, len(r.Diagnostics))
	for _, res := range run.Results {
		assert.Equal(t, res.RuleID, run.Tool.Driver.Rules[res.RuleIndex].ID)
		loc := res.Locations[0].PhysicalLocation
		u, err := url.Parse(loc.ArtifactLocation.URI)
		require.NoError(t, err)
		assert.Equal(t, "dir/a b%.brcs-support", u.Path, "the URI is the path, percent-encoded")
		assert.GreaterOrEqual(t, loc.Region.StartLine, 1)
		assert.True(t, loc.Region.EndLine > loc.Region.StartLine || loc.Region.EndColumn > loc.Region.StartColumn, "never an empty region")
	}
}

func TestGitHub(t *testing.T) {
	r := check(t, "a.brcs-support", src)
	out := write(t, report.GitHub, r, tool)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, len(r.Diagnostics))
	for _, l := range lines {
		assert.Regexp(t, `^::(error|warning|notice) file=a\.brcs-support,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=brcslint%3A [a-z0-9-]+::.+$`, l)
	}
	assert.NotContains(t, out, "hunter")
}

func TestCheckstyle(t *testing.T) {
	r := check(t, "a&b.brcs-support", src)
	r.Files = append(r.Files, report.File{Path: "clean.brcs-support"})
	var cs struct {
		Version string `xml:"version,attr"`
		Files   []struct {
			Name   string `xml:"name,attr"`
			Errors []struct {
				Line     int    `xml:"line,attr"`
				Severity string `xml:"severity,attr"`
				Source   string `xml:"source,attr"`
			} `xml:"error"`
		} `xml:"file"`
	}
	out := write(t, report.Checkstyle, r, tool)
	assert.True(t, strings.HasPrefix(out, xml.Header))
	require.NoError(t, xml.Unmarshal([]byte(out), &cs))
	require.Len(t, cs.Files, 2, "a clean file is listed too")
	assert.Equal(t, "a&b.brcs-support", cs.Files[0].Name)
	assert.Len(t, cs.Files[0].Errors, len(r.Diagnostics))
	assert.Empty(t, cs.Files[1].Errors)
	for _, e := range cs.Files[0].Errors {
		assert.True(t, strings.HasPrefix(e.Source, "brcslint."), e.Source)
	}
}

// A file's name is not ours: in the text format it is escaped, so a name
// with a new line cannot print a line of its own (in a CI log, a
// "::error" workflow command) and ESC cannot recolour or move anything; in
// the GitHub format a new line stays %0A inside the file property, and
// every other format keeps its own escaping.
func TestFileNamesAreEscaped(t *testing.T) {
	for _, name := range testutil.Corpus(t, "../testdata/attacks/filenames.txt") {
		r := check(t, name, src)
		n := len(r.Diagnostics)

		text := write(t, report.Text, r, tool)
		assert.Len(t, strings.Split(strings.TrimSuffix(text, "\n"), "\n"), n, "%q: one line a finding", name)
		testutil.AssertShownSafely(t, text)
		for _, l := range strings.Split(text, "\n") {
			assertNoWorkflowCommand(t, l)
		}
		colour := write(t, report.Text, r, report.Options{Color: true})
		plain := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(colour, "")
		testutil.AssertShownSafely(t, plain)

		gh := write(t, report.GitHub, r, tool)
		ghLines := strings.Split(strings.TrimSuffix(gh, "\n"), "\n")
		assert.Len(t, ghLines, n, "%q", name)
		for _, l := range ghLines {
			assert.True(t, strings.HasPrefix(l, "::error ") || strings.HasPrefix(l, "::warning ") || strings.HasPrefix(l, "::notice "), "%q: %q", name, l)
			testutil.AssertShownSafely(t, l)
		}

		var js []struct{ Path string }
		require.NoError(t, json.Unmarshal([]byte(write(t, report.JSON, r, tool)), &js))
		if utf8.ValidString(name) {
			assert.Equal(t, name, js[0].Path, "JSON carries the name exactly, escaped by JSON")
		}

		var cs struct {
			Files []struct {
				Name string `xml:"name,attr"`
			} `xml:"file"`
		}
		assert.NoError(t, xml.Unmarshal([]byte(write(t, report.Checkstyle, r, tool)), &cs), "%q: checkstyle stays well-formed", name)
		var sarif map[string]any
		assert.NoError(t, json.Unmarshal([]byte(write(t, report.SARIF, r, tool)), &sarif))
	}
}

// assertNoWorkflowCommand fails when GitHub Actions would read the log
// line l as a workflow command: "::" first once leading blanks are
// trimmed, or the older "##[" anywhere.
func assertNoWorkflowCommand(t *testing.T, l string) {
	t.Helper()
	assert.False(t, strings.HasPrefix(strings.TrimLeft(l, " "), "::"), "a line starts a workflow command: %q", l)
	assert.NotContains(t, l, "##[", "a line holds a workflow command: %q", l)
}

// A script's own lines are the author's too: in colour, the source line
// under a finding must not be a workflow command either, and the marker
// keeps its place.
func TestSourceLineIsNoWorkflowCommand(t *testing.T) {
	for _, line := range []string{"::error file=README.md::pwned", "  ::warning::x", "action=x##[error]y"} {
		r := check(t, "x.brcs-support", "BRCS1.0\n"+line+"\n")
		out := write(t, report.Text, r, report.Options{Color: true})
		plain := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(out, "")
		for _, l := range strings.Split(plain, "\n") {
			assertNoWorkflowCommand(t, l)
		}
	}
}

func ExampleWrite() {
	src := []byte("BRCS1.0\naction=start_jump_item_session&client.hostname=A&bogus=1\n")
	_, ds, _ := brcs.Check("jump.brcs-support", src, brcs.Options{})
	r := &report.Result{Files: []report.File{{Path: "jump.brcs-support", Source: src}}, Diagnostics: ds}
	report.Write(os.Stdout, report.Text, r, report.Options{})
	fmt.Println(len(ds) > 0)
	// Output:
	// jump.brcs-support:2:50: error: start_jump_item_session takes no parameter "bogus"; it takes client.comments, client.hostname, client.private_ip, client.public_ip, client.tag, jump.method, session.custom.external_key, session.custom.<code_name> [unknown-key]
	// true
}
