package launcher

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

func TestSummaryEscapesTheOrigin(t *testing.T) {
	for _, origin := range testutil.Corpus(t, attacks+"origins.txt") {
		path := filepath.Join(t.TempDir(), "jump.brcs-support")
		require.NoError(t, os.WriteFile(path, []byte(jump), 0o644))
		if err := syscall.Setxattr(path, "user.xdg.origin.url", []byte(origin), 0); err != nil {
			t.Skipf("this file system keeps no user extended attributes (%v)", err)
		}
		var p recorder
		_, err := LaunchFile(context.Background(), path, Options{Console: "/bin/true", Wait: true, Prompter: &p})
		require.NoError(t, err)
		testutil.AssertShownSafely(t, p.texts[0])
		first, _, _ := strings.Cut(p.texts[0], "\n")
		assert.True(t, strings.HasSuffix(first, ", for site support, will:"), first)
		_, err = LaunchFile(context.Background(), path, Options{Console: "/bin/true", Wait: true, Prompter: &p, AllowOrigins: []string{"access.example.com"}})
		if err != nil {
			testutil.AssertShownSafely(t, err.Error())
		}
	}
}
