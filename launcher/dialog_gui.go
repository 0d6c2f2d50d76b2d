//go:build (linux && gtk) || windows || darwin

package launcher

import "github.com/sqweek/dialog"

// Desktop returns the desktop's dialogs (sqweek/dialog: GTK 3 on Linux,
// built with -tags gtk; the system's own on Windows and macOS).
func Desktop() Prompter { return desktop{} }

// HasDesktopDialogs reports whether this build can show desktop dialogs.
const HasDesktopDialogs = true

type desktop struct{}

func (desktop) Confirm(title, text string) (bool, error) {
	return dialog.Message("%s", text).Title(title).YesNo(), nil
}

func (desktop) Alert(title, text string) error {
	dialog.Message("%s", text).Title(title).Error()
	return nil
}
