package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// A hostile appliance for ticket and recording: its answers are set by
// the test, and it answers every question with them, whatever was asked.

const (
	lsidA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	lsidB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	lsidC = "cccccccccccccccccccccccccccccccc"
)

type hostileAppliance struct {
	*httptest.Server
	mu       sync.Mutex
	listing  []string // lsids listed with the external key INC1
	sessions []string // <session> elements of every AccessSession answer
	// recording answers a recording request (instance -1: the screen
	// recording); nil sends 4 KiB named by disposition.
	recording   func(w http.ResponseWriter, lsid string, instance int, txt bool)
	disposition func(lsid string, instance int) string
	requests    int
}

func newHostile(t *testing.T) *hostileAppliance {
	h := &hostileAppliance{}
	h.Server = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.Close)
	return h
}

func (h *hostileAppliance) serve(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.requests++
	listing, sessions, rec, disp := h.listing, h.sessions, h.recording, h.disposition
	h.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
	switch r.FormValue("generate_report") {
	case "AccessSessionListing":
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><session_summary_list xmlns="http://www.bomgar.com/namespaces/API/reporting">`)
		for _, id := range listing {
			fmt.Fprintf(w, `<session_summary lsid="%s" has_recording="1" external_key="INC1"/>`, id)
		}
		fmt.Fprint(w, `</session_summary_list>`)
	case "AccessSession":
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><session_list xmlns="http://www.bomgar.com/namespaces/API/reporting">`)
		fmt.Fprint(w, strings.Join(sessions, ""))
		fmt.Fprint(w, `</session_list>`)
	case "AccessSessionRecording", "CommandShellRecording":
		inst := -1
		if v := r.FormValue("instance"); v != "" {
			fmt.Sscan(v, &inst)
		}
		lsid, txt := r.FormValue("lsid"), r.FormValue("format") == "txt"
		if rec != nil {
			rec(w, lsid, inst, txt)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		if disp != nil {
			w.Header().Set("Content-Disposition", disp(lsid, inst))
		}
		w.Write(bytes.Repeat([]byte(fmt.Sprintf("%s/%d/%v;", lsid, inst, txt)), 100))
	default:
		fmt.Fprint(w, `<error>unknown</error>`)
	}
}

// hostileSession is a closed session of ticket INC1 on 2015-03-02 with a
// screen recording and shells, whose lseq tells copies apart.
func hostileSession(lsid string, lseq int, shells ...int) string {
	var sh string
	if len(shells) > 0 {
		sh = "<command_shell_recordings>"
		for _, i := range shells {
			sh += fmt.Sprintf(`<command_shell_recording instance="%d"><download_url>x</download_url></command_shell_recording>`, i)
		}
		sh += "</command_shell_recordings>"
	}
	return fmt.Sprintf(`<session lsid="%s"><session_type>support</session_type><lseq>%d</lseq>`+
		`<start_time timestamp="1425283200">2015-03-02T08:00:00+00:00</start_time><end_time timestamp="1425286800">2015-03-02T09:00:00+00:00</end_time>`+
		`<duration>01:00:00</duration><external_key>INC1</external_key>`+
		`<session_recording_download_url>https://x/dl?lsid=%s</session_recording_download_url>%s`+
		`<primary_customer gsnumber="1">host</primary_customer><primary_rep gsnumber="2" id="3">rep</primary_rep></session>`, lsid, lseq, lsid, sh)
}

// namedSession is hostileSession with these customer and representative
// names (XML text, escaped as the appliance would).
func namedSession(lsid, host, rep string) string {
	s := hostileSession(lsid, 1)
	s = strings.Replace(s, `<primary_customer gsnumber="1">host<`, `<primary_customer gsnumber="1">`+host+`<`, 1)
	return strings.Replace(s, `id="3">rep<`, `id="3">`+rep+`<`, 1)
}

