package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance/reporting/evidence"
	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/archive"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
)

// reportRig is a stand-in and the arguments that reach it as the admin.
type reportRig struct {
	s    *appliancetest.Server
	base []string
	now  time.Time
}

func newReportRig(t testing.TB) *reportRig {
	t.Helper()
	s := appliancetest.NewTLS("support")
	t.Cleanup(s.Close)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	pw := filepath.Join(dir, "pw")
	require.NoError(t, os.WriteFile(ca, s.CACertPEM(), 0o600))
	require.NoError(t, os.WriteFile(pw, []byte("test\n"), 0o600))
	return &reportRig{s: s, now: time.Date(2015, 3, 5, 0, 0, 0, 0, time.UTC),
		base: []string{"brcsapi", "--appliance", s.URL, "--ca-cert", ca, "--username", "test", "--password-file", pw}}
}

// run runs brcsapi in-process with the rig's clock.
func (r *reportRig) run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	e := cliutil.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: func() time.Time { return r.now }}
	code := Main(append(append([]string(nil), r.base...), args...), e)
	return code, out.String(), errb.String()
}

func TestReportSessionsCSV(t *testing.T) {
	t.Parallel() // waits on the client's 20 requests a second
	r := newReportRig(t)
	out := filepath.Join(t.TempDir(), "march.csv")
	code, _, stderr := r.run("report", "sessions", "--since", "2015-03-01T00:00:00Z", "--until", "2015-04-01T00:00:00Z", "--window", "168h", "--format", "csv", "-o", out)
	require.Equal(t, 0, code, stderr)
	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 5, "header and the four sessions")
	assert.Equal(t, appliancetest.LSID1, rows[1][0])

	// Events: one row per event, formulas neutralised.
	code, stdout, stderr := r.run("report", "sessions", "--lsid", appliancetest.LSID1, "--format", "csv", "--events")
	require.Equal(t, 0, code, stderr)
	rows, err = csv.NewReader(strings.NewReader(stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 32)
	assert.Equal(t, "'=cmd|' /C calc'!A0", rows[3][13])

	// JSON Lines and XML as sent.
	code, stdout, _ = r.run("report", "sessions", "--since", "2015-03-01", "--until", "2015-03-02", "--window", "6h")
	require.Equal(t, 0, code)
	assert.Len(t, strings.Split(strings.TrimSpace(stdout), "\n"), 3)
	code, stdout, _ = r.run("report", "sessions", "--since", "2015-03-01", "--until", "2015-03-02", "--format", "xml")
	require.Equal(t, 0, code)
	assert.Contains(t, stdout, "<session_list")
	assert.Equal(t, 3, strings.Count(stdout, "<session lsid="))
}

// A stream cut inside a <session> fails the export and -o leaves no file,
// not even the temporary one.
func TestReportTruncatedLeavesNoFile(t *testing.T) {
	t.Parallel() // waits on the client's 20 requests a second
	r := newReportRig(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "x.jsonl")
	r.s.SetStallAfter(5000)
	r.s.Misbehave(appliancetest.Truncated, 0)
	code, _, stderr := r.run("--attempts", "1", "report", "sessions", "--since", "2015-03-01", "--until", "2015-03-02", "-o", out)
	assert.Equal(t, 1, code, stderr)
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries)
	code, _, _ = r.run("--attempts", "1", "report", "sessions", "--since", "2015-03-01", "--until", "2015-03-02", "--format", "xml", "-o", out)
	assert.Equal(t, 1, code)
	entries, _ = os.ReadDir(dir)
	assert.Empty(t, entries)
}

