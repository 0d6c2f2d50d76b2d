package reporting

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// Namespaces are the styles real appliances and the guide use (notes 1.5),
// plus a prefixed form.
var Namespaces = map[string]string{
	"seed":              `xmlns="https://www.bomgar.com/namespaces/API/reporting"`,
	"bomgar-http":       `xmlns="http://www.bomgar.com/namespaces/API/reporting"`,
	"beyondtrust-sra":   `xmlns="http://www.beyondtrust.com/sra/namespaces/API/reporting"`,
	"beyondtrust-https": `xmlns="https://www.beyondtrust.com/namespaces/API/reporting"`,
	"none":              ``,
}

var tagRe = regexp.MustCompile(`<(/?)([a-z_]+)`)

// styled returns the fixture in one namespace style; "prefixed" puts every
// element under an r: prefix.
func styled(t testing.TB, name, style string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	if style == "prefixed" {
		b = tagRe.ReplaceAll(b, []byte("<${1}r:${2}"))
		return bytes.Replace(b, []byte("NSDECL"), []byte(`xmlns:r="http://www.bomgar.com/namespaces/API/reporting"`), 1)
	}
	return bytes.Replace(b, []byte("NSDECL"), []byte(Namespaces[style]), 1)
}

func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	testutil.Golden(t, filepath.Join("testdata", name), string(got)+"\n")
}

func styles() []string {
	return []string{"seed", "bomgar-http", "beyondtrust-sra", "beyondtrust-https", "none", "prefixed"}
}

// Every report decodes to the same golden JSON in every namespace style.
func TestGoldenEveryNamespace(t *testing.T) {
	cases := []struct {
		file   string
		decode func([]byte) (any, error)
	}{
		{"access_session.xml", func(b []byte) (any, error) { return testutil.Collect(Sessions(bytes.NewReader(b), Options{})) }},
		{"access_session_pra.xml", func(b []byte) (any, error) { return testutil.Collect(Sessions(bytes.NewReader(b), Options{})) }},
		{"listing.xml", func(b []byte) (any, error) { return testutil.Collect(Listing(bytes.NewReader(b), Options{})) }},
		{"summary.xml", func(b []byte) (any, error) { return testutil.Collect(Summaries(bytes.NewReader(b), Options{})) }},
		{"team.xml", func(b []byte) (any, error) {
			var w TeamWindow
			acts, err := testutil.Collect(Teams(bytes.NewReader(b), Options{}, &w))
			return map[string]any{"window": w, "activities": acts}, err
		}},
	}
	for _, c := range cases {
		for _, style := range styles() {
			t.Run(c.file+"/"+style, func(t *testing.T) {
				v, err := c.decode(styled(t, c.file, style))
				require.NoError(t, err)
				golden(t, strings.TrimSuffix(c.file, ".xml")+".json", v)
			})
		}
	}
}

