package launcher

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rivo/uniseg"
)

// Prompter asks the technician and tells them what went wrong: a desktop
// dialog, the terminal, or a fake in tests.
type Prompter interface {
	// Confirm shows text and asks Yes or No.
	Confirm(title, text string) (bool, error)
	// Alert shows an error.
	Alert(title, text string) error
}

// Terminal asks on a terminal: the question on Out, the answer read from In.
type Terminal struct {
	In  io.Reader
	Out io.Writer
	// Cols and Rows are the terminal's size, 0 when unknown. A question
	// taller than Rows is refused, not asked: its first lines, and with
	// them the script's first command, would have scrolled out of view.
	Cols, Rows int
}

// Confirm implements Prompter: only "y" or "yes" is a yes.
func (t Terminal) Confirm(title, text string) (bool, error) {
	q := fmt.Sprintf("%s\n\n%s\n\nRun it? [y/N] ", title, text)
	if n := rows(q, t.Cols); t.Rows > 0 && n > t.Rows {
		return false, fmt.Errorf("what the script would do takes %d lines to say, more than the %d of this terminal, so its first lines would scroll out of view before you answer; make the window taller, or read the script in a text editor", n, t.Rows)
	}
	io.WriteString(t.Out, q)
	line, err := readLine(t.In, MaxAnswer)
	if err != nil {
		return false, err
	}
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes", nil
}

// rows is how many terminal rows s takes, cols wide (0: no wrapping).
func rows(s string, cols int) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n++
		if w := uniseg.StringWidth(l); cols > 0 && w > cols {
			n += (w - 1) / cols
		}
	}
	return n
}

// MaxAnswer is the longest answer read, in bytes: "yes" and some blanks.
const MaxAnswer = 64

// readLine reads one line of at most max bytes, a byte at a time so that
// nothing past the line is taken from In; a longer line is an error, read
// no further, so an endless input (/dev/zero) cannot exhaust memory.
func readLine(r io.Reader, max int) (string, error) {
	var b []byte
	one := make([]byte, 1)
	for {
		n, err := r.Read(one)
		if n == 1 {
			if one[0] == '\n' {
				return string(b), nil
			}
			if len(b) == max {
				return "", fmt.Errorf("no answer: the answer is longer than %d bytes; answer y or n", max)
			}
			b = append(b, one[0])
		}
		if errors.Is(err, io.EOF) {
			if len(b) == 0 {
				return "", fmt.Errorf("no answer: standard input ended before an answer was given")
			}
			return string(b), nil
		}
		if err != nil {
			return "", fmt.Errorf("no answer: %v", err)
		}
	}
}

// Alert implements Prompter.
func (t Terminal) Alert(title, text string) error {
	_, err := fmt.Fprintf(t.Out, "%s\n\n%s\n", title, text)
	return err
}
