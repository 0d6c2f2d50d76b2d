//go:build unix

package evidence_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliance/reporting/evidence"
)

// Another user who can write in DIR swaps a session's folder for a link
// to their own folder while its recordings download (the folder was
// created new, so a link planted before is refused; this is after).
// Nothing more is written through the link: the build stops saying the
// folder was replaced, and no manifest is written.
func TestWriteSessionFolderSwappedForALink(t *testing.T) {
	root := t.TempDir()
	dir, theirs := filepath.Join(root, "ev"), filepath.Join(root, "theirs")
	require.NoError(t, os.Mkdir(theirs, 0o777))
	sdir := filepath.Join(dir, idA)
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { // the first recording asked: the swap
			require.NoError(t, os.Rename(sdir, sdir+".moved"))
			require.NoError(t, os.Symlink(theirs, sdir))
		})
		w.Header().Set("Content-Type", "application/octet-stream")
		fmt.Fprintf(w, "%s %s", r.FormValue("generate_report"), r.FormValue("instance"))
	}))
	t.Cleanup(srv.Close)
	c, err := appliance.New(srv.URL, appliance.UserPassword{Username: "u", Password: "p"}, appliance.Options{AllowHTTP: true, Attempts: 1})
	require.NoError(t, err)
	s := &reporting.Session{LSID: idA, RecordingDownloadURL: "x", ShellRecordings: []reporting.ShellRecording{{Instance: 0}, {Instance: 1}}}
	_, err = evidence.Write(context.Background(), dir, "INC1", of(s), c, evidence.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "was replaced")
	left, _ := os.ReadDir(theirs)
	assert.Empty(t, left, "nothing written through the link")
	assert.NoFileExists(t, filepath.Join(dir, evidence.ManifestName))
}
