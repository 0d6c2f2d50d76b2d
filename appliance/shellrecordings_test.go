package appliance_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

func TestSplitLSIDs(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want []string
	}{
		{nil, nil},
		{[]string{idA}, []string{idA}},
		{[]string{idA + "," + idB, idC}, []string{idA, idB, idC}},
		{[]string{" " + idA + " , ,", "", ","}, []string{idA}},
		{[]string{"not-an-lsid"}, []string{"not-an-lsid"}}, // split, not checked
	} {
		assert.Equal(t, c.want, appliance.SplitLSIDs(c.in...), "%q", c.in)
	}
}

// The report lists instance 1 twice, a negative instance, and sends a
// session not asked for: each instance of the session asked for is one
// query, in the report's order, and the other session is dropped.
func TestShellRecordingsEachInstanceOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		shells := func(ns ...int) string {
			s := "<command_shell_recordings>"
			for _, n := range ns {
				s += fmt.Sprintf(`<command_shell_recording instance="%d"><download_url>x</download_url></command_shell_recording>`, n)
			}
			return s + "</command_shell_recordings>"
		}
		fmt.Fprintf(w, `<?xml version="1.0"?><session_list xmlns="http://www.bomgar.com/namespaces/API/reporting">`+
			`<session lsid="%s"><lseq>1</lseq>%s</session><session lsid="%s"><lseq>1</lseq>%s</session></session_list>`,
			idA, shells(1, 0, 1, -1), idB, shells(5))
	}))
	defer srv.Close()
	c, err := appliance.New(srv.URL, appliance.UserPassword{Username: "u", Password: "p"}, appliance.Options{AllowHTTP: true, Attempts: 1})
	require.NoError(t, err)
	var dropped []string
	qs, err := c.ShellRecordings(context.Background(), idA, true, appliance.ByLSIDOptions{Dropped: func(lsid, why string) { dropped = append(dropped, lsid) }})
	require.NoError(t, err)
	assert.Equal(t, []reporting.Query{reporting.ShellRecordingOf(idA, 1, true), reporting.ShellRecordingOf(idA, 0, true)}, qs)
	assert.Equal(t, []string{idB}, dropped)

	_, err = c.ShellRecordings(context.Background(), "../x", false, appliance.ByLSIDOptions{})
	assert.ErrorContains(t, err, "an lsid is 32 lower-case hex digits")
}

// A session without shell recordings has none; one the report does not
// hold is ErrNoSession, which IsNotFound counts: the two are told apart.
func TestShellRecordingsNoneOrNoSession(t *testing.T) {
	_, c := standIn(t, "test", "test", appliance.Options{})
	qs, err := c.ShellRecordings(context.Background(), appliancetest.LSID3, false, appliance.ByLSIDOptions{})
	require.NoError(t, err)
	assert.Empty(t, qs)
	assert.NotNil(t, qs, "an empty list, not nil")
	_, err = c.ShellRecordings(context.Background(), strings.Repeat("0", 32), false, appliance.ByLSIDOptions{})
	assert.ErrorIs(t, err, appliance.ErrNoSession)
	assert.True(t, appliance.IsNotFound(err))
	assert.ErrorContains(t, err, "session "+strings.Repeat("0", 32)+":")
}

// SaveRecordings stops at the first refused recording: the files saved
// before it are returned with the error, nothing after it is asked for,
// and each download's progress is ended.
func TestSaveRecordingsStopsAtTheFirstError(t *testing.T) {
	s := appliancetest.NewTLS("support")
	defer s.Close()
	c, err := appliance.New(s.URL, appliance.UserPassword{Username: "test", Password: "test"}, appliance.Options{CACertsPEM: s.CACertPEM(), Attempts: 1})
	require.NoError(t, err)
	dir := t.TempDir()
	qs := []reporting.Query{
		reporting.ShellRecordingOf(appliancetest.LSID1, 0, false),
		reporting.ShellRecordingOf(appliancetest.LSID1, 7, false), // no such shell
		reporting.ShellRecordingOf(appliancetest.LSID1, 1, false),
	}
	var begun, ended int
	var bytes countWriter
	saved, err := c.SaveRecordings(context.Background(), qs, dir, func(q reporting.Query) (io.Writer, func()) {
		begun++
		return &bytes, func() { ended++ }
	})
	require.ErrorContains(t, err, "Invalid instance")
	require.Len(t, saved, 1)
	assert.Equal(t, filepath.Join(dir, "shell_"+appliancetest.LSID1+"_0.bin"), saved[0].Path)
	b, err := os.ReadFile(saved[0].Path)
	require.NoError(t, err)
	assert.Equal(t, int64(len(b)), saved[0].Size)
	assert.Len(t, saved[0].SHA256, 64)
	assert.Equal(t, int64(len(b)), bytes.n, "the progress writer saw the bytes saved")
	assert.Equal(t, 2, begun, "the third recording is never asked for")
	assert.Equal(t, 2, ended)
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no file, nor temporary file, of the refused one")
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }
