//go:build !((linux && gtk) || windows || darwin)

package launcher

// Desktop returns nil: this build has no desktop dialogs (on Linux, build
// with -tags gtk for GTK 3 dialogs; that needs cgo and libgtk-3-dev).
func Desktop() Prompter { return nil }

// HasDesktopDialogs reports whether this build can show desktop dialogs.
const HasDesktopDialogs = false
