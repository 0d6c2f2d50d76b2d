package launcher

import (
	"fmt"
	"strings"
)

// osascript shows dialogs through macOS's osascript. The title and the
// text go in as arguments of the AppleScript run handler, never spliced
// into the script, so no text can change what the script does. It is
// built on every system so its tests run everywhere; only darwin builds
// use it (dialog_osascript.go).
type osascript struct {
	run func(args []string) (stdout, stderr string, exitCode int, err error)
}

// confirmScript asks Yes or No; No is the cancel button (osascript exits 1,
// error -128) and the default.
var confirmScript = []string{
	"-e", "on run argv",
	"-e", `display dialog (item 2 of argv) with title (item 1 of argv) buttons {"No", "Yes"} default button "No" cancel button "No" with icon caution`,
	"-e", "end run",
}

var alertScript = []string{
	"-e", "on run argv",
	"-e", `display alert (item 1 of argv) message (item 2 of argv) as critical buttons {"OK"} default button "OK"`,
	"-e", "end run",
}

// Confirm implements Prompter.
func (o osascript) Confirm(title, text string) (bool, error) {
	out, errOut, code, err := o.run(append(append([]string(nil), confirmScript...), title, text))
	switch {
	case err != nil:
		return false, fmt.Errorf("no dialog could be shown: %v", err)
	case code == 1 && strings.Contains(errOut, "-128"):
		return false, nil // No, or the dialog was closed
	case code != 0:
		return false, fmt.Errorf("no dialog could be shown: osascript: %s", strings.TrimSpace(errOut))
	}
	return strings.TrimSpace(out) == "button returned:Yes", nil
}

// Alert implements Prompter.
func (o osascript) Alert(title, text string) error {
	_, errOut, code, err := o.run(append(append([]string(nil), alertScript...), title, text))
	if err != nil {
		return fmt.Errorf("no dialog could be shown: %v", err)
	}
	if code != 0 {
		return fmt.Errorf("no dialog could be shown: osascript: %s", strings.TrimSpace(errOut))
	}
	return nil
}
