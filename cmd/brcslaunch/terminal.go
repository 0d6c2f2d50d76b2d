package main

import (
	"os"

	"golang.org/x/term"
)

// isTerminal reports whether f is a terminal a person types at. A check
// of the file mode alone counts /dev/null and /dev/zero (character
// devices) as terminals; x/term asks the terminal driver itself.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// terminalSize is f's size in columns and rows, 0 and 0 when f is not a
// terminal.
func terminalSize(f *os.File) (cols, rows int) {
	cols, rows, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0, 0
	}
	return cols, rows
}