func TestReportOthers(t *testing.T) {
	t.Parallel() // waits on the client's 20 requests a second
	r := newReportRig(t)
	code, stdout, stderr := r.run("report", "listing", "--since", "2015-03-01", "--until", "2015-04-01", "--ended", "--external-key", "INC0012345", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var ls []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &ls))
	assert.Len(t, ls, 2)
	code, stdout, stderr = r.run("report", "summary", "--since", "2015-03-01", "--until", "2015-04-01", "--format", "csv")
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, "id,type,display_name,total_sessions"))
	code, stdout, stderr = r.run("report", "team", "--since", "2015-03-01", "--until", "2015-03-03", "--team-id", "2")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"name":"remote_access"`)
	assert.NotContains(t, stdout, `"name":"support"`)
	// Refused before sending.
	code, _, _ = r.run("report", "sessions", "--since", "2015-03-02", "--until", "2015-03-01")
	assert.Equal(t, 2, code)
	code, _, _ = r.run("report", "sessions", "--started", "--ended")
	assert.Equal(t, 2, code)
	// Empty is success.
	r.s.Update(func(d *appliancetest.Data) { d.Reports.Empty = appliancetest.RootErrorFrench })
	code, stdout, _ = r.run("report", "sessions", "--since", "2016-01-01", "--until", "2016-01-02", "--format", "json")
	assert.Equal(t, 0, code)
	assert.Equal(t, "[]\n", stdout)
}

func TestArchiveSyncAndTicket(t *testing.T) {
	r := newReportRig(t)
	db := filepath.Join(t.TempDir(), "a.db")
	code, stdout, stderr := r.run("archive", "sync", "--db", db, "--since", "2015-03-01", "--window", "24h")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "3 sessions in 3 windows", "24 h, then 48 h, then the rest: the windows widen")
	code, stdout, stderr = r.run("archive", "sync", "--db", db)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "0 sessions in 0 windows", "the second sync adds nothing")

	// From the archive.
	code, stdout, stderr = r.run("ticket", "INC0012345", "--db", db)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, 2, strings.Count(stdout, "\n"))
	assert.Contains(t, stdout, appliancetest.LSID1)
	assert.Contains(t, stdout, appliancetest.LSID2)

	// The evidence folder from the archive records the downloads there.
	dir := filepath.Join(t.TempDir(), "ev")
	code, _, stderr = r.run("ticket", "INC0012345", "--db", db, "-o", dir)
	require.Equal(t, 0, code, stderr)
	a, err := archive.Open(context.Background(), db)
	require.NoError(t, err)
	recs, err := a.Recordings(context.Background(), appliancetest.LSID1)
	a.Close()
	require.NoError(t, err)
	require.Len(t, recs, 3, "the screen recording and two shells")
	assert.Equal(t, "session", recs[0].Kind)
	// Named by the evidence folder's fixed scheme, not by the appliance.
	assert.Equal(t, filepath.Join(dir, appliancetest.LSID1, appliancetest.LSID1+"-session.bin"), recs[0].Path)
	assert.Equal(t, int64(64<<10), recs[0].Size)
	assert.Len(t, recs[1].SHA256, 64)

	// Without -o, the archive needs no appliance account.
	var out, errb bytes.Buffer
	e := cliutil.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: time.Now}
	code = Main([]string{"brcsapi", "ticket", "INC0012345", "--db", db}, e)
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), appliancetest.LSID2)

	// A password inside a postgres URL, in any form, is refused and never
	// printed; a key=value string is refused, not taken as a file name.
	t.Chdir(t.TempDir())
	for _, dsn := range []string{
		"postgres://u:hunter2@127.0.0.1/x",
		"postgres://postgres@127.0.0.1:1/postgres?password=hunter2",
		"postgres://postgres@127.0.0.1:1/postgres?PASSWORD=hunter2",
		"host=127.0.0.1 port=1 user=postgres password=hunter2 dbname=x",
	} {
		code, stdout, stderr := r.run("archive", "sync", "--db", dsn)
		assert.Equal(t, 2, code, dsn)
		assert.NotContains(t, stdout+stderr, "hunter2", dsn)
		assert.Regexp(t, `\$PGPASSWORD|postgres://`, stderr, dsn)
	}
	ents, _ := os.ReadDir(".")
	assert.Empty(t, ents, "no SQLite file named after a connection string")
}

func TestTicketEvidence(t *testing.T) {
	t.Parallel() // waits on the client's 20 requests a second
	r := newReportRig(t)
	dir := filepath.Join(t.TempDir(), "INC0012345")
	code, stdout, stderr := r.run("ticket", "INC0012345", "--since", "2015-03-01", "--until", "2015-03-05", "-o", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "2 sessions, 11 files")
	assert.Contains(t, stderr, "expired", "the expired recording is named and skipped")
	var m evidence.Manifest
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, []string{appliancetest.LSID1, appliancetest.LSID2}, m.Sessions)
	require.Len(t, m.Files, 11)
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, f.File))
		require.NoError(t, err, f.File)
		sum := sha256.Sum256(data)
		assert.Equal(t, hex.EncodeToString(sum[:]), f.SHA256, f.File)
		assert.Equal(t, int64(len(data)), f.Size, f.File)
	}
	_, err = os.Stat(filepath.Join(dir, appliancetest.LSID1, "events.csv"))
	assert.NoError(t, err)
}

