package main

import (
	"fmt"
	"strings"
	"time"
)

// progress draws one line of progress on standard error when it is a
// terminal, and nothing otherwise (cron, pipes, tests): a bar when the
// total is known, a count (or megabytes) otherwise, the share of a time
// range covered when the command walks one, and the rate. Every long
// command uses it: set or Write as work is done, cover for ranges, done
// at the end, which ends the line.
type progress struct {
	e     *env
	on    bool
	what  string
	total int64 // 0: unknown
	bytes bool
	unit  string  // what a count counts ("sessions"); "" shows n/total
	share float64 // share of the range covered; < 0: not a range
	start time.Time
	last  time.Time
	n     int64
	width int // of the last line drawn, to blank what a shorter one leaves
}

func newProgress(e *env, what string, total int64, bytes bool) *progress {
	return &progress{e: e, on: e.Terminal(e.Stderr), what: what, total: total, bytes: bytes, share: -1, start: time.Now()}
}

// newRangeProgress counts unit (say "sessions") over a time range.
func newRangeProgress(e *env, what, unit string) *progress {
	p := newProgress(e, what, 0, false)
	p.unit, p.share = unit, 0
	return p
}

func (p *progress) set(n int64) {
	p.n = n
	if !p.on || (time.Since(p.last) < 100*time.Millisecond && n != p.total) {
		return
	}
	p.draw()
}

// cover sets the count and the share (0 to 1) of the range covered.
func (p *progress) cover(n int64, share float64) {
	p.share = min(max(share, 0), 1)
	p.set(n)
}

func (p *progress) line() string {
	n := p.n
	count := fmt.Sprintf("%d/%d", n, p.total)
	switch {
	case p.bytes:
		count = fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case p.unit != "":
		count = fmt.Sprintf("%d %s", n, p.unit)
	}
	var b strings.Builder
	b.WriteString(p.what)
	if p.total > 0 {
		const width = 30
		full := int(int64(width) * min(n, p.total) / p.total)
		fmt.Fprintf(&b, " [%s%s]", strings.Repeat("#", full), strings.Repeat(" ", width-full))
	}
	b.WriteString(" " + count)
	if p.share >= 0 {
		fmt.Fprintf(&b, ", %.0f%% of the range", 100*p.share)
	}
	if secs := time.Since(p.start).Seconds(); secs >= 1 && n > 0 {
		switch {
		case p.bytes:
			fmt.Fprintf(&b, ", %.1f MB/s", float64(n)/1e6/secs)
		case p.unit != "":
			fmt.Fprintf(&b, ", %.0f %s/s", float64(n)/secs, p.unit)
		default:
			fmt.Fprintf(&b, ", %.1f/s", float64(n)/secs)
		}
	}
	return b.String()
}

func (p *progress) draw() {
	p.last = time.Now()
	s := p.line()
	pad := max(p.width-len(s), 0)
	p.width = len(s)
	fmt.Fprintf(p.e.Stderr, "\r%s%s", s, strings.Repeat(" ", pad))
}

// Write counts bytes written through it.
func (p *progress) Write(b []byte) (int, error) {
	p.set(p.n + int64(len(b)))
	return len(b), nil
}

// done draws the final count and ends the line.
func (p *progress) done() {
	if p.on {
		p.draw()
		fmt.Fprintln(p.e.Stderr)
	}
}
