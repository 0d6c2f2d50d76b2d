package launcher

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// downloaded writes script to a new jump.brcs-support whose recorded
// origin, as a browser on Linux records it, is origin; it skips the test
// where the file system keeps no user extended attributes.
func downloaded(t *testing.T, script, origin string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jump.brcs-support")
	require.NoError(t, os.WriteFile(path, []byte(script), 0o644))
	if err := syscall.Setxattr(path, "user.xdg.origin.url", []byte(origin), 0); err != nil {
		t.Skipf("this file system keeps no user extended attributes (%v)", err)
	}
	return path
}

func TestOriginAllowList(t *testing.T) {
	path := downloaded(t, "BRCS1.0\naction=login\n", "https://evil.example/api/client_script?type=rep&x=1")
	assert.Equal(t, "https://evil.example/api/client_script?type=rep&x=1", Origin(path))
	_, err := LaunchFile(context.Background(), path, Options{Console: "/bin/true", Yes: true, Wait: true, AllowOrigins: []string{"access.example.com"}})
	assert.ErrorContains(t, err, "downloaded from evil.example, which is not an allowed appliance")
	r, err := LaunchFile(context.Background(), path, Options{Console: "/bin/true", Yes: true, Wait: true})
	require.NoError(t, err)
	assert.Contains(t, r.Summary, "(downloaded from https://evil.example/api/client_script)")
	assert.NotContains(t, r.Summary, "x=1", "the query is not shown")
}