// run runs brcsapi in-process against the hostile appliance.
func (h *hostileAppliance) run(t *testing.T, args ...string) out {
	t.Helper()
	pw := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pw, []byte("pw\n"), 0o600))
	var o, e bytes.Buffer
	ev := cliutil.Env{Stdin: strings.NewReader(""), Stdout: &o, Stderr: &e,
		Now: func() time.Time { return time.Date(2015, 3, 5, 0, 0, 0, 0, time.UTC) }}
	base := []string{"brcsapi", "--appliance", h.URL, "--allow-http", "--username", "u", "--password-file", pw, "--attempts", "1"}
	status := Main(append(base, args...), ev)
	return out{status, o.String(), e.String()}
}

// evidenceManifest is manifest.json as a reader of the folder sees it.
type evidenceManifest struct {
	Sessions []string `json:"sessions"`
	Files    []struct {
		LSID   string `json:"lsid"`
		File   string `json:"file"`
		Size   int64  `json:"size"`
		SHA256 string `json:"sha256"`
	} `json:"files"`
}

func readManifest(t *testing.T, dir string) evidenceManifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	require.NoError(t, err)
	var m evidenceManifest
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// checkManifest asserts that every file listed is there once, with the
// size and SHA-256 listed, and that every file in the folder is listed.
func checkManifest(t *testing.T, dir string, m evidenceManifest) {
	t.Helper()
	listed := map[string]bool{}
	for _, f := range m.Files {
		assert.False(t, listed[f.File], "listed twice: %s", f.File)
		listed[f.File] = true
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.File)))
		if !assert.NoError(t, err, f.File) {
			continue
		}
		sum := sha256.Sum256(b)
		assert.Equal(t, hex.EncodeToString(sum[:]), f.SHA256, "the hash of %s", f.File)
		assert.Equal(t, int64(len(b)), f.Size, f.File)
	}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != "manifest.json" {
			rel, _ := filepath.Rel(dir, p)
			assert.True(t, listed[filepath.ToSlash(rel)], "not in the manifest: %s", rel)
		}
		return nil
	})
}

// Issue 18 item 1: the appliance answers the lsid query with sessions
// nobody asked for, lsids ../../escaped, .. and /abs/olute among them.
// Such an answer is refused where it is decoded (exit 1): nothing is
// written outside DIR, and no manifest claims a complete folder. A valid
// lsid not asked for is dropped, and said.
func TestTicketDropsSessionsNotAskedFor(t *testing.T) {
	h := newHostile(t)
	root := t.TempDir()
	abs := filepath.Join(root, "abs", "olute")
	h.listing = []string{lsidA}
	for _, bad := range []string{"../../escaped", "..", abs} {
		h.sessions = []string{hostileSession(lsidA, 1), hostileSession(bad, 2), hostileSession(lsidB, 5)}
		dir := filepath.Join(root, "a", "b", "ev")
		o := h.run(t, "ticket", "INC1", "--since", "2015-03-01", "--until", "2015-03-05", "--no-recordings", "-o", dir)
		assert.Equal(t, 1, o.status, o.stderr)
		assert.Contains(t, o.stderr, "is not 32 lower-case hexadecimal digits")
		assert.NoFileExists(t, filepath.Join(dir, "manifest.json"))
		for _, p := range []string{filepath.Join(root, "a", "escaped"), filepath.Join(root, "a", "b", "session.json"), filepath.Join(root, "a", "b", "ev", "session.json"), abs} {
			assert.NoFileExists(t, p)
			assert.NoDirExists(t, p)
		}
		os.RemoveAll(dir)
	}

	h.sessions = []string{hostileSession(lsidA, 1), hostileSession(lsidB, 5)}
	dir := filepath.Join(root, "a", "b", "ev")
	o := h.run(t, "ticket", "INC1", "--since", "2015-03-01", "--until", "2015-03-05", "--no-recordings", "-o", dir)
	require.Equal(t, 0, o.status, o.stderr)
	m := readManifest(t, dir)
	assert.Equal(t, []string{lsidA}, m.Sessions)
	checkManifest(t, dir, m)
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{lsidA, "manifest.json"}, names)
	for _, want := range []string{lsidB, "not asked for; dropped"} {
		assert.Contains(t, o.stderr, want)
	}
	// The same answer without -o: one line, the session asked for.
	o = h.run(t, "ticket", "INC1", "--since", "2015-03-01", "--until", "2015-03-05")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, 1, strings.Count(o.stdout, "\n"), o.stdout)
	assert.Contains(t, o.stdout, lsidA)
	assert.Contains(t, o.stderr, "dropped")
}

