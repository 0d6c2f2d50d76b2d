package reporting

import (
	"fmt"
	"strings"
)

// Summary says what d counted, for a warning ("3 sessions outside the
// window asked for and 1 session sent twice in one answer"), or "" when
// nothing was dropped.
func (d Dropped) Summary() string {
	var parts []string
	if d.OutsideWindow > 0 {
		parts = append(parts, fmt.Sprintf("%d %s outside the window asked for", d.OutsideWindow, sessions(d.OutsideWindow)))
	}
	if d.Duplicates > 0 {
		parts = append(parts, fmt.Sprintf("%d %s sent twice in one answer", d.Duplicates, sessions(d.Duplicates)))
	}
	return strings.Join(parts, " and ")
}

func sessions(n int) string {
	if n == 1 {
		return "session"
	}
	return "sessions"
}
