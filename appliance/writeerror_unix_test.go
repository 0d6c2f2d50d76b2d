//go:build unix

package appliance_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// A write that fails half-way (a full disk; here the file size limit of
// `ulimit -f`, in a child process) names the file asked for, never the
// hidden temporary file behind it: "cannot write DIR/NAME: file too
// large", not "write DIR/.NAME.part-123: file too large". Nothing is
// left behind.
func TestSaveWriteErrorNamesTheFileAskedFor(t *testing.T) {
	if dir := os.Getenv("BRCS_WRITE_ERROR_DIR"); dir != "" {
		writeErrorChild(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command("sh", "-c", `ulimit -f 16 && exec "$0" -test.run='^TestSaveWriteErrorNamesTheFileAskedFor$'`, os.Args[0])
	cmd.Env = append(os.Environ(), "BRCS_WRITE_ERROR_DIR="+dir)
	out, _ := cmd.CombinedOutput()
	lines := map[string]string{}
	for _, l := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(l, ": "); ok && (k == "backup" || k == "recording") {
			lines[k] = v
		}
	}
	require.Len(t, lines, 2, "%s", out)
	assert.Regexp(t, `^cannot write `+regexp.QuoteMeta(filepath.Join(dir, "backups"))+`/127\.0\.0\.1_[0-9]+-[0-9T]+Z\.nsb: file too large$`, lines["backup"])
	assert.Equal(t, "cannot write "+filepath.Join(dir, "recordings", idA+"-session.bin")+": file too large", lines["recording"])
	for _, sub := range []string{"backups", "recordings"} {
		entries, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, e := range entries {
			assert.NotContains(t, e.Name(), ".part", "no temporary file left")
		}
	}
}

// writeErrorChild saves a backup and a recording of 256 KiB each, past
// the file size limit its parent set, and prints their errors.
func writeErrorChild(dir string) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(bytes.Repeat([]byte("x"), 256<<10))
	}))
	defer srv.Close()
	c, err := appliance.New(srv.URL, appliance.UserPassword{Username: "u", Password: "p"}, appliance.Options{AllowHTTP: true, Attempts: 1})
	if err != nil {
		fmt.Println("new:", err)
		return
	}
	_, err = c.SaveBackup(context.Background(), appliance.BackupOptions{Dir: filepath.Join(dir, "backups")})
	fmt.Printf("backup: %v\n", err)
	_, _, err = c.SaveRecording(context.Background(), reporting.ByLSID(reporting.AccessSessionRecording, idA), filepath.Join(dir, "recordings"))
	fmt.Printf("recording: %v\n", err)
}
