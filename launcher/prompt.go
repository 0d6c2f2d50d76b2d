package launcher

import (
	"bufio"
	"fmt"
	"io"
	"strings"
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
}

// Confirm implements Prompter: only "y" or "yes" is a yes.
func (t Terminal) Confirm(title, text string) (bool, error) {
	fmt.Fprintf(t.Out, "%s\n\n%s\n\nRun it? [y/N] ", title, text)
	line, err := bufio.NewReader(t.In).ReadString('\n')
	if err != nil && line == "" {
		return false, fmt.Errorf("no answer: %v", err)
	}
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes", nil
}

// Alert implements Prompter.
func (t Terminal) Alert(title, text string) error {
	_, err := fmt.Fprintf(t.Out, "%s\n\n%s\n", title, text)
	return err
}