// Issue 18 item 2: the same lsid twice with different content, a screen
// recording named session.json and shell recordings named events.csv.
// Each file is written once, under the fixed scheme's name, and every
// hash of the manifest is its file's.
func TestTicketEvidenceNeverOverwritten(t *testing.T) {
	h := newHostile(t)
	h.listing = []string{lsidA}
	h.sessions = []string{hostileSession(lsidA, 1, 0, 1), hostileSession(lsidA, 2, 0, 1, 1)}
	h.disposition = func(lsid string, instance int) string {
		if instance < 0 {
			return `attachment; filename="session.json"`
		}
		return `attachment; filename="events.csv"`
	}
	dir := filepath.Join(t.TempDir(), "ev")
	o := h.run(t, "ticket", "INC1", "--since", "2015-03-01", "--until", "2015-03-05", "-o", dir)
	require.Equal(t, 0, o.status, o.stderr)
	m := readManifest(t, dir)
	assert.Equal(t, []string{lsidA}, m.Sessions)
	checkManifest(t, dir, m)
	require.Len(t, m.Files, 7, "session.json, events.csv, the screen recording, two shells twice (binary and text)")
	var s struct {
		LSID string `json:"lsid"`
		LSeq int    `json:"lseq"`
	}
	b, err := os.ReadFile(filepath.Join(dir, lsidA, "session.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &s), "session.json is the session, not a recording")
	assert.Equal(t, 1, s.LSeq, "the first copy is kept")
	assert.FileExists(t, filepath.Join(dir, lsidA, lsidA+"-session.json"), "the appliance's name gives the extension only")
	// .csv is no recording's extension (a spreadsheet runs its formulas).
	assert.FileExists(t, filepath.Join(dir, lsidA, lsidA+"-shell-1.bin"))
	assert.Contains(t, o.stderr, "twice")
}

// Issue 18 item 4: a recording named notes.txt where the user's notes.txt
// is, and three shell recordings all named shell.bin. The user's file is
// kept; each download is a file of its own, with the SHA-256 printed.
func TestRecordingNeverReplacesAFile(t *testing.T) {
	h := newHostile(t)
	h.sessions = []string{hostileSession(lsidA, 1, 0, 1, 2)}
	h.disposition = func(string, int) string { return `attachment; filename="notes.txt"` }
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(notes, []byte("my notes\n"), 0o600))
	o := h.run(t, "recording", lsidA, "-o", dir)
	require.Equal(t, 0, o.status, o.stderr)
	b, _ := os.ReadFile(notes)
	assert.Equal(t, "my notes\n", string(b), "the user's file is kept")
	assert.Contains(t, o.stdout, filepath.Join(dir, lsidA+"-session.txt"))

	h.disposition = func(string, int) string { return `attachment; filename="shell.bin"` }
	o = h.run(t, "recording", lsidA, "--all-shells", "-o", dir)
	require.Equal(t, 0, o.status, o.stderr)
	lines := strings.Split(strings.TrimSpace(o.stdout), "\n")
	require.Len(t, lines, 3)
	paths := map[string]bool{}
	for _, l := range lines {
		f := strings.Split(l, "\t")
		require.Len(t, f, 3, l)
		paths[f[0]] = true
		data, err := os.ReadFile(f[0])
		require.NoError(t, err)
		sum := sha256.Sum256(data)
		assert.Equal(t, "sha256 "+hex.EncodeToString(sum[:]), f[2], f[0])
	}
	assert.Len(t, paths, 3, "one file per download")
}

// Issue 18 item 5: names the old check let through (C1 controls, RLO, a
// zero-width space, a leading '-', CON and NUL.flv, a trailing dot or
// space, a lone space) are never file names: the recording falls back
// to <lsid>-session, and nothing raw is printed.
func TestRecordingRefusesUnsafeNames(t *testing.T) {
	h := newHostile(t)
	for _, bad := range []string{"nel\u0085x.bin", "csi\u009b2J.bin", "x\u202eflv.exe", "zw\u200bsp.bin", "-rf", "CON", "NUL.flv", "trail.", "trail ", " "} {
		h.disposition = func(string, int) string { return `attachment; filename="` + bad + `"` }
		dir := t.TempDir()
		o := h.run(t, "recording", lsidA, "-o", dir)
		require.Equal(t, 0, o.status, "%q: %s", bad, o.stderr)
		entries, _ := os.ReadDir(dir)
		require.Len(t, entries, 1, bad)
		assert.True(t, strings.HasPrefix(entries[0].Name(), lsidA+"-session."), "%q became %q", bad, entries[0].Name())
		if bad != " " {
			assert.NotContains(t, o.stdout, bad)
		}
	}
}

// Issue 18 item 7: a .part left by a killed run (the old fixed
// NAME.part, and an atomic write's unlocked .NAME.part-N) never stops the
// next download, and the stale one is removed.
func TestRecordingAfterAKilledRun(t *testing.T) {
	h := newHostile(t)
	h.disposition = func(string, int) string { return `attachment; filename="rec.bin"` }
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "rec.bin.part"), []byte("cut"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".rec.bin.part-123"), []byte("cut"), 0o600))
	o := h.run(t, "recording", lsidA, "-o", dir)
	require.Equal(t, 0, o.status, o.stderr)
	assert.FileExists(t, filepath.Join(dir, "rec.bin"))
	assert.NoFileExists(t, filepath.Join(dir, ".rec.bin.part-123"))
}