func TestAccessSessionModel(t *testing.T) {
	ss, err := testutil.Collect(Sessions(bytes.NewReader(styled(t, "access_session.xml", "seed")), Options{}))
	require.NoError(t, err)
	require.Len(t, ss, 2)
	s := ss[0]
	assert.Equal(t, "c69a8e10bea9428f816cfababe9815fe", s.LSID)
	assert.Equal(t, int64(1425196800), s.StartTime.Unix)
	assert.Equal(t, "2015-03-01T08:00:00Z", s.StartTime.Time().Format("2006-01-02T15:04:05Z07:00"))
	d, ok := s.DurationSeconds()
	assert.True(t, ok)
	assert.Equal(t, int64(3600), d)
	// The second session is still running: it has no end, so no duration
	// in seconds, though its text (the time so far) is kept.
	assert.False(t, ss[1].EndTime.Valid)
	assert.Equal(t, "00:10:00", ss[1].Duration)
	_, ok = ss[1].DurationSeconds()
	assert.False(t, ok, "a running session has no duration")
	assert.Equal(t, "INC0012345 & more", s.ExternalKey)
	v, ok := s.Custom("change_ticket")
	assert.True(t, ok)
	assert.Equal(t, "CHG0042", v)
	require.Len(t, s.ShellRecordings, 2)
	assert.Equal(t, 1, s.ShellRecordings[1].Instance)
	// Participants by gsnumber: performer of the chat is the rep alice,
	// the customer is the host, 0 is the system.
	chat := s.Events[3]
	assert.Equal(t, "alice", s.Participant(chat.PerformedBy.GSNumber).Name())
	assert.Equal(t, "ABCDEF02", s.Participant("12").Name())
	assert.Equal(t, "system", s.Participant("0").Kind)
	assert.True(t, s.Representatives[1].Invited)
	// encoded_body decoded (it carries a control character XML cannot).
	assert.Equal(t, "hello\x01\x02world", s.Events[4].Body)
	// Both data shapes.
	assert.Equal(t, Value{Name: "hostname", Value: "ALICE-PC"}, s.Events[1].Data[3])
	require.Len(t, s.Events[2].SystemInformation, 1)
	cat := s.Events[2].SystemInformation[0]
	assert.Equal(t, []string{"Name", "PID"}, cat.Header)
	assert.Equal(t, []string{"svchost.exe", "88"}, cat.Rows[1].Fields)
	assert.Empty(t, s.Events[2].Data)
	// Files and the single-file shape.
	assert.Equal(t, int64(20480), *s.Events[5].Filesize)
	assert.Equal(t, "b.log", s.Events[6].Files[1].Name)
	// Unknown elements kept, at session and event level.
	require.Len(t, s.Extra, 1)
	assert.Equal(t, "future_element", s.Extra[0].XMLName.Local)
	require.Len(t, s.Events[8].Extra, 1)
	assert.Equal(t, "note_text", s.Events[8].Extra[0].XMLName.Local)
	// A session still in progress: empty end_time is not a time.
	assert.False(t, ss[1].EndTime.Valid)
	assert.True(t, ss[1].EndTime.Time().IsZero())
	assert.Equal(t, int64(1425204000), ss[1].StartTime.Unix)
}

// Without the numeric attribute, the text is parsed leniently.
func TestTimestampText(t *testing.T) {
	for _, text := range []string{"2019-10-07T00:32:50.877+0000", "2019-10-07T00:32:50+00:00"} {
		ts := parseStamp("", text)
		assert.True(t, ts.Valid, text)
		assert.Equal(t, int64(1570408370), ts.Unix, text)
	}
}

func TestNoResults(t *testing.T) {
	bodies := map[string]string{
		"empty list":         `<?xml version="1.0"?><session_list xmlns="http://www.bomgar.com/namespaces/API/reporting"></session_list>`,
		"english root error": `<?xml version="1.0" encoding="UTF-8"?>` + "\n\n" + `<error >No Support report information matching your chosen criteria is available.</error>`,
		"french root error":  `<error xmlns="http://www.beyondtrust.com/sra/namespaces/API/reporting">Aucune information de rapport d’assistance correspondant à vos critères n’est disponible.</error>`,
		"nested no-results":  `<session_list><error>No Support report information matching your chosen criteria is available.</error></session_list>`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			ss, err := testutil.Collect(Sessions(strings.NewReader(body), Options{}))
			require.NoError(t, err)
			assert.Empty(t, ss)
		})
	}
}

func TestErrors(t *testing.T) {
	var api *APIError
	_, err := testutil.Collect(Sessions(strings.NewReader(`<error code="authentication_failed">Login failed</error>`), Options{}))
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "Login failed", api.Message)
	assert.Equal(t, "authentication_failed", api.Code)
	assert.False(t, api.Nested)

	_, err = testutil.Collect(Sessions(strings.NewReader(`<session_list xmlns="x"><error>Document Not Found</error></session_list>`), Options{}))
	require.ErrorAs(t, err, &api)
	assert.True(t, api.Nested)
	assert.Equal(t, "Document Not Found", api.Message)

	// Extensible no-results patterns.
	o := Options{NoResults: []*regexp.Regexp{regexp.MustCompile(`^No archives found`)}}
	ss, err := testutil.Collect(Sessions(strings.NewReader(`<error>No archives found for the given search criteria.</error>`), o))
	require.NoError(t, err)
	assert.Empty(t, ss)

	_, err = testutil.Collect(Sessions(strings.NewReader(`<html><body>login</body></html>`), Options{}))
	assert.ErrorContains(t, err, "HTML")
	_, err = testutil.Collect(Sessions(strings.NewReader(`<summary_list/>`), Options{}))
	assert.ErrorContains(t, err, "expected <session_list>")
	_, err = testutil.Collect(Sessions(strings.NewReader(``), Options{}))
	assert.ErrorIs(t, err, ErrTruncated)
}

