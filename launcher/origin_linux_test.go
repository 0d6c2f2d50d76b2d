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

func TestOriginAllowList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jump.brcs-support")
	require.NoError(t, os.WriteFile(path, []byte("BRCS1.0\naction=login\n"), 0o644))
	if err := syscall.Setxattr(path, "user.xdg.origin.url", []byte("https://evil.example/api/client_script?type=rep&x=1"), 0); err != nil {
		t.Skipf("this file system keeps no user extended attributes (%v)", err)
	}
	assert.Equal(t, "https://evil.example/api/client_script?type=rep&x=1", Origin(path))
	_, err := LaunchFile(context.Background(), path, Options{Console: "/bin/true", Yes: true, Wait: true, AllowOrigins: []string{"access.example.com"}})
	assert.ErrorContains(t, err, "downloaded from evil.example, which is not an allowed appliance")
	r, err := LaunchFile(context.Background(), path, Options{Console: "/bin/true", Yes: true, Wait: true})
	require.NoError(t, err)
	assert.Contains(t, r.Summary, "(downloaded from https://evil.example/api/client_script)")
	assert.NotContains(t, r.Summary, "x=1", "the query is not shown")
}
