package appliance_test

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
)

// Issue 18 item 4: a suggested name that is the user's file, and three
// downloads under one name: nothing is replaced, each download is a file.
func TestSaveRecordingNeverReplaces(t *testing.T) {
	h := &hostileReports{disp: `attachment; filename="notes.txt"`}
	c := h.client(t)
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(notes, []byte("mine"), 0o600))
	seen := map[string]bool{}
	for i := range 3 {
		path, d, err := c.SaveRecording(context.Background(), reporting.ShellRecordingOf(idA, 0, false), dir)
		require.NoError(t, err, i)
		assert.False(t, seen[path], "a file of its own: %s", path)
		seen[path] = true
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, "recording bytes of "+idA, string(b))
		assert.Equal(t, int64(len(b)), d.Size)
	}
	b, _ := os.ReadFile(notes)
	assert.Equal(t, "mine", string(b))
	assert.True(t, seen[filepath.Join(dir, idA+"-shell-0.txt")], "the fallback keeps the suggested extension: %v", seen)
	assert.True(t, seen[filepath.Join(dir, idA+"-shell-0-2.txt")], "%v", seen)
}

// Issue 18 item 5: unsafe suggested names fall back to RecordingName.
func TestSaveRecordingUnsafeNames(t *testing.T) {
	for _, bad := range []string{"CON", "NUL.flv", "-rf", "x\u0085.bin", "x\u202eb.bin", "zw\u200b.bin", "a.", "a ", " ", ".bashrc", "x.bin:ads"} {
		h := &hostileReports{disp: `attachment; filename="` + bad + `"`}
		c := h.client(t)
		dir := t.TempDir()
		path, d, err := c.SaveRecording(context.Background(), reporting.ByLSID(reporting.AccessSessionRecording, idA), dir)
		require.NoError(t, err, bad)
		assert.Equal(t, filepath.Join(dir, idA+"-session.bin"), path, "%q", bad)
		assert.Empty(t, d.Name, "%q", bad)
	}
}

// Evidence names: the suggested name gives an extension at most, never a
// runnable one, and a shell's text is .txt whatever is suggested.
func TestRecordingNameHint(t *testing.T) {
	q := reporting.ByLSID(reporting.AccessSessionRecording, idA)
	assert.Equal(t, idA+"-session.flv", appliance.RecordingNameHint(q, "session.flv", "application/octet-stream"))
	assert.Equal(t, idA+"-session.bin", appliance.RecordingNameHint(q, "evil.exe", "application/octet-stream"))
	assert.Equal(t, idA+"-session.bin", appliance.RecordingNameHint(q, "", ""))
	txt := reporting.ShellRecordingOf(idA, 2, true)
	assert.Equal(t, idA+"-shell-2.txt", appliance.RecordingNameHint(txt, "events.csv", "application/octet-stream"))
}

// The extension a Content-Type names is held to the same rule as a
// suggested name's: a hostile appliance answering text/javascript (.js,
// which Windows runs on a double-click), text/html or a shell script's
// type gets .bin, never a name that runs when opened.
func TestRecordingNameHintNeverRunnableFromContentType(t *testing.T) {
	q := reporting.ByLSID(reporting.AccessSessionRecording, idA)
	for _, ct := range []string{"text/javascript", "application/javascript", "text/html", "image/svg+xml", "application/x-shellscript", "application/xhtml+xml"} {
		assert.Equal(t, idA+"-session.bin", appliance.RecordingNameHint(q, "", ct), ct)
		assert.Equal(t, idA+"-session.bin", appliance.RecordingNameHint(q, "evil.js", ct), ct)
	}
	for _, ext := range []string{".js", ".html", ".htm", ".svg", ".vbe", ".wsh", ".reg", ".cpl", ".msc", ".ps1", ".psm1", ".jnlp", ".py", ".scf", ".inf", ".xhtml", ".mht", ".csv"} {
		assert.Equal(t, idA+"-session.bin", appliance.RecordingNameHint(q, "rec"+ext, "application/octet-stream"), ext)
	}
}

// A recording saved under its fallback name takes no runnable extension
// from the answer's Content-Type either.
func TestSaveRecordingContentTypeGivesNoRunnableName(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, "WScript.Echo(1)")
	}))
	t.Cleanup(srv.Close)
	c, err := appliance.New(srv.URL, appliance.UserPassword{Username: "u", Password: "p"}, appliance.Options{AllowHTTP: true, Attempts: 1})
	require.NoError(t, err)
	dir := t.TempDir()
	path, _, err := c.SaveRecording(context.Background(), reporting.ByLSID(reporting.AccessSessionRecording, idA), dir)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, idA+"-session.bin"), path)
}

// A suggested name is used as it is only with a recording's extension:
// an appliance suggesting update.exe, run.js or page.html gets the
// fallback name, never a file that runs or renders when opened.
func TestSaveRecordingRunnableSuggestedName(t *testing.T) {
	for _, bad := range []string{"update.exe", "run.js", "page.html", "img.svg", "tool.reg", "noext"} {
		h := &hostileReports{disp: `attachment; filename="` + bad + `"`}
		c := h.client(t)
		dir := t.TempDir()
		path, d, err := c.SaveRecording(context.Background(), reporting.ByLSID(reporting.AccessSessionRecording, idA), dir)
		require.NoError(t, err, bad)
		assert.Equal(t, filepath.Join(dir, idA+"-session.bin"), path, bad)
		assert.Empty(t, d.Name, bad)
	}
	h := &hostileReports{disp: `attachment; filename="session.flv"`}
	dir := t.TempDir()
	path, _, err := h.client(t).SaveRecording(context.Background(), reporting.ByLSID(reporting.AccessSessionRecording, idA), dir)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "session.flv"), path, "a recording's name is kept")
}
