//go:build (linux && gtk) || windows || (darwin && nativedialog)

package launcher

import (
	"fmt"

	"github.com/sqweek/dialog"
)

// Desktop returns the desktop's dialogs (sqweek/dialog: GTK 3 on Linux,
// built with -tags gtk; the system's own on Windows, and on macOS when
// built with -tags nativedialog, which needs cgo).
func Desktop() Prompter { return desktop{} }

// HasDesktopDialogs reports whether this build can show desktop dialogs.
const HasDesktopDialogs = true

type desktop struct{}

// Confirm implements Prompter. sqweek/dialog panics when GTK could not
// start (no usable display); that is an error here, and the caller then
// refuses rather than run unasked.
func (desktop) Confirm(title, text string) (yes bool, err error) {
	defer recoverDialog(&err)
	return dialog.Message("%s", text).Title(title).YesNo(), nil
}

// Alert implements Prompter.
func (desktop) Alert(title, text string) (err error) {
	defer recoverDialog(&err)
	dialog.Message("%s", text).Title(title).Error()
	return nil
}

func recoverDialog(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("no dialog could be shown: %v", r)
	}
}
