// Package progress draws one line of progress for a long command: a bar
// when the total is known, a count (or megabytes) otherwise, the share of
// a time range covered when the command walks one, and the rate.
package progress

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Options say what a Line counts.
type Options struct {
	// Total is the count at the end, which draws a bar; 0: unknown.
	Total int64
	// Bytes shows the count as megabytes (a download).
	Bytes bool
	// Unit is what the count counts ("sessions", "rows"): with a Total
	// the count reads "n/total rows", without one "n sessions"; "" shows
	// n/total.
	Unit string
	// Range shows the share of a time range covered (Cover).
	Range bool
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// Line is one line of progress, redrawn in place with a carriage return
// at most every 100ms (and at the total). A Line on a nil writer draws
// nothing: give nil when the output is not a terminal (cron, pipes,
// tests).
type Line struct {
	w     io.Writer
	what  string
	o     Options
	share float64 // share of the range covered; < 0: not a range
	start time.Time
	last  time.Time
	n     int64
	width int // of the last line drawn, to blank what a shorter one leaves
}

// New is the progress line of what ("backup", "report sessions") on w;
// an empty what starts the line with the bar.
func New(w io.Writer, what string, o Options) *Line {
	if o.Now == nil {
		o.Now = time.Now
	}
	l := &Line{w: w, what: what, o: o, share: -1, start: o.Now()}
	if o.Range {
		l.share = 0
	}
	return l
}

// Set sets the count, and draws the line when it is due.
func (l *Line) Set(n int64) {
	l.n = n
	if l.w == nil || (l.o.Now().Sub(l.last) < 100*time.Millisecond && n != l.o.Total) {
		return
	}
	l.draw()
}

// Cover sets the share (0 to 1) of the range covered, shown when the line
// is next drawn.
func (l *Line) Cover(share float64) {
	l.share = min(max(share, 0), 1)
}

// Write counts the bytes written through it.
func (l *Line) Write(b []byte) (int, error) {
	l.Set(l.n + int64(len(b)))
	return len(b), nil
}

// Done draws the final count and ends the line.
func (l *Line) Done() {
	if l.w != nil {
		l.draw()
		fmt.Fprintln(l.w)
	}
}

// String is the line as it is drawn now.
func (l *Line) String() string {
	n := l.n
	count := fmt.Sprintf("%d/%d", n, l.o.Total)
	switch {
	case l.o.Bytes:
		count = fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case l.o.Unit != "" && l.o.Total > 0:
		count += " " + l.o.Unit
	case l.o.Unit != "":
		count = fmt.Sprintf("%d %s", n, l.o.Unit)
	}
	var parts []string
	if l.what != "" {
		parts = append(parts, l.what)
	}
	if t := l.o.Total; t > 0 {
		const width = 30
		full := int(int64(width) * min(n, t) / t)
		parts = append(parts, "["+strings.Repeat("#", full)+strings.Repeat(" ", width-full)+"]")
	}
	var b strings.Builder
	b.WriteString(strings.Join(append(parts, count), " "))
	if l.share >= 0 {
		fmt.Fprintf(&b, ", %.0f%% of the range", 100*l.share)
	}
	if secs := l.o.Now().Sub(l.start).Seconds(); secs >= 1 && n > 0 {
		switch {
		case l.o.Bytes:
			fmt.Fprintf(&b, ", %.1f MB/s", float64(n)/1e6/secs)
		case l.o.Unit != "":
			fmt.Fprintf(&b, ", %.0f %s/s", float64(n)/secs, l.o.Unit)
		default:
			fmt.Fprintf(&b, ", %.1f/s", float64(n)/secs)
		}
	}
	return b.String()
}

func (l *Line) draw() {
	l.last = l.o.Now()
	s := l.String()
	pad := max(l.width-len(s), 0)
	l.width = len(s)
	fmt.Fprintf(l.w, "\r%s%s", s, strings.Repeat(" ", pad))
}
