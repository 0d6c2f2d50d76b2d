package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/cliutil"
)

// hostileReportAppliance is a plain-HTTP appliance that answers every report
// with handler, and the arguments that reach it.
func hostileReportAppliance(t *testing.T, handler http.HandlerFunc) []string {
	t.Helper()
	s := httptest.NewServer(handler)
	t.Cleanup(s.Close)
	pw := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pw, []byte("secret\n"), 0o600))
	return []string{"brcsapi", "--appliance", s.URL, "--allow-http", "--attempts", "1", "--username", "u", "--password-file", pw}
}

func answer(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		_, _ = w.Write([]byte(body))
	}
}

func runMain(base []string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	e := cliutil.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: func() time.Time { return time.Date(2015, 3, 5, 0, 0, 0, 0, time.UTC) }}
	code := Main(append(append([]string(nil), base...), args...), e)
	return code, out.String(), errb.String()
}

var march1 = []string{"--since", "2015-03-01T00:00:00Z", "--until", "2015-03-02T00:00:00Z", "--window", "24h"}

func sessionXML(i int, body string) string {
	return fmt.Sprintf(`<session lsid="%032x"><start_time timestamp="%d">x</start_time><session_details><event timestamp="%d" event_type="Chat Message"><body>%s</body></event></session_details></session>`,
		i+1, 1425168000+i, 1425168000+i, body)
}

// A nested <error> after a session, with --format xml -o, exits 1 and
// leaves no file, as jsonl does (issue 18, item 18).
func TestReportXMLNestedErrorLeavesNoFile(t *testing.T) {
	base := hostileReportAppliance(t, answer(`<session_list>`+sessionXML(0, "hi")+`<error>Document Not Found</error></session_list>`))
	for _, format := range []string{"xml", "jsonl", "csv"} {
		dir := t.TempDir()
		code, _, stderr := runMain(base, append([]string{"report", "sessions", "--format", format, "-o", filepath.Join(dir, "x."+format)}, march1...)...)
		assert.Equal(t, 1, code, format+": "+stderr)
		assert.Contains(t, stderr, "Document Not Found", format)
		entries, _ := os.ReadDir(dir)
		assert.Empty(t, entries, format)
	}
}

// --format xml holds the per-element limit: one text node larger than
// --max-element-bytes is refused, and nothing is kept (issue 18, item 14).
func TestReportXMLHoldsTheElementLimit(t *testing.T) {
	base := hostileReportAppliance(t, answer(`<session_list>`+sessionXML(0, strings.Repeat("x", 1<<20))+`</session_list>`))
	dir := t.TempDir()
	out := filepath.Join(dir, "x.xml")
	code, _, stderr := runMain(base, append([]string{"report", "sessions", "--format", "xml", "--max-element-bytes", "65536", "-o", out}, march1...)...)
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, "larger than 65536 bytes")
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries)
	// Within the limit it is copied as sent.
	code, _, stderr = runMain(base, append([]string{"report", "sessions", "--format", "xml", "-o", out}, march1...)...)
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(b), strings.Repeat("x", 1<<20))
}

// An error quoting a huge value from the answer is a readable line, with
// the value's size said (issue 18, item 15).
func TestReportHugeLSIDErrorIsReadable(t *testing.T) {
	huge := strings.Repeat("A", 1<<20)
	base := hostileReportAppliance(t, answer(`<session_list><session lsid="`+huge+`"/></session_list>`))
	for _, format := range []string{"jsonl", "xml"} {
		code, stdout, stderr := runMain(base, append([]string{"report", "sessions", "--format", format}, march1...)...)
		assert.Equal(t, 1, code, format)
		assert.Empty(t, stdout)
		assert.Less(t, len(stderr), 400, format)
		assert.Contains(t, stderr, "(1048576 bytes)", format)
	}
}

// Sessions outside the window and repeats are left out, and the command
// says so (issue 18, item 1 and "Also seen").
func TestReportDropsOutsideWindowAndRepeats(t *testing.T) {
	outside := strings.Replace(sessionXML(5, "late"), `timestamp="1425168005"`, `timestamp="1435168005"`, 1)
	base := hostileReportAppliance(t, answer(`<session_list>`+sessionXML(0, "a")+sessionXML(0, "a")+outside+sessionXML(1, "b")+`</session_list>`))
	code, stdout, stderr := runMain(base, append([]string{"report", "sessions", "--format", "jsonl"}, march1...)...)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, 2, strings.Count(stdout, "\n"))
	assert.Contains(t, stderr, "warning: the appliance sent 1 session outside the window asked for and 1 session sent twice in one answer; left out")
}

