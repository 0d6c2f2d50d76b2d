package evidence_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliance/reporting/evidence"
)

// recordingsAppliance answers every recording request with contentType
// and the request's own description as the bytes.
func recordingsAppliance(t *testing.T, contentType string) *appliance.Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		fmt.Fprintf(w, "%s %s %s %s", r.FormValue("generate_report"), r.FormValue("lsid"), r.FormValue("instance"), r.FormValue("format"))
	}))
	t.Cleanup(srv.Close)
	c, err := appliance.New(srv.URL, appliance.UserPassword{Username: "u", Password: "p"}, appliance.Options{AllowHTTP: true, Attempts: 1})
	require.NoError(t, err)
	return c
}

// A shell recording's binary form that the appliance calls text/plain
// does not take its text form's name: both are written, each under its
// own name, and the folder is complete (before, the build failed with
// "two recordings ... would be named <lsid>-shell-0.txt").
func TestWriteShellBinaryServedAsTextPlain(t *testing.T) {
	c := recordingsAppliance(t, "text/plain; charset=UTF-8")
	dir := filepath.Join(t.TempDir(), "ev")
	s := &reporting.Session{LSID: idA, ShellRecordings: []reporting.ShellRecording{{Instance: 0}}}
	m, err := evidence.Write(context.Background(), dir, "INC1", of(s), c, evidence.Options{})
	require.NoError(t, err)
	got := map[string]string{}
	for _, f := range m.Files {
		b, err := os.ReadFile(filepath.Join(dir, f.File))
		require.NoError(t, err)
		got[f.File] = string(b)
	}
	assert.Equal(t, "CommandShellRecording "+idA+" 0 txt", got[idA+"/"+idA+"-shell-0.txt"], "the text form keeps .txt: %v", got)
	assert.Equal(t, "CommandShellRecording "+idA+" 0 ", got[idA+"/"+idA+"-shell-0.bin"], "%v", got)
	assert.FileExists(t, filepath.Join(dir, evidence.ManifestName))
}

// A hostile appliance's Content-Type names no runnable extension in an
// evidence folder (text/javascript was <lsid>-session.js).
func TestWriteRecordingTypeGivesNoRunnableName(t *testing.T) {
	c := recordingsAppliance(t, "text/javascript")
	dir := filepath.Join(t.TempDir(), "ev")
	s := &reporting.Session{LSID: idA, RecordingDownloadURL: "x"}
	m, err := evidence.Write(context.Background(), dir, "INC1", of(s), c, evidence.Options{})
	require.NoError(t, err)
	var names []string
	for _, f := range m.Files {
		names = append(names, f.File)
	}
	assert.Contains(t, names, idA+"/"+idA+"-session.bin")
}