// A running session has no end, so its CSV duration is empty (it once
// read now minus start: 370256968 seconds for a 2015 session); a closed
// one's is end minus start.
func TestReportRunningSessionHasNoDuration(t *testing.T) {
	r := newReportRig(t)
	code, stdout, stderr := r.run("report", "sessions", "--lsid", appliancetest.LSID1+","+appliancetest.LSID3, "--format", "csv")
	require.Equal(t, 0, code, stderr)
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	col := slices.Index(rows[0], "duration_seconds")
	require.GreaterOrEqual(t, col, 0)
	got := map[string]string{rows[1][0]: rows[1][col], rows[2][0]: rows[2][col]}
	assert.Equal(t, map[string]string{appliancetest.LSID1: "3600", appliancetest.LSID3: ""}, got)
}

// A bad --lsid is a usage error about the lsid alone, sent nowhere.
func TestReportBadLSID(t *testing.T) {
	r := newReportRig(t)
	for _, format := range []string{"jsonl", "csv", "xml"} {
		code, stdout, stderr := r.run("report", "sessions", "--lsid", "not-an-lsid", "--format", format)
		assert.Equal(t, 2, code, stderr)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "not-an-lsid")
		assert.NotContains(t, stderr, "window")
		assert.NotContains(t, stderr, "0001-01-01")
	}
}

func TestRecordingCommand(t *testing.T) {
	r := newReportRig(t)
	dir := t.TempDir()
	code, stdout, stderr := r.run("recording", appliancetest.LSID1, "--all-shells", "--txt", "-o", dir)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, 2, strings.Count(stdout, "sha256"))
	code, _, stderr = r.run("recording", appliancetest.LSID2, "-o", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "expired")
	code, _, _ = r.run("recording", appliancetest.LSID1, "--txt", "-o", dir)
	assert.Equal(t, 2, code)

	// A session without shell recordings says so, and --json is still a
	// list; a session the report does not hold is refused, not "none".
	code, stdout, stderr = r.run("--json", "recording", appliancetest.LSID3, "--all-shells", "-o", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "has no command shell recording")
	assert.Equal(t, "[]\n", stdout)
	unknown := strings.Repeat("0", 32)
	code, stdout, stderr = r.run("recording", unknown, "--all-shells", "-o", dir)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "session "+unknown+": the AccessSession report holds no such session")

	// -o names a folder that does not exist yet: it is created.
	ev := filepath.Join(t.TempDir(), "evidence") + string(filepath.Separator)
	code, stdout, stderr = r.run("recording", appliancetest.LSID1, "-o", ev)
	require.Equal(t, 0, code, stderr)
	assert.FileExists(t, filepath.Join(ev, "session_recording_"+appliancetest.LSID1+".bin"))
	assert.Contains(t, stdout, "sha256")
	// A file is not a folder.
	file := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	code, _, stderr = r.run("recording", appliancetest.LSID1, "-o", file)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "is not a folder")
}

// On a terminal, a recording download draws a progress bar on standard
// error; elsewhere it draws nothing.
func TestRecordingProgress(t *testing.T) {
	r := newReportRig(t)
	var out, errb bytes.Buffer
	e := cliutil.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: time.Now, Terminal: func(any) bool { return true }}
	code := Main(append(append([]string(nil), r.base...), "recording", appliancetest.LSID1, "-o", t.TempDir()), e)
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, errb.String(), "\rAccessSessionRecording 0.1 MB")
	_, _, stderr := r.run("recording", appliancetest.LSID1, "-o", t.TempDir())
	assert.NotContains(t, stderr, "MB")
}

// The xml format checks that the answer it copies is complete.
func TestRawXMLTruncated(t *testing.T) {
	r := newReportRig(t)
	out := filepath.Join(t.TempDir(), "x.xml")
	code, _, stderr := r.run("report", "sessions", "--since", "2015-03-01", "--until", "2015-03-02", "--format", "xml", "-o", out)
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(strings.TrimSpace(string(b)), "</session_list>"))
	// An answer whose last bytes never come (the body ends cleanly, short).
	r.s.Update(func(d *appliancetest.Data) { d.Reports.Empty = appliancetest.EmptyList })
	r.s.SetStallAfter(len(b) - 20)
	r.s.Misbehave(appliancetest.Truncated, 0)
	os.Remove(out)
	code, _, _ = r.run("--attempts", "1", "report", "sessions", "--since", "2015-03-01", "--until", "2015-03-02", "--format", "xml", "-o", out)
	assert.Equal(t, 1, code)
	_, err = os.Stat(out)
	assert.True(t, os.IsNotExist(err))
}

// issue 20: report sessions and ticket over a long range ask with adaptive
// windows: a quiet month is a handful of requests, not one per hour (744
// with the fixed 1-hour windows), and the sessions are those, each once,
// that --fixed-window (the old behaviour) gives.
func TestReportSessionsAdaptiveWindows(t *testing.T) {
	t.Parallel()
	r := newReportRig(t)
	r.now = time.Date(2015, 4, 2, 0, 0, 0, 0, time.UTC)
	count := func() int {
		n := 0
		for _, q := range r.s.Requests() {
			if q.Path == "/api/reporting" {
				n++
			}
		}
		return n
	}
	code, adaptive, stderr := r.run("report", "sessions", "--since", "2015-03-01", "--until", "2015-04-01", "--format", "csv")
	require.Equal(t, 0, code, stderr)
	assert.Less(t, count(), 20, "adaptive windows")

	before := count()
	code, _, stderr = r.run("ticket", "INC0012345", "--since", "2015-03-01", "--until", "2015-04-01")
	require.Equal(t, 0, code, stderr)
	assert.Less(t, count()-before, 20, "ticket's listing windows adapt too")

	// Two days, both ways: the same sessions, each once.
	code, adaptive, stderr = r.run("report", "sessions", "--since", "2015-03-01", "--until", "2015-03-03", "--format", "csv")
	require.Equal(t, 0, code, stderr)
	before = count()
	code, fixed, stderr := r.run("report", "sessions", "--since", "2015-03-01", "--until", "2015-03-03", "--fixed-window", "--format", "csv")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, 48, count()-before, "--fixed-window: one request per hour")
	assert.Equal(t, fixed, adaptive)
	assert.Greater(t, strings.Count(fixed, "\n"), 1, "a header and sessions")
}

// issue 17 item 13: report sessions -o FILE on a terminal shows the
// sessions written and the share of the range covered, ends the line,
// and says what was written; off a terminal it shows nothing.
func TestReportToAFileShowsProgress(t *testing.T) {
	r := newReportRig(t)
	dir := t.TempDir()
	var out, errb bytes.Buffer
	e := cliutil.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: func() time.Time { return r.now },
		Terminal: func(any) bool { return true }}
	csvPath := filepath.Join(dir, "march.csv")
	code := Main(append(append([]string(nil), r.base...), "report", "sessions", "--since", "2015-03-01", "--until", "2015-03-05", "--format", "csv", "-o", csvPath), e)
	require.Equal(t, 0, code, errb.String())
	assert.Regexp(t, `\rreport sessions \d+ sessions, 100% of the range`, errb.String())
	assert.Regexp(t, `\nbrcsapi: \d+ sessions written to `+regexp.QuoteMeta(csvPath)+`\n$`, errb.String(), "the progress line ends, then what was done")
	assert.Empty(t, out.String())

	code, _, stderr := r.run("report", "sessions", "--since", "2015-03-01", "--until", "2015-03-05", "--format", "csv", "-o", filepath.Join(dir, "b.csv"))
	require.Equal(t, 0, code)
	assert.Empty(t, stderr, "nothing off a terminal")
}

// A team export asks fixed windows, which say nothing of the range
// covered: its progress line counts team activities, with no "0% of the
// range", and the plural is English.
func TestReportTeamProgressCountsOnly(t *testing.T) {
	r := newReportRig(t)
	var errb bytes.Buffer
	e := cliutil.Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errb, Now: func() time.Time { return r.now },
		Terminal: func(any) bool { return true }}
	path := filepath.Join(t.TempDir(), "team.csv")
	code := Main(append(append([]string(nil), r.base...), "report", "team", "--since", "2015-03-01", "--until", "2015-03-03", "--format", "csv", "-o", path), e)
	require.Equal(t, 0, code, errb.String())
	assert.Regexp(t, `report team \d+ team activities`, errb.String())
	assert.NotContains(t, errb.String(), "of the range")
	assert.NotContains(t, errb.String(), "activitys")
	assert.Regexp(t, `\nbrcsapi: \d+ team activit(y|ies) written to `, errb.String())
}

// The output is opened before the format is judged, as it always was: an
// unwritable -o with a bad --format is the write error (exit 1), and a
// bad --format alone is a usage error (exit 2) that leaves no file.
func TestReportOutputBeforeFormat(t *testing.T) {
	r := newReportRig(t)
	missing := filepath.Join(t.TempDir(), "no", "such", "folder", "out.csv")
	code, stdout, stderr := r.run("report", "sessions", "--since", "2015-03-01", "--until", "2015-03-02", "--format", "bogus", "-o", missing)
	assert.Equal(t, 1, code, stderr)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, missing)
	assert.NotContains(t, stderr, "--format")

	dir := t.TempDir()
	out := filepath.Join(dir, "out.csv")
	code, _, stderr = r.run("report", "sessions", "--since", "2015-03-01", "--until", "2015-03-02", "--format", "bogus", "-o", out)
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "--format")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "no file, no temporary file")
}
