//go:build linux && gtk

package launcher

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/brcs"
)

// TestDesktopDialog opens the real GTK confirmation dialog on the X
// display (.ci/run starts Xvfb), takes a screenshot, answers it with
// xdotool, and checks the answer comes back.
func TestDesktopDialog(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("no DISPLAY: run under xvfb-run (.ci/run does, once libgtk-3-dev, xvfb and xdotool are installed)")
	}
	xdotool, err := exec.LookPath("xdotool")
	if err != nil {
		t.Skip("xdotool is not installed (Debian package xdotool)")
	}
	shots := os.Getenv("BRCS_SCREENSHOT_DIR")
	if shots == "" {
		shots = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(shots, 0o755))

	cat, err := brcs.LookupProfile("")
	require.NoError(t, err)
	s, err := brcs.Parse("jump.brcs-support", []byte("BRCS1.0\naction=login\naction=start_jump_item_session&client.hostname=ABCDEF02&jump.method=pinned&session.custom.external_key=INC0012345\naction=delete_script_file\n"), brcs.Options{})
	require.NoError(t, err)
	summary := "jump.brcs-support, for site support, will:\n" + summarise(s, cat, nil)

	for _, c := range []struct {
		key  string
		want bool
	}{{"alt+y", true}, {"alt+n", false}} {
		title := Title + " (" + c.key + ")"
		type answer struct {
			yes bool
			err error
		}
		done := make(chan answer, 1)
		go func() {
			yes, err := Desktop().Confirm(title, summary)
			done <- answer{yes, err}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		// xdotool takes a regular expression.
		out, err := exec.CommandContext(ctx, xdotool, "search", "--sync", "--name", "^"+regexp.QuoteMeta(title)+"$").Output()
		cancel()
		require.NoError(t, err, "the dialog window did not appear")
		win := strings.Fields(string(out))[0]
		time.Sleep(500 * time.Millisecond) // let GTK draw before the screenshot
		if imp, err := exec.LookPath("import"); err == nil {
			shot := filepath.Join(shots, "confirm-"+strings.ReplaceAll(c.key, "+", "-")+".png")
			if err := exec.Command(imp, "-window", win, shot).Run(); err == nil {
				fi, err := os.Stat(shot)
				require.NoError(t, err)
				assert.Greater(t, fi.Size(), int64(1000), "the screenshot shows something")
				t.Logf("screenshot: %s", shot)
			}
		}
		require.NoError(t, exec.Command(xdotool, "windowfocus", "--sync", win).Run())
		require.NoError(t, exec.Command(xdotool, "key", "--clearmodifiers", c.key).Run())
		select {
		case a := <-done:
			require.NoError(t, a.err)
			assert.Equal(t, c.want, a.yes, "answered with %s", c.key)
		case <-time.After(30 * time.Second):
			t.Fatalf("the dialog did not close after %s", c.key)
		}
	}
}
