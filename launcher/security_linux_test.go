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

// summaryFrom launches a jump script downloaded from origin, confirming
// what it is shown, and returns the script's path and the summary, which
// it has checked is shown safely: where both origin tests start.
func summaryFrom(t *testing.T, origin string) (path, summary string) {
	t.Helper()
	path = downloaded(t, jump, origin)
	var p recorder
	_, err := LaunchFile(context.Background(), path, Options{Console: "/bin/true", Wait: true, Prompter: &p})
	require.NoError(t, err)
	testutil.AssertShownSafely(t, p.texts[0])
	return path, p.texts[0]
}

func TestSummaryEscapesTheOrigin(t *testing.T) {
	for _, origin := range testutil.Corpus(t, attacks+"origins.txt") {
		path, summary := summaryFrom(t, origin)
		first, _, _ := strings.Cut(summary, "\n")
		assert.True(t, strings.HasSuffix(first, ", for site support, will:"), first)
		_, err := LaunchFile(context.Background(), path, Options{Console: "/bin/true", Wait: true, Prompter: &recorder{}, AllowOrigins: []string{"access.example.com"}})
		if err != nil {
			testutil.AssertShownSafely(t, err.Error())
		}
	}
}

// A recorded origin longer than a fixed 4 KiB buffer was dropped, and
// with it the --allow-origin check: the script ran.
func TestLongOriginIsRead(t *testing.T) {
	// ext4 keeps at most about 4 KB an attribute; tmpfs (/dev/shm), XFS
	// and btrfs keep more.
	long := "https://evil.example/" + strings.Repeat("a", 5000)
	var path string
	for _, dir := range []string{t.TempDir(), "/dev/shm"} {
		d, err := os.MkdirTemp(dir, "origin-")
		if err != nil {
			continue
		}
		t.Cleanup(func() { os.RemoveAll(d) })
		p := filepath.Join(d, "jump.brcs-support")
		require.NoError(t, os.WriteFile(p, []byte(jump), 0o644))
		if syscall.Setxattr(p, "user.xdg.origin.url", []byte(long), 0) == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("no file system here keeps a 5 KB extended attribute")
	}
	_, err := LaunchFile(context.Background(), path, Options{Console: "/bin/true", Yes: true, Wait: true, AllowOrigins: []string{"access.example.com"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "downloaded from evil.example, which is not an allowed appliance")
}

// A recorded origin with no host Go can read (a blob: or data: address
// made by the attacker's page, or one with an escape Go's parser refuses,
// which browsers keep as they are) was taken for no origin at all: it was
// not shown, and --allow-origin let the script run. It is shown, and with
// --allow-origin it is refused.
func TestOriginWithoutACheckableHostIsRefused(t *testing.T) {
	for _, origin := range testutil.Corpus(t, attacks+"origins-hostless.txt") {
		path, summary := summaryFrom(t, origin)
		assert.Contains(t, summary, "evil.example", "%q: the origin is shown", origin)
		assert.NotContains(t, summary, "hunter2", "%q: without its query", origin)
		assert.NotContains(t, summary, "from https://evil.example:8o/ (verified", "%q: quoted, so it cannot pass for the sentence's words", origin)

		_, err := LaunchFile(context.Background(), path, Options{Console: "/bin/true", Yes: true, Wait: true, AllowOrigins: []string{"access.example.com"}})
		require.Error(t, err, "%q", origin)
		testutil.AssertShownSafely(t, err.Error())
		assert.NotContains(t, err.Error(), "hunter2", "%q", origin)
	}
}