// An output folder that cannot be written exits 1 and names the file the
// user asked for, not the temporary file (issue 17, item 7).
func TestReportUnwritableOutput(t *testing.T) {
	base := hostileReportAppliance(t, answer(`<session_list>`+sessionXML(0, "a")+`</session_list>`))
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(notDir, nil, 0o600))
	want := filepath.Join(notDir, "big.csv")
	for _, format := range []string{"csv", "xml"} {
		code, _, stderr := runMain(base, append([]string{"report", "sessions", "--format", format, "-o", want}, march1...)...)
		assert.Equal(t, 1, code, stderr)
		assert.Contains(t, stderr, "cannot write "+want)
		assert.NotContains(t, stderr, ".part")
	}
}

// firstWrite is a buffer that says when it is first written to.
type firstWrite struct {
	mu   sync.Mutex
	b    bytes.Buffer
	seen chan struct{}
}

func (f *firstWrite) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.b.Len() == 0 && len(p) > 0 {
		close(f.seen)
	}
	return f.b.Write(p)
}

func (f *firstWrite) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.b.String()
}

// streaming is an appliance that sends sessions until the client goes
// away, and says on sent when n sessions are out.
func streaming(t *testing.T, n int, sent chan<- struct{}) []string {
	body := strings.Repeat("y", 20<<10)
	return hostileReportAppliance(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		bw := bufio.NewWriter(w)
		bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?><session_list>`)
		for i := 0; ; i++ {
			if _, err := bw.WriteString(sessionXML(i, body)); err != nil {
				return
			}
			if bw.Flush() != nil {
				return
			}
			w.(http.Flusher).Flush()
			if i == n {
				close(sent)
			}
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Millisecond):
			}
		}
	})
}

// A real brcsapi process signalled while the appliance streams: standard
// output ends on a whole line, a file is not left (nor its temporary
// file), the exit status is 130 or 143, and one line says what was
// written (issue 17, item 2).
func TestReportInterrupted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGINT and SIGTERM cannot be sent to a process on Windows")
	}
	bin := brcsapiBin(t)
	for _, c := range []struct {
		name   string
		sig    syscall.Signal
		status int
		args   []string
	}{
		{"jsonl to stdout", syscall.SIGINT, 130, []string{"--format", "jsonl"}},
		{"csv to stdout", syscall.SIGTERM, 143, []string{"--format", "csv"}},
		{"xml to stdout", syscall.SIGINT, 130, []string{"--format", "xml"}},
		{"csv to a file", syscall.SIGTERM, 143, []string{"--format", "csv", "-o", "big.csv"}},
		{"xml to a file", syscall.SIGINT, 130, []string{"--format", "xml", "-o", "big.xml"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			sent := make(chan struct{})
			base := streaming(t, 20, sent)
			dir := t.TempDir()
			cmd := exec.Command(bin, append(append(base[1:], "report", "sessions"), append(c.args, march1...)...)...)
			cmd.Dir = dir
			toFile := len(c.args) > 2
			stdout := &firstWrite{seen: make(chan struct{})}
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = stdout, &stderr
			require.NoError(t, cmd.Start())
			// Signalled once the appliance is streaming and, on standard
			// output, once records have arrived there.
			wait := stdout.seen
			if toFile {
				wait = sent
			}
			select {
			case <-wait:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("nothing happened: %s", stderr.String())
			}
			require.NoError(t, cmd.Process.Signal(c.sig))
			err := cmd.Wait()
			var ee *exec.ExitError
			require.ErrorAs(t, err, &ee, stderr.String())
			assert.Equal(t, c.status, ee.ExitCode(), stderr.String())
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			require.NotEmpty(t, lines)
			entries, _ := os.ReadDir(dir)
			if toFile {
				assert.Empty(t, entries, "no file, no temporary file")
				assert.Equal(t, "brcsapi: interrupted by "+sigName(c.sig)+": nothing written to "+c.args[3], lines[0])
				assert.Len(t, lines, 1, "one line")
				return
			}
			out := stdout.String()
			rows := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			n := len(rows)
			if c.args[1] != "xml" {
				require.True(t, strings.HasSuffix(out, "\n"), "standard output ends on a whole line")
			}
			if c.args[1] == "xml" {
				// Whole sessions: the copy stops on an element's end.
				n = strings.Count(out, "<session ")
				require.Equal(t, n, strings.Count(out, "</session>"))
				assert.True(t, strings.HasSuffix(out, "</session>"), "ends on a whole session")
			} else if c.args[1] == "csv" {
				n-- // the header
				for _, r := range rows[1:] {
					assert.True(t, strings.HasPrefix(r, "000000"), "a whole row")
				}
			} else {
				for _, r := range rows {
					assert.True(t, json.Valid([]byte(r)), "a whole JSON line")
				}
			}
			assert.Positive(t, n)
			assert.Equal(t, fmt.Sprintf("brcsapi: interrupted by %s: %d sessions written to standard output", sigName(c.sig), n), lines[0])
			assert.Len(t, lines, 1, "one line")
		})
	}
}

// sigName is how the commands name a signal.
func sigName(s syscall.Signal) string {
	if s == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}
