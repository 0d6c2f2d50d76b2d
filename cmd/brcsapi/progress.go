package main

import (
	"fmt"
	"strings"
	"time"
)

// progress draws a bar on standard error when it is a terminal, and
// nothing otherwise (cron, pipes, tests).
type progress struct {
	e     *env
	on    bool
	what  string
	total int64 // 0: unknown
	bytes bool
	last  time.Time
	n     int64
}

func newProgress(e *env, what string, total int64, bytes bool) *progress {
	return &progress{e: e, on: e.Terminal(e.Stderr), what: what, total: total, bytes: bytes}
}

func (p *progress) set(n int64) {
	p.n = n
	if !p.on || (time.Since(p.last) < 100*time.Millisecond && n != p.total) {
		return
	}
	p.draw()
}

func (p *progress) draw() {
	n := p.n
	p.last = time.Now()
	count := fmt.Sprintf("%d/%d", n, p.total)
	if p.bytes {
		count = fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	if p.total > 0 {
		const width = 30
		full := int(int64(width) * min(n, p.total) / p.total)
		fmt.Fprintf(p.e.Stderr, "\r%s [%s%s] %s", p.what, strings.Repeat("#", full), strings.Repeat(" ", width-full), count)
		return
	}
	fmt.Fprintf(p.e.Stderr, "\r%s %s", p.what, count)
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
