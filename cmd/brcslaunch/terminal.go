package main

import (
	"os"

	"golang.org/x/term"
)

// terminalSize is f's size in columns and rows, 0 and 0 when f is not a
// terminal.
func terminalSize(f *os.File) (cols, rows int) {
	cols, rows, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0, 0
	}
	return cols, rows
}