// Issue 17 item 11: a ticket with no session in the range says so (exit
// 0), and --fail-empty makes that exit 1.
func TestTicketNoSessionSaysSo(t *testing.T) {
	h := newHostile(t)
	o := h.run(t, "ticket", "INC0012345", "--since", "2015-03-01", "--until", "2015-03-05")
	assert.Equal(t, 0, o.status, o.stderr)
	assert.Empty(t, o.stdout)
	assert.Contains(t, o.stderr, "no session of INC0012345 between 2015-03-01T00:00:00Z and 2015-03-05T00:00:00Z")
	o = h.run(t, "ticket", "INC0012345", "--since", "2015-03-01", "--until", "2015-03-05", "--fail-empty")
	assert.Equal(t, 1, o.status, o.stderr)
	assert.Contains(t, o.stderr, "no session of INC0012345")
}

// Issue 18 item 9: ticket KEY without -o printed the customer's and the
// representative's names raw: C1 controls, RLO and a new line forged a
// row. Every value is escaped; one session is one line.
func TestTicketTableIsEscaped(t *testing.T) {
	h := newHostile(t)
	h.listing = []string{lsidA}
	h.sessions = []string{namedSession(lsidA, "host\u0085\u202e&#10;"+lsidB+"\t2015-03-02T08:00:00Z", "rep\u009b2J\u200b")}
	o := h.run(t, "ticket", "INC1", "--since", "2015-03-01", "--until", "2015-03-05")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, 1, strings.Count(o.stdout, "\n"), "one line: %q", o.stdout)
	fields := strings.Split(strings.TrimSuffix(o.stdout, "\n"), "\t")
	assert.Len(t, fields, 5, "lsid, start, end, host, rep: %q", o.stdout)
	for _, f := range fields {
		testutil.AssertShownSafely(t, f)
	}
	assert.Contains(t, o.stdout, `host\x85\u202e\n`+lsidB+`\t2015`)
	assert.Contains(t, o.stdout, `rep\x9b2J\u200b`)
}