// A stream cut anywhere before the list closes is an error, never a short
// but "complete" report.
func TestTruncated(t *testing.T) {
	full := styled(t, "access_session.xml", "seed")
	end := bytes.LastIndex(full, []byte("</session_list>"))
	for cut := 60; cut < end; cut += 97 {
		_, err := testutil.Collect(Sessions(bytes.NewReader(full[:cut]), Options{}))
		require.Error(t, err, "cut at %d", cut)
	}
	inside := bytes.Index(full, []byte("<rep_list>"))
	_, err := testutil.Collect(Sessions(bytes.NewReader(full[:inside]), Options{}))
	assert.ErrorIs(t, err, ErrTruncated)
	assert.ErrorContains(t, err, "c69a8e10bea9428f816cfababe9815fe")
}

func TestTooLarge(t *testing.T) {
	full := styled(t, "access_session.xml", "none")
	ss, err := testutil.Collect(Sessions(bytes.NewReader(full), Options{MaxElementBytes: 2000}))
	var tl *TooLargeError
	require.ErrorAs(t, err, &tl)
	assert.Equal(t, "c69a8e10bea9428f816cfababe9815fe", tl.ID)
	assert.Empty(t, ss)
	// The second session is small; a limit between the two sizes lets the
	// error name the first only.
	ss, err = testutil.Collect(Sessions(bytes.NewReader(full), Options{MaxElementBytes: 1 << 20}))
	require.NoError(t, err)
	assert.Len(t, ss, 2)
}

// Breaking out of the loop stops reading.
func TestStopEarly(t *testing.T) {
	n := 0
	for s, err := range Sessions(bytes.NewReader(styled(t, "access_session.xml", "none")), Options{}) {
		require.NoError(t, err)
		n++
		_ = s
		break
	}
	assert.Equal(t, 1, n)
}

// The decoder reads no further than it needs: a reader that fails after
// the first session still yields it first.
func TestYieldsAsItArrives(t *testing.T) {
	full := styled(t, "access_session.xml", "none")
	second := bytes.Index(full, []byte(`<session lsid="a5ee`))
	r := io.MultiReader(bytes.NewReader(full[:second+10]), errReader{})
	var got []string
	var last error
	for s, err := range Sessions(r, Options{}) {
		if err != nil {
			last = err
			break
		}
		got = append(got, s.LSID)
	}
	assert.Equal(t, []string{"c69a8e10bea9428f816cfababe9815fe"}, got)
	assert.True(t, errors.Is(last, errBoom), fmt.Sprint(last))
}

var errBoom = errors.New("boom")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBoom }

// The JSON export reads back to the same session, so an archive that keeps
// JSON keeps everything.
func TestJSONRoundTrip(t *testing.T) {
	ss, err := testutil.Collect(Sessions(bytes.NewReader(styled(t, "access_session.xml", "none")), Options{}))
	require.NoError(t, err)
	for _, s := range ss {
		b, err := json.Marshal(s)
		require.NoError(t, err)
		var back Session
		require.NoError(t, json.Unmarshal(b, &back))
		b2, err := json.Marshal(&back)
		require.NoError(t, err)
		assert.JSONEq(t, string(b), string(b2))
	}
}

// The limit holds for everything the decoder reads, not only sessions: a
// huge <error>, text between sessions, an unknown element, a prologue.
func TestTooLargeAnywhere(t *testing.T) {
	big := strings.Repeat("x", 5000)
	for name, body := range map[string]string{
		"root error":   `<error>` + big + `</error>`,
		"nested error": `<session_list><error>` + big + `</error></session_list>`,
		"text":         `<session_list>` + big + `</session_list>`,
		"unknown":      `<session_list><other>` + big + `</other></session_list>`,
		"prologue":     `<!--` + big + `--><session_list/>`,
		"session":      `<session_list><session lsid="c69a8e10bea9428f816cfababe9815fe"><body>` + big + `</body></session></session_list>`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := testutil.Collect(Sessions(strings.NewReader(body), Options{MaxElementBytes: 1000}))
			var tl *TooLargeError
			require.ErrorAs(t, err, &tl)
			_, err = testutil.Collect(Sessions(strings.NewReader(body), Options{MaxElementBytes: 100000}))
			assert.False(t, errors.As(err, &tl))
		})
	}
}
