//go:build darwin && !nativedialog

package launcher

import (
	"context"
	"os/exec"
	"strings"
	"time"
)

// Desktop returns macOS dialogs shown by osascript, which every Mac has:
// no cgo, so a cross-compiled brcslaunch works. Build with -tags
// nativedialog for sqweek/dialog's Cocoa dialogs instead (needs cgo).
func Desktop() Prompter { return osascript{run: runOsascript} }

// HasDesktopDialogs reports whether this build can show desktop dialogs.
const HasDesktopDialogs = true

// runOsascript runs osascript with args; a person has ten minutes to
// answer before the question counts as unanswered.
func runOsascript(args []string) (stdout, stderr string, exitCode int, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/usr/bin/osascript", args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode(), nil
	}
	return out.String(), errb.String(), 0, err
}
